// What etcdplan knows about the cluster's membership when it plans. A live observation comes from
// the cluster itself (src/cluster, a later issue); an offline one is derived from the spec's
// `source` alone. The planner takes either, so both paths share one planner.

export type ObservationMode = 'live' | 'offline'

export interface ObservedMember {
  /** Member ID as a decimal string (64-bit: never a JS number); null when offline. */
  readonly id: string | null
  /** Empty when the member has been added but never started (etcd shows it as unstarted). */
  readonly name: string
  readonly peerURLs: readonly string[]
  readonly clientURLs: readonly string[]
  readonly isLearner: boolean
  /** Started = the member has published its name to the cluster. */
  readonly started: boolean
}

export interface Observation {
  readonly mode: ObservationMode
  /** Cluster ID as a decimal string; null when offline. */
  readonly clusterId: string | null
  readonly members: readonly ObservedMember[]
  /** Member ID of the leader when known (live), so the planner can move it last. */
  readonly leaderId: string | null
}
