// Where to send a request. MoveLeader must reach the leader itself (`etcdserver: not leader`
// otherwise). A membership change may go to any voter, and etcd's strict reconfig check runs on
// the member that RECEIVES it, with that member's own view of which peers have been connected for
// 5 s (etcd-facts.md): when one receiver answers `unhealthy cluster` (e.g. it is the member that
// started last), another may already accept, so the receiver rotates over the healthy voters.
import {isHealthy, statusOf, type LiveCluster} from '../../cluster/live-cluster.js'
import {clientURLOf, leaderMember} from '../cluster-gates.js'

/** The leader's client URL, or null while there is no leader (the caller waits). */
export function leaderEndpoint(cluster: LiveCluster): string | null {
  const leader = leaderMember(cluster)
  return leader === null ? null : clientURLOf(leader)
}

export class ReceiverRotation {
  private turn = 0

  /** The leader first, then the other healthy voters in turn (never `excludeId`); null without a leader. */
  pick(cluster: LiveCluster, excludeId: string | null = null): string | null {
    return this.inTurn(cluster, excludeId)[0] ?? null
  }

  /** Every healthy voter's client URL (never `excludeId`'s), starting with the one whose turn it is; empty without a leader. */
  inTurn(cluster: LiveCluster, excludeId: string | null = null): string[] {
    if (leaderMember(cluster) === null) return []
    const healthy = cluster.members
      .filter((m) => !m.isLearner && m.started && m.id !== excludeId && isHealthy(statusOf(cluster, m.id)))
      .sort((a, b) => Number(b.id === cluster.leaderId) - Number(a.id === cluster.leaderId))
      .flatMap((m) => {
        const url = clientURLOf(m)
        return url === null ? [] : [url]
      })
    const first = this.turn % Math.max(1, healthy.length)
    return [...healthy.slice(first), ...healthy.slice(0, first)]
  }

  /** After a "not yet" answer: the next request goes to the next voter. */
  rotate(): void {
    this.turn++
  }
}
