// When etcd's 5-s health window can end. etcd 3.4 and 3.5 < 3.5.30 refuse `member add` (and removing a
// connected voter) as `etcdserver: unhealthy cluster` until the member RECEIVING the request has been
// connected to every voter for HealthInterval = 5 s, counted from when its stream to each peer became
// active (`isConnectedFullySince`, etcd-facts.md "Membership gates"). A peer's streams become active
// shortly after its etcd starts, so a window opened by a start ends no earlier than 5 s after it.
// Start-member and restart-member record here when they started a member; a step refused as
// `unhealthy cluster` sleeps until the earliest moment the window can end and re-checks tightly from
// there, instead of backing off past it. The record lives in this process: an apply resumed in another
// process knows no start, and re-checks with converge's plain short backoff.
import type {LiveCluster} from '../cluster/live-cluster.js'

/** etcd's HealthInterval (etcdserver/server.go, 3.4 and 3.5). */
export const HEALTH_INTERVAL_MS = 5000
/**
 * How long after a start's predicted window end it still counts as the cause: the end is the start
 * plus 5 s plus the time etcd takes to bring its peer streams up (~0.1–0.5 s here); within this
 * span the step re-checks tightly, past it the start explains nothing (a voter that reconnected since
 * restarts its own clock) and the plain backoff applies.
 */
export const WINDOW_SLACK_MS = 1500

export class HealthWindowClock {
  private readonly startedAt = new Map<string, number>()

  /** A member's etcd was (re)started now: its peers' streams to it restart, and with them their 5-s clocks. */
  memberStarted(peerURL: string, at: number = Date.now()): void {
    this.startedAt.set(peerURL, at)
  }

  /**
   * The earliest moment a refusal as `unhealthy cluster` can end, from the starts recorded for the
   * cluster's voters: the soonest window end not yet past by more than WINDOW_SLACK_MS (on 3.5.30+,
   * which needs only a quorum of 5-s-old connections, an earlier start's end may already suffice; on
   * older etcd the refusal then lasts to the next one). Null when no recorded start explains it.
   */
  earliestEnd(cluster: LiveCluster, now: number = Date.now()): number | null {
    const voters = cluster.members.filter((m) => !m.isLearner)
    const ends = voters
      .flatMap((m) => m.peerURLs.map((url) => this.startedAt.get(url)))
      .filter((at): at is number => at !== undefined)
      .map((at) => at + HEALTH_INTERVAL_MS)
      .filter((end) => end > now - WINDOW_SLACK_MS)
    return ends.length === 0 ? null : Math.min(...ends)
  }
}

/** The applier's clock: one apply runs per process, and every step of it shares what its starts recorded. */
export const healthWindow = new HealthWindowClock()
