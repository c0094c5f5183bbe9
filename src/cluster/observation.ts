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
  /**
   * Started members that answered Status at none of their client URLs when observed (live only;
   * left out = none). The planner removes such a voter before anything is added: etcd refuses an
   * add while a voter is not connected (`unhealthy cluster`), but always allows removing one.
   */
  readonly down?: readonly DownMember[]
  /**
   * The config files on the hosts of the target members that joined in an earlier apply (read through
   * the node provider when planning live; left out = none read). A re-plan compares them with what the
   * target's configs must be, so that config rewrites and restarts an interrupted migration had still
   * to do are kept.
   */
  readonly configs?: readonly ObservedConfig[]
  /** The etcd versions seen when planning live (left out offline): the skew rules and the fingerprint use them. */
  readonly versions?: ObservedVersions
  /** The leader's DB size in bytes (its Status dbSize) when planning live: what a new member must receive to catch up (estimates only; not fingerprinted, it grows with every write). */
  readonly leaderDbSize?: number
}

/**
 * etcd versions a live plan is made against. Members one minor apart may run together; the cluster
 * version is the lowest member version and rises only when all run the newer release (etcd-facts.md).
 */
export interface ObservedVersions {
  /** Each member's server version from its Status (decimal ID), null when it did not answer; by ID. */
  readonly members: readonly {readonly id: string; readonly version: string | null}[]
  /** The cluster version etcd decided (HTTP /version `etcdcluster`, e.g. "3.4.0"); null when not read. */
  readonly cluster: string | null
  /** `etcd --version` of the binary on each new member's host (the provider's probe); null when not learned. */
  readonly binaries: readonly {readonly member: string; readonly version: string | null}[]
}

/** A member's --config-file as found on its host. */
export interface ObservedConfig {
  readonly member: string
  readonly path: string
  /** null when there is no file at `path`. */
  readonly content: string | null
}

/** A member that did not answer when observed, with what the attempt said. */
export interface DownMember {
  /** Decimal member ID. */
  readonly id: string
  /** Why it did not answer (connection refused, deadline exceeded, ...). */
  readonly error: string
}
