// Reads the live cluster: the member list from the first endpoint that answers (a learner refuses
// MemberList, etcd-facts.md), then Status from every endpoint separately, in parallel, and the
// alarms. An endpoint that does not answer is recorded with its error, never thrown: a member being
// down is something the applier and `status` must report, not crash on.
import type {IStatusResponse} from 'etcd3'
import type {EtcdEndpoints} from './etcd-endpoints.js'
import {messageOf} from './etcd-failure.js'
import type {Alarm, EndpointStatus, LiveCluster} from './live-cluster.js'
import type {ObservedMember} from './observation.js'

export class ClusterUnreachableError extends Error {
  constructor(
    readonly endpoints: readonly string[],
    readonly errors: readonly string[],
    /**
     * What each endpoint said when asked alone for its Status: a member of a cluster that lost its
     * quorum still answers Status, though no member list can be read (it is linearizable).
     */
    readonly statuses: readonly EndpointStatus[] = [],
    /**
     * The member list when it could be read after all: etcd 3.4 serves MemberList from the local
     * member's store (the `linearizable` flag arrived in 3.5), so without quorum the list is there
     * while the alarms, read through raft, are not.
     */
    readonly members: readonly ObservedMember[] | null = null,
  ) {
    super(`no endpoint answered: ${endpoints.map((e, i) => `${e} (${errors[i]})`).join(', ')}`)
  }
}

export interface ObserveOptions {
  /** Deadline of each Status call: a member that is down must not hold up the observation. */
  readonly statusTimeoutMs: number
}

export async function observeCluster(endpoints: EtcdEndpoints, clientURLs: readonly string[], options: ObserveOptions): Promise<LiveCluster> {
  const asked = await Promise.all(unique(clientURLs).map((url) => statusAt(endpoints, url, options)))
  // The member list is read from the leader when one is known: a member that was just removed may
  // still answer for a moment, with a membership it no longer belongs to.
  const leaderId = leaderOf(asked)
  const byPreference = [...asked].sort((a, b) => rank(a, leaderId) - rank(b, leaderId)).map((s) => s.endpoint)
  let listed
  try {
    listed = await listMembers(endpoints, byPreference, options)
  } catch (error) {
    if (error instanceof ClusterUnreachableError) throw new ClusterUnreachableError(error.endpoints, error.errors, asked)
    throw error
  }
  const members = listed.members
  const more = unique(members.flatMap((m) => m.clientURLs)).filter((url) => !asked.some((s) => s.endpoint === url))
  const statuses = [...asked, ...(await Promise.all(more.map((url) => statusAt(endpoints, url, options))))]
  let alarms
  try {
    alarms = await alarmsAt(endpoints, [listed.answeredBy, ...byPreference], options)
  } catch (error) {
    if (error instanceof ClusterUnreachableError) throw new ClusterUnreachableError(error.endpoints, error.errors, statuses, members)
    throw error
  }
  return {mode: 'live', clusterId: listed.clusterId, members, leaderId: leaderOf(statuses), statuses, alarms, answeredBy: listed.answeredBy}
}

/** Leader first, then members that answered, then the rest. */
function rank(status: EndpointStatus, leaderId: string | null): number {
  if (status.memberId !== null && status.memberId === leaderId) return 0
  return status.error === null && status.isLearner !== true ? 1 : 2
}

async function listMembers(endpoints: EtcdEndpoints, clientURLs: readonly string[], options: ObserveOptions) {
  const errors: string[] = []
  for (const url of clientURLs) {
    try {
      const response = await endpoints.get(url).cluster.memberList({linearizable: true}, {deadline: Date.now() + options.statusTimeoutMs})
      const members: ObservedMember[] = response.members.map((m) => ({
        id: m.ID,
        name: m.name,
        peerURLs: [...m.peerURLs],
        clientURLs: [...m.clientURLs],
        isLearner: m.isLearner === true,
        started: m.name !== '',
      }))
      return {clusterId: response.header.cluster_id, members, answeredBy: url}
    } catch (error) {
      errors.push(messageOf(error))
    }
  }
  throw new ClusterUnreachableError(clientURLs, errors)
}

/** One member's own Status at its client URL; a member that does not answer is an EndpointStatus with its error. */
export async function statusAt(endpoints: EtcdEndpoints, url: string, options: ObserveOptions): Promise<EndpointStatus> {
  try {
    const s: IStatusResponse = await endpoints.get(url).maintenance.status({deadline: Date.now() + options.statusTimeoutMs})
    return {
      endpoint: url,
      memberId: s.header.member_id,
      error: null,
      version: s.version,
      dbSize: Number(s.dbSize),
      leaderId: s.leader === '0' ? null : s.leader,
      raftIndex: Number(s.raftIndex),
      raftAppliedIndex: Number(s.raftAppliedIndex),
      raftTerm: Number(s.raftTerm),
      revision: Number(s.header.revision),
      isLearner: s.isLearner === true,
      errors: [...(s.errors ?? [])],
    }
  } catch (error) {
    return {endpoint: url, memberId: null, error: messageOf(error), version: null, dbSize: null, leaderId: null, raftIndex: null, raftAppliedIndex: null, raftTerm: null, revision: null, isLearner: null, errors: []}
  }
}

async function alarmsAt(endpoints: EtcdEndpoints, asked: readonly string[], options: ObserveOptions): Promise<Alarm[]> {
  const errors: string[] = []
  const urls = unique(asked)
  for (const url of urls) {
    try {
      const response = await endpoints.get(url).maintenance.alarm({action: 'Get', memberID: '0', alarm: 'None'}, {deadline: Date.now() + options.statusTimeoutMs})
      return (response.alarms ?? []).map((a) => ({memberId: String(a.memberID), alarm: String(a.alarm)}))
    } catch (error) {
      errors.push(messageOf(error))
    }
  }
  throw new ClusterUnreachableError(urls, errors)
}

/** The leader the most members agree on in the highest term (members briefly disagree during an election). */
function leaderOf(statuses: readonly EndpointStatus[]): string | null {
  const answered = statuses.filter((s) => s.leaderId !== null && s.raftTerm !== null)
  const term = Math.max(...answered.map((s) => s.raftTerm ?? 0))
  const votes = new Map<string, number>()
  for (const s of answered) if (s.raftTerm === term && s.leaderId !== null) votes.set(s.leaderId, (votes.get(s.leaderId) ?? 0) + 1)
  return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)]
}
