// The cluster's part of the status report, from one observation (or the proof that nothing
// answered): a row per endpoint asked (each member's own Status at its own client URL, etcd-facts.md),
// named by the spec, with its health, plus the cluster ID, leader and alarms. A cluster that does not
// answer at all is a view too (every row unreachable), never a crash: status is what an operator runs
// when something is wrong. Pure: the same observation gives the same view.
import {hexId, isHealthy, type EndpointStatus, type LiveCluster} from '../cluster/live-cluster.js'
import {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import type {ObservedMember} from '../cluster/observation.js'
import type {Spec} from '../spec/types.js'
import type {ClusterView, MemberHealth, MemberRole, StatusRow} from './status-report.js'

export function buildClusterView(spec: Spec, observed: LiveCluster | ClusterUnreachableError): ClusterView {
  if (observed instanceof ClusterUnreachableError) {
    const members = observed.endpoints.map((endpoint, i) => unreachableRow(spec, endpoint, observed.errors[i] ?? 'no answer'))
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
  return {reachable: true, unreachableReason: null, clusterId: hexId(cluster.clusterId), leader, alarms, members}
}

function rowOf(spec: Spec, cluster: LiveCluster, status: EndpointStatus): StatusRow {
  // The member list says who owns an endpoint even when it does not answer.
  const listed =
    cluster.members.find((m) => status.memberId !== null && m.id === status.memberId) ??
    cluster.members.find((m) => m.clientURLs.includes(status.endpoint))
  const memberId = status.memberId ?? listed?.id ?? null
  return {
    name: nameOf(spec, listed, [status.endpoint]),
    endpoint: status.endpoint,
    id: memberId === null ? null : hexId(memberId),
    version: status.version,
    dbSize: status.dbSize,
    isLeader: status.error === null && memberId !== null && memberId === cluster.leaderId,
    isLearner: status.isLearner ?? listed?.isLearner ?? null,
    raftTerm: status.raftTerm,
    raftIndex: status.raftIndex,
    raftAppliedIndex: status.raftAppliedIndex,
    errors: [...status.errors],
    error: status.error,
    health: healthOf(status),
    role: roleOf(spec, status.endpoint),
  }
}

function unreachableRow(spec: Spec, endpoint: string, error: string): StatusRow {
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
    errors: [],
    error,
    health: 'unreachable',
    role: roleOf(spec, endpoint),
  }
}

function healthOf(status: EndpointStatus): MemberHealth {
  if (status.error !== null) return 'unreachable'
  // etcd's endpoint health does a linearizable Get, which a learner refuses: its Status is the test.
  if (status.isLearner === true) return status.errors.length === 0 ? 'learner' : 'unhealthy'
  return isHealthy(status) ? 'healthy' : 'unhealthy'
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
