// Builds LiveCluster observations for the applier's pure logic (gates, stale check) without etcd:
// members by name on 127.0.<rack>.<n>, decimal IDs, and per-member Status the way etcd reports it.
import type {EndpointStatus, LiveCluster} from '../../src/cluster/live-cluster.js'
import type {ObservedMember} from '../../src/cluster/observation.js'

export interface MemberState {
  readonly name: string
  readonly host: string
  readonly learner?: boolean
  readonly started?: boolean
  /** Applied index; the leader's committed index is `leaderIndex`. */
  readonly applied?: number
  readonly down?: boolean
}

export function liveCluster(members: readonly MemberState[], options: {leader: string; leaderIndex?: number; clusterId?: string}): LiveCluster {
  const idOf = (name: string) => String(1000 + members.findIndex((m) => m.name === name))
  const observed: ObservedMember[] = members.map((m) => ({
    id: idOf(m.name),
    name: m.started === false ? '' : m.name,
    peerURLs: [`http://${m.host}:2380`],
    clientURLs: [`http://${m.host}:2379`],
    isLearner: m.learner === true,
    started: m.started !== false,
  }))
  const index = options.leaderIndex ?? 500
  const statuses: EndpointStatus[] = members.map((m) =>
    m.down === true || m.started === false
      ? {endpoint: `http://${m.host}:2379`, memberId: null, error: 'connect ECONNREFUSED', version: null, dbSize: null, leaderId: null, raftIndex: null, raftAppliedIndex: null, raftTerm: null, revision: null, isLearner: null, errors: []}
      : {
          endpoint: `http://${m.host}:2379`,
          memberId: idOf(m.name),
          error: null,
          version: '3.4.23',
          dbSize: 20480,
          leaderId: idOf(options.leader),
          raftIndex: m.name === options.leader ? index : (m.applied ?? index),
          raftAppliedIndex: m.name === options.leader ? index : (m.applied ?? index),
          raftTerm: 2,
          revision: 100,
          isLearner: m.learner === true,
          errors: [],
        },
  )
  return {mode: 'live', clusterId: options.clusterId ?? '77', members: observed, leaderId: idOf(options.leader), statuses, alarms: [], answeredBy: statuses[0]?.endpoint ?? ''}
}
