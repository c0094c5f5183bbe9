// A live observation: the membership the planner needs (Observation) plus what each endpoint said
// about itself when asked separately (etcd-facts.md: Status must be asked of each endpoint), and the
// cluster's alarms. The applier observes before every step; `etcdplan status` renders one.
import type {Observation} from './observation.js'

export interface EndpointStatus {
  /** The client URL that was asked. */
  readonly endpoint: string
  /** Decimal member ID from the response header; null when the endpoint did not answer. */
  readonly memberId: string | null
  /** Why the endpoint did not answer (connection refused, deadline, ...); null when it did. */
  readonly error: string | null
  readonly version: string | null
  readonly dbSize: number | null
  /** Decimal ID of the leader this member follows; null when it knows none. */
  readonly leaderId: string | null
  /** The member's raft committed index. */
  readonly raftIndex: number | null
  readonly raftAppliedIndex: number | null
  readonly raftTerm: number | null
  /** The member's key-value store revision (response header). */
  readonly revision: number | null
  readonly isLearner: boolean | null
  /** Errors the member reports about itself (e.g. alarms). */
  readonly errors: readonly string[]
}

export interface Alarm {
  readonly memberId: string
  readonly alarm: string
}

export interface LiveCluster extends Observation {
  readonly mode: 'live'
  readonly statuses: readonly EndpointStatus[]
  readonly alarms: readonly Alarm[]
  /** The endpoint whose member list this is. */
  readonly answeredBy: string
  /** The cluster version etcd decided (HTTP /version `etcdcluster`, read-cluster-version.ts) when it was read (status); left out = not read. */
  readonly clusterVersion?: string | null
}

/** Hex, as etcdctl shows member IDs. */
export function hexId(id: string | null): string {
  return id === null ? '-' : BigInt(id).toString(16)
}

/** The status reported by the member with this ID (asked at its own endpoint), if it answered. */
export function statusOf(cluster: LiveCluster, memberId: string | null): EndpointStatus | null {
  if (memberId === null) return null
  return cluster.statuses.find((s) => s.memberId === memberId && s.error === null) ?? null
}

/** The leader's own status, when a member reports a leader and the leader answers. */
export function leaderStatus(cluster: LiveCluster): EndpointStatus | null {
  return statusOf(cluster, cluster.leaderId)
}

/** A member counts as healthy when it answers Status, reports no errors and follows a leader. */
export function isHealthy(status: EndpointStatus | null): boolean {
  return status !== null && status.error === null && status.errors.length === 0 && status.leaderId !== null
}
