// The floor of a join: the waits etcd itself imposes in a run, which no tool can avoid.
//  - Each 5-s window: etcd refuses `member add` as `unhealthy cluster` until the member receiving it
//    has been connected to every voter (3.5.30+: a quorum) for HealthInterval, 5 s
//    (--strict-reconfig-check; docs/etcd-facts.md "Membership gates"). Counted at 5 s each.
//  - Each catch-up: a new member receives the leader's whole database; at the transfer rate etcd
//    achieves alone on this machine (the expert script's learners), that takes bytes / rate.
//  - Each restart until the member serves again, as measured in that run.
// A window and a catch-up overlap: both start when the previous new member starts (its connections
// to the voters are what the window waits for), and the next add must wait for both (the learner limit
// is 1: the previous one is promoted, i.e. caught up, first). So each window costs only what it
// lasts beyond that member's catch-up: per new member, max(5 s, catch-up) when the add after it hit a
// window, its catch-up alone otherwise.
// Everything else (starting members, membership calls, leader moves) is the tool's own time.

/** etcd's HealthInterval (etcdserver/server.go): the 5-s window an add waits for. */
export const HEALTH_WINDOW_MS = 5000

export interface FloorInput {
  /** How many 5-s windows the run hit (adds refused as `unhealthy cluster`), each after one new member. */
  readonly healthWindows: number
  /** Bytes each new member had to receive (the leader's DB size), one entry per new member, in join order. */
  readonly catchUpBytes: readonly number[]
  /** The transfer rate etcd achieves alone, bytes per second; null when not measured. */
  readonly transferBytesPerSecond: number | null
  /** Each restart's duration until the member served again, measured. */
  readonly restartsMs: readonly number[]
}

export interface Floor {
  readonly totalMs: number
  /** What the windows last beyond the catch-ups they overlap. */
  readonly windowsMs: number
  readonly catchUpMs: number
  readonly restartsMs: number
}

export function floorOf(input: FloorInput): Floor {
  const rate = input.transferBytesPerSecond
  const catchUps = input.catchUpBytes.map((bytes) => (rate === null || rate <= 0 ? 0 : (bytes / rate) * 1000))
  // The windows follow the first members: the add after the last one is none (3.5.30+ may hit none).
  const windowsMs = catchUps.reduce((sum, ms, i) => sum + (i < input.healthWindows ? Math.max(0, HEALTH_WINDOW_MS - ms) : 0), 0) + Math.max(0, input.healthWindows - catchUps.length) * HEALTH_WINDOW_MS
  const catchUpMs = catchUps.reduce((sum, ms) => sum + ms, 0)
  const restartsMs = input.restartsMs.reduce((sum, ms) => sum + ms, 0)
  return {totalMs: windowsMs + catchUpMs + restartsMs, windowsMs, catchUpMs, restartsMs}
}

/** Bytes per second of a transfer of `bytes` in `ms`; null for a duration that cannot be a rate. */
export function rateOf(bytes: number, ms: number): number | null {
  return ms > 0 && bytes > 0 ? bytes / (ms / 1000) : null
}
