// One cluster's part of the status report, from one observation (or the proof that nothing
// answered): a row per endpoint asked (each member's own Status at its own client URL, etcd-facts.md),
// named by the spec, with its health and where it stands in the live membership, plus the cluster
// ID, leader and alarms. Pure: the same observation gives the same view.
import {hexId, isHealthy, type EndpointStatus, type LiveCluster} from '../cluster/live-cluster.js'
import {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import type {ObservedMember} from '../cluster/observation.js'
import type {MemberSpec, Spec} from '../spec/types.js'
import type {MigrationProgress} from './migration-progress.js'
import type {ClusterView, MemberHealth, MemberRole, Membership, StatusRow} from './status-report.js'

export interface ViewContext {
  readonly progress: MigrationProgress
  /**
   * The membership of a row when no endpoint answers and the journal does not record its removal:
   * 'not-added' for a snapshot's target cluster that is not created yet, else 'unknown'.
   */
  readonly whenNothingAnswers: 'not-added' | 'unknown'
}

export function buildClusterView(spec: Spec, observed: LiveCluster | ClusterUnreachableError, context: ViewContext): ClusterView {
  if (observed instanceof ClusterUnreachableError) {
    const members = observed.endpoints.map((endpoint, i) => {
      // A member that answers Status in a cluster without quorum is running: shown as such, not as silent.
      const answered = observed.statuses.find((s) => s.endpoint === endpoint && s.error === null)
      if (answered !== undefined) {
        const why = answered.leaderId === null ? NO_LEADER_NO_QUORUM : NO_QUORUM
        return {...unreachableRow(spec, endpoint, why, context), ...statusFields(answered), error: why, health: 'unhealthy' as const}
      }
      return unreachableRow(spec, endpoint, observed.errors[i] ?? 'no answer', context)
    })
    return {
      reachable: false,
      unreachableReason: `no endpoint answered: ${members.map((m) => `${m.endpoint} (${m.error})`).join(', ')}`,
      clusterId: null,
      leader: null,
      alarms: [],
      members,
    }
  }
  const cluster = observed
  const members = cluster.statuses.map((status) => rowOf(spec, cluster, status))
  const leaderMember = cluster.members.find((m) => m.id === cluster.leaderId)
  const leader = cluster.leaderId === null ? null : {id: hexId(cluster.leaderId), name: nameOf(spec, leaderMember, leaderMember?.clientURLs ?? [])}
  const alarms = cluster.alarms.map((a) => {
    const member = cluster.members.find((m) => m.id === a.memberId)
    return {memberId: hexId(a.memberId), name: nameOf(spec, member, member?.clientURLs ?? []), alarm: a.alarm}
  })
  return {reachable: true, unreachableReason: null, clusterId: hexId(cluster.clusterId), leader, alarms, members, ...(cluster.clusterVersion == null ? {} : {clusterVersion: cluster.clusterVersion})}
}

function rowOf(spec: Spec, cluster: LiveCluster, status: EndpointStatus): StatusRow {
  const inSpec = specMemberAt(spec, status.endpoint)
  // The member list says who owns an endpoint even when it does not answer. By the ID the endpoint
  // answers with, else its client URL, else the spec member's peer URL: a member added but never
  // started lists no client URL yet, only its peer URL.
  const listed =
    cluster.members.find((m) => status.memberId !== null && m.id === status.memberId) ??
    cluster.members.find((m) => m.clientURLs.includes(status.endpoint)) ??
    cluster.members.find((m) => inSpec !== undefined && m.peerURLs.includes(inSpec.peerURL))
  // A removed member that still runs answers with its old ID, which the list no longer has: only
  // the IDs the cluster lists make the row the cluster's (and its leader flag meaningful).
  const memberId = listed?.id ?? status.memberId ?? null
  const role = roleOf(spec, status.endpoint)
  return {
    name: nameOf(spec, listed, [status.endpoint]),
    endpoint: status.endpoint,
    ...statusFields(status),
    id: memberId === null ? null : hexId(memberId),
    isLeader: status.error === null && listed !== undefined && listed.id === cluster.leaderId,
    isLearner: status.isLearner ?? listed?.isLearner ?? null,
    health: healthOf(status),
    role,
    membership: listed !== undefined ? 'member' : unlistedMembership(role, inSpec),
  }
}

/**
 * A spec member the answering cluster does not list: the migration removed it (a source member),
 * has not added it yet (a target member), or, for a member the spec keeps, it is missing.
 */
/** Why a member that answers is shown as unhealthy when its cluster gives no member list. */
const NO_QUORUM = 'answers Status, but its cluster gives no member list (no quorum?)'
/**
 * The same for a member that knows no leader: the minority side of a partition, or a cluster that
 * lost its quorum. Its Status is its own (served without the leader); the alarms (etcd 3.4 reads them
 * through raft) and, from 3.5, the member list need a leader.
 */
const NO_LEADER_NO_QUORUM = 'answers Status, but knows no leader: no quorum on its side (its cluster cannot be read through it)'

/** What a row takes from the member's own Status. */
function statusFields(status: EndpointStatus): Pick<StatusRow, 'id' | 'version' | 'dbSize' | 'isLearner' | 'raftTerm' | 'raftIndex' | 'raftAppliedIndex' | 'hasLeader' | 'errors' | 'error'> {
  return {
    id: status.memberId === null ? null : hexId(status.memberId),
    version: status.version,
    dbSize: status.dbSize,
    isLearner: status.isLearner,
    raftTerm: status.raftTerm,
    raftIndex: status.raftIndex,
    raftAppliedIndex: status.raftAppliedIndex,
    hasLeader: status.error === null ? status.leaderId !== null : null,
    errors: [...status.errors],
    error: status.error,
  }
}

function unlistedMembership(role: MemberRole, inSpec: MemberSpec | undefined): Membership {
  if (inSpec === undefined) return 'unlisted'
  if (role === 'source') return 'removed'
  if (role === 'target') return 'not-added'
  return 'unlisted'
}

function unreachableRow(spec: Spec, endpoint: string, error: string, context: ViewContext): StatusRow {
  const inSpec = specMemberAt(spec, endpoint)
  const removed = inSpec !== undefined && context.progress.removed.has(inSpec.name)
  return {
    name: nameOf(spec, undefined, [endpoint]),
    endpoint,
    id: null,
    version: null,
    dbSize: null,
    isLeader: false,
    isLearner: null,
    raftTerm: null,
    raftIndex: null,
    raftAppliedIndex: null,
    hasLeader: null,
    errors: [],
    error,
    health: 'unreachable',
    role: roleOf(spec, endpoint),
    membership: removed ? 'removed' : context.whenNothingAnswers,
  }
}

function healthOf(status: EndpointStatus): MemberHealth {
  if (status.error !== null) return 'unreachable'
  // etcd's endpoint health does a linearizable Get, which a learner refuses: its Status is the test.
  if (status.isLearner === true) return status.errors.length === 0 ? 'learner' : 'unhealthy'
  return isHealthy(status) ? 'healthy' : 'unhealthy'
}

function specMemberAt(spec: Spec, endpoint: string): MemberSpec | undefined {
  return [...spec.source.members, ...spec.target.members].find((m) => m.clientURL === endpoint)
}

/** The spec's name for one of these client URLs, else the member list's (empty = unstarted: none). */
function nameOf(spec: Spec, listed: ObservedMember | undefined, clientURLs: readonly string[]): string | null {
  const all = [...spec.source.members, ...spec.target.members]
  const inSpec = all.find((m) => clientURLs.includes(m.clientURL)) ?? all.find((m) => listed !== undefined && listed.clientURLs.includes(m.clientURL))
  if (inSpec !== undefined) return inSpec.name
  return listed !== undefined && listed.name !== '' ? listed.name : null
}

function roleOf(spec: Spec, endpoint: string): MemberRole {
  const source = spec.source.members.some((m) => m.clientURL === endpoint)
  const target = spec.target.members.some((m) => m.clientURL === endpoint)
  return source && target ? 'both' : source ? 'source' : target ? 'target' : null
}
