// Where to send a request: membership changes go to the leader (any voter would forward them, but
// the leader's view of peer health is the one etcd's strict reconfig check uses most reliably), and
// MoveLeader must reach the leader itself (`etcdserver: not leader` otherwise).
import type {LiveCluster} from '../../cluster/live-cluster.js'
import {clientURLOf, leaderMember} from '../cluster-gates.js'

/** The leader's client URL, or null while there is no leader (the caller waits). */
export function leaderEndpoint(cluster: LiveCluster): string | null {
  const leader = leaderMember(cluster)
  return leader === null ? null : clientURLOf(leader)
}
