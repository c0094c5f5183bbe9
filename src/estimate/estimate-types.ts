// What a plan expects each step to cost: how long it takes, what that is made of, and what clients
// notice. Estimates are advice for the reviewer, never a gate: the applier does not read them.

/** Something a client of the cluster may notice while a step runs. */
export type ClientImpact =
  /** A new leader is elected or appointed: in-flight proposals are retried by the client library. */
  | {readonly kind: 'leader-change'; readonly member: string; readonly description: string}
  /** A member's etcd stops (stop, restart, removal): clients connected to it lose their connections and watches, and reconnect to another endpoint. */
  | {readonly kind: 'connection-drop'; readonly member: string; readonly description: string}
  /** Between the DNS switch and the end of the old records' TTL a client resolving the old name may still reach an old member. */
  | {readonly kind: 'old-name-window'; readonly durationMs: number | null; readonly description: string}

export interface StepEstimate {
  /** Expected wall time of the step; null when it is the operator's (manual DNS, a manual provider's action): unknown. */
  readonly durationMs: number | null
  /** What the figure is made of, in a few words: "restart about 1.5 s", "120 MB at 50 MB/s". */
  readonly basis: string
  readonly impact: readonly ClientImpact[]
  /** The part of durationMs spent waiting out etcd's 5-s health window (3.4, 3.5 < 3.5.30). */
  readonly healthWindowMs?: number
}

export interface PlanEstimate {
  /** Sum of the steps' known durations (steps run one after another). */
  readonly durationMs: number
  /** Of which etcd's 5-s health windows. */
  readonly healthWindowMs: number
  /** Steps whose duration is the operator's and not counted in durationMs. */
  readonly unknownSteps: readonly string[]
  /** What the estimate assumed: the DB size, the transfer rate, the etcd version rule. */
  readonly assumptions: readonly string[]
}
