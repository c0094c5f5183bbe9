// The shape of what `etcdplan status` reports (and prints with --json): one view per cluster (its
// rows, ID, leader and alarms), the journal's position and the state lock. A join migration is one
// cluster throughout; a snapshot migration is two (the restore makes a NEW cluster, with its own
// cluster ID and member IDs: etcd-facts.md, "Snapshot"), so its report has a section for each and
// says which of them the exit code is computed from. Types only: building is build-status-report.ts.
import type {JournalStatus, StepStatus} from '../apply/journal.js'
import type {HolderState, StateLockInfo} from '../apply/state-lock-info.js'

/**
 * healthy: answers Status without errors and follows a leader. learner: a learner that answers
 * without errors (etcd's endpoint health is unhealthy on learners by design, etcd-facts.md).
 * unhealthy: answers, but reports errors (alarms, ...) or knows no leader. unreachable: no answer.
 * Says only how the endpoint answered; whether that is a fault depends on `membership`.
 */
export type MemberHealth = 'healthy' | 'unhealthy' | 'unreachable' | 'learner'

/** Which list of the spec names the member; null for a member only the cluster knows. */
export type MemberRole = 'source' | 'target' | 'both' | null

/**
 * Where the row stands in its cluster's live membership (matched by peer URL or client URL):
 * - 'member': the cluster lists it (a member only the cluster knows is one too). Only these rows
 *   count towards the exit code: a member the cluster lists must be healthy (or a learner in order).
 * - 'removed': a source member the cluster no longer lists (the migration removed it), or one whose
 *   `remove-member` step the journal records as done while the cluster does not answer. Not a fault;
 *   `error` null means its process still answers on its client URL ("removed, still running").
 * - 'not-added': a target member the cluster does not list yet, or a member of a snapshot's target
 *   cluster that is not created yet. Not a fault.
 * - 'unlisted': a member the spec keeps (in source and target) that the cluster does not list. Not
 *   counted: the cluster's own members decide the exit code, and `plan` says what to do about it.
 * - 'unknown': no endpoint answered, so there is no membership to compare with.
 */
export type Membership = 'member' | 'removed' | 'not-added' | 'unlisted' | 'unknown'

export interface StatusRow {
  /** The spec's name for this client URL, else the name in the member list; null when neither knows one. */
  readonly name: string | null
  readonly endpoint: string
  /** Member ID in hex, as etcdctl shows it; from the member list when the endpoint did not answer. */
  readonly id: string | null
  readonly version: string | null
  readonly dbSize: number | null
  readonly isLeader: boolean
  /** From the member's own Status, else the member list; null when neither says. */
  readonly isLearner: boolean | null
  readonly raftTerm: number | null
  readonly raftIndex: number | null
  readonly raftAppliedIndex: number | null
  /**
   * Whether the member's own Status names a leader it follows (or is); false for a member cut off
   * from its cluster's majority (a follower or candidate of the minority side, which still answers
   * Status: it is served by the member itself); null when it did not answer.
   */
  readonly hasLeader: boolean | null
  /** Errors the member reports about itself (alarms, ...). */
  readonly errors: readonly string[]
  /** Why the endpoint did not answer; null when it did. */
  readonly error: string | null
  readonly health: MemberHealth
  readonly role: MemberRole
  readonly membership: Membership
}

export interface StatusAlarm {
  /** Hex member ID. */
  readonly memberId: string
  readonly name: string | null
  readonly alarm: string
}

/** One cluster as observed through a set of client URLs. */
export interface ClusterView {
  /** False when no endpoint answered the member list. */
  readonly reachable: boolean
  /** Why the cluster is unreachable (every endpoint's error); null when it answered. */
  readonly unreachableReason: string | null
  /** Hex cluster ID; null when unreachable. */
  readonly clusterId: string | null
  readonly leader: {readonly id: string; readonly name: string | null} | null
  readonly alarms: readonly StatusAlarm[]
  readonly members: readonly StatusRow[]
  /** The cluster version etcd decided (e.g. "3.5.0"), when read; left out when unreachable or not decided. */
  readonly clusterVersion?: string
}

export type ClusterSide = 'source' | 'target'

/**
 * How a snapshot migration's cluster stands: 'up' it answers; 'not-created' (target) no target
 * member answers and the journal has started none; 'stopped' (source) no source member answers and
 * the target is the cluster that serves; 'unreachable' it does not answer although it should.
 */
export type ClusterState = 'up' | 'not-created' | 'stopped' | 'unreachable'

/** A snapshot migration's source or target cluster, observed through its own members' client URLs only. */
export interface ClusterSection extends ClusterView {
  readonly side: ClusterSide
  readonly state: ClusterState
  /** Whether this is the cluster the exit code is computed from. */
  readonly serving: boolean
}

export interface JournalSummary {
  readonly status: JournalStatus
  readonly done: number
  readonly total: number
  /** The first step not done. */
  readonly next: {readonly id: string; readonly status: StepStatus} | null
  readonly failed: {readonly id: string; readonly error: string | null} | null
  /** The plan's estimates against the real durations, when the journal records them (made by an etcdplan with estimates). */
  readonly timing?: JournalTiming | null
}

/** Estimate against actual: per step, and in total over the steps done whose estimate is known. */
export interface JournalTiming {
  readonly steps: readonly {readonly id: string; readonly estimatedMs: number | null; readonly actualMs: number | null}[]
  /** Sum of the real durations of the steps done. */
  readonly actualMs: number
  /** Sum of the estimates of those same steps (the operator's steps, unknown, left out of both). */
  readonly estimatedMs: number
  /** Sum of the estimates of every step of the plan. */
  readonly plannedMs: number
}

export interface LockSummary {
  readonly path: string
  /** The lock file's content; null when it is not a readable lock (see problem). */
  readonly info: StateLockInfo | null
  /** Whether the holder still runs; 'not-running' means the lock is stale. Null when unreadable. */
  readonly holder: HolderState | null
  readonly problem: string | null
  /** The command that removes a stale lock; null otherwise. */
  readonly forceUnlock: string | null
}

/**
 * The report. Its top-level cluster fields (reachable ... members) are the cluster the exit code is
 * computed from: for a join migration its only cluster, as before; for a snapshot migration the
 * serving section (`serving`), whose rows are then only that cluster's — both clusters are in `clusters`.
 */
export interface StatusReport extends ClusterView {
  /** The migration's name (spec `name`). */
  readonly migration: string
  readonly strategy: 'join' | 'snapshot'
  /** Snapshot only: which cluster the top-level fields and the exit code describe; null for join. */
  readonly serving: ClusterSide | null
  /** Snapshot only: why that one (see choose-serving-cluster.ts); null for join. */
  readonly servingReason: string | null
  /** Snapshot only: both clusters, each observed on its own; null for join. */
  readonly clusters: {readonly source: ClusterSection; readonly target: ClusterSection} | null
  readonly journalPath: string
  /** Where the apply journal stands; null when there is none (or it cannot be read: see journalError). */
  readonly journal: JournalSummary | null
  /** Why the journal could not be read (corrupt, not a journal, unreadable); null otherwise. */
  readonly journalError: string | null
  /** The journal's state lock, when an apply holds it (or left it behind); null when free. */
  readonly lock: LockSummary | null
}
