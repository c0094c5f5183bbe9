// The plan: an ordered graph of steps from the observed membership to the target, as written to a
// plan file (schemas/plan.schema.json) and executed by the applier. Steps are a discriminated union
// on `kind`; code that handles them switches on it and ends in an exhaustiveness check.

import type {FinalState, JoinOrder, Strategy} from '../spec/types.js'
import type {ObservationMode, ObservedVersions} from '../cluster/observation.js'
import type {PlanEstimate, StepEstimate} from '../estimate/estimate-types.js'
import type {PointOfNoReturn} from './point-of-no-return.js'

/**
 * 2: the observation records everything the planner read (leader, client URLs, started), and dependsOn holds the real edges.
 * 3: the observation records the members that were down (each step's fault tolerance counts them) and the
 *    configs found on the hosts of members that joined before (a re-plan rewrites those that differ).
 * 4: the observation records the etcd versions (members, cluster, new members' binaries), part of the
 *    fingerprint; verify may wait for the cluster version the target runs at (upgrading while migrating).
 * 5: steps copy-certificates and fence-member, the certificates-valid precondition, the point of no
 *    return, estimates per step and in total, and the summary's config rewrites and restarts.
 */
export const PLAN_FORMAT_VERSION = 5

/** Voters, quorum and how many voter failures the cluster survives, at one moment of the plan. */
export interface FaultTolerance {
  /** Voting members, started or not: quorum is computed over all of them. */
  readonly voters: number
  /** Voters that have started (published their name): only they can vote. */
  readonly startedVoters: number
  readonly learners: number
  /** Started voters that were down when the plan was made (they still count towards quorum, but do not vote). */
  readonly down: number
  /** floor(voters / 2) + 1 */
  readonly quorum: number
  /** startedVoters - down - quorum: how many more voters may fail before writes stop (negative = no quorum). */
  readonly tolerates: number
}

/** A check the applier makes against the live cluster before it acts. */
export interface Precondition {
  readonly check: PreconditionCheck
  readonly member?: string
  /** Human sentence shown in the plan, e.g. "every voter is healthy". */
  readonly description: string
}

/**
 * Every check a plan may name; the applier evaluates each through its gate (src/apply/gates/), and a
 * plan naming a check not listed here is refused before anything runs.
 */
export const PRECONDITION_CHECKS = [
  'cluster-matches-plan', // the live membership is the one the plan expects at this step
  'voters-healthy', // every voter answers Status without errors
  'no-alarms',
  'no-learner', // etcd allows one learner at a time (3.4, 3.5)
  'member-absent', // no member has this peer URL yet
  'member-present',
  'member-is-learner',
  'member-is-voter',
  'member-started',
  'member-caught-up',
  'previous-member-caught-up', // one add at a time: the last added member is started and in sync
  'quorum-after-change', // the started voters left still form a quorum
  'not-leader', // leadership moved away before removal or restart
  'config-written',
  'snapshot-present',
  'data-dir-empty',
  // Before the first add: a new member's host can start it (etcd fails only after `member add`).
  'etcd-version-compatible', // the member's etcd binary runs, and its version can join the cluster's
  'ports-free', // every address the member's config listens on is free on its host
  'config-files-readable', // every file the member's config names can be read on its host
  'certificates-valid', // the member's certificates cover its URLs, match their keys, lead to the CA, are valid
] as const

export type PreconditionCheck = (typeof PRECONDITION_CHECKS)[number]

export type StepKind = Step['kind']

interface StepBase {
  /** Stable id, `<kind>/<member>` (or `<kind>` for cluster-wide steps): the journal's key. */
  readonly id: string
  readonly dependsOn: readonly string[]
  /** One human sentence: what the step does and why. */
  readonly description: string
  readonly preconditions: readonly Precondition[]
  readonly before: FaultTolerance
  readonly after: FaultTolerance
  /** Expected duration and client impact (src/estimate); advice for the reviewer, never read by the applier. */
  readonly estimate?: StepEstimate
}

/** A member's etcd --config-file, in full, as the plan writes it. */
export interface RenderedConfig {
  readonly path: string
  /** The YAML text written to `path`. */
  readonly content: string
}

export interface PreflightStep extends StepBase {
  readonly kind: 'preflight'
}
export interface CopyCertificatesStep extends StepBase {
  readonly kind: 'copy-certificates'
  readonly member: string
  /** Each certificate file: `from` on the apply machine (cluster.distribute.from), `to` on the member's host. Paths only. */
  readonly files: readonly {readonly from: string; readonly to: string}[]
}
export interface WriteConfigStep extends StepBase {
  readonly kind: 'write-config'
  readonly member: string
  readonly config: RenderedConfig
}
export interface AddLearnerStep extends StepBase {
  readonly kind: 'add-learner'
  readonly member: string
  readonly peerURL: string
}
export interface AddMemberStep extends StepBase {
  readonly kind: 'add-member'
  readonly member: string
  readonly peerURL: string
}
export interface StartMemberStep extends StepBase {
  readonly kind: 'start-member'
  readonly member: string
  readonly configPath: string
}
export interface WaitCaughtUpStep extends StepBase {
  readonly kind: 'wait-caught-up'
  readonly member: string
  /** Raft entries the member may lag behind the leader. */
  readonly tolerance: number
}
export interface PromoteStep extends StepBase {
  readonly kind: 'promote'
  readonly member: string
}
export interface SwitchDnsStep extends StepBase {
  readonly kind: 'switch-dns'
  readonly name: string
  readonly via: string
  /** Client URLs the name must lead to afterwards. */
  readonly clientURLs: readonly string[]
}
export interface MoveLeaderStep extends StepBase {
  readonly kind: 'move-leader'
  /** The member leadership is moved away from; the step does nothing unless it leads at that moment. */
  readonly member: string
  /** Voters that may take over (caught-up, not being removed); the applier picks one. */
  readonly candidates: readonly string[]
}
export interface RemoveMemberStep extends StepBase {
  readonly kind: 'remove-member'
  readonly member: string
  readonly peerURL: string
}
export interface StopMemberStep extends StepBase {
  readonly kind: 'stop-member'
  readonly member: string
}
/**
 * A removed (join) or retired (snapshot) member's host is fenced: its config file, and with join its
 * data dir (and a separate wal-dir), are renamed beside themselves to `<path>.removed-<UTC stamp>`
 * — never deleted — so that a supervisor or a person starting it again cannot rejoin or bootstrap
 * under the old identity (docs/etcd-facts.md, "Removed members").
 */
export interface FenceMemberStep extends StepBase {
  readonly kind: 'fence-member'
  readonly member: string
  /** The member's config file on its host: always moved aside. */
  readonly configFile: string
  /** The data dir moved aside; null when it is kept in place (snapshot: the fallback of the old cluster). */
  readonly dataDir: string | null
  /** A wal-dir outside the data dir, moved aside with it; absent when the WAL is inside the data dir or the data dir is kept. */
  readonly walDir?: string
}
export interface RewriteConfigStep extends StepBase {
  readonly kind: 'rewrite-config'
  readonly member: string
  readonly previous: RenderedConfig
  readonly config: RenderedConfig
}
export interface RestartMemberStep extends StepBase {
  readonly kind: 'restart-member'
  readonly member: string
  readonly configPath: string
}
export interface VerifyStep extends StepBase {
  readonly kind: 'verify'
  /** Exactly these members, all voters, all started. */
  readonly expectedVoters: readonly string[]
  /**
   * The cluster version (major.minor) the target members run at, when the plan knows every target
   * member's version and it is above the observed cluster version: etcd raises it asynchronously
   * (the leader's monitorVersions, every 4 s), so verify waits for it.
   */
  readonly clusterVersion?: string
}
export interface SnapshotSaveStep extends StepBase {
  readonly kind: 'snapshot-save'
  /** A source member name, or 'auto' = the leader at apply time. */
  readonly from: string
  readonly path: string
}
export interface SnapshotVerifyStep extends StepBase {
  readonly kind: 'snapshot-verify'
  readonly path: string
}
export interface RestoreMemberStep extends StepBase {
  readonly kind: 'restore-member'
  readonly member: string
  readonly snapshotPath: string
  readonly dataDir: string
  readonly initialCluster: string
  readonly initialClusterToken: string
  readonly peerURL: string
}
export interface VerifyDataStep extends StepBase {
  readonly kind: 'verify-data'
  readonly snapshotPath: string
}

export type Step =
  | PreflightStep
  | CopyCertificatesStep
  | WriteConfigStep
  | AddLearnerStep
  | AddMemberStep
  | StartMemberStep
  | WaitCaughtUpStep
  | PromoteStep
  | SwitchDnsStep
  | MoveLeaderStep
  | RemoveMemberStep
  | StopMemberStep
  | FenceMemberStep
  | RewriteConfigStep
  | RestartMemberStep
  | VerifyStep
  | SnapshotSaveStep
  | SnapshotVerifyStep
  | RestoreMemberStep
  | VerifyDataStep

/** How a member takes part in the migration, for the `+`/`-`/`~` summary. */
export type MemberAction = 'add' | 'remove' | 'change' | 'keep'

export interface PlannedMember {
  readonly name: string
  readonly action: MemberAction
  readonly peerURL: string
  readonly clientURL: string
  /** Decimal member ID when the live cluster told us. */
  readonly id: string | null
}

/**
 * The observed cluster a plan was made against, with everything the planner read from it: apply
 * refuses when the live cluster differs (the fingerprint), and re-derives the plan from the spec and
 * this record to prove the file is what the planner made (see rederive-plan.ts).
 */
export interface PlanObservation {
  readonly mode: ObservationMode
  readonly clusterId: string | null
  /** The leader when the plan was made (the planner removes it last); null offline. */
  readonly leaderId: string | null
  readonly members: readonly {
    readonly id: string | null
    readonly name: string
    readonly peerURLs: readonly string[]
    readonly clientURLs: readonly string[]
    readonly isLearner: boolean
    readonly started: boolean
  }[]
  /** Started members that answered at none of their client URLs (live), by ID, with the error. */
  readonly down: readonly {readonly id: string; readonly error: string}[]
  /** The configs found on the hosts of target members that joined before this plan (live), by member. */
  readonly configs: readonly {readonly member: string; readonly path: string; readonly content: string | null}[]
  /** The etcd versions seen (live plans only): members' Status versions, the cluster version, new members' binaries. */
  readonly versions?: ObservedVersions
  /** The leader's DB size in bytes when planned live (estimates only; not part of the fingerprint). */
  readonly leaderDbSize?: number
  /** sha256 of the canonical JSON of clusterId + members (id, peer URLs, learner flag) + versions. */
  readonly fingerprint: string
}

export interface PlanOptions {
  readonly learner: boolean
  readonly order: JoinOrder
  readonly finalState: FinalState
  readonly rollingRestart: boolean
  readonly catchUpTolerance: number
}

export interface PlanWarning {
  readonly code: string
  readonly message: string
}

/**
 * What the plan does, counted by member as terraform counts resources: `add` and `remove` the members
 * it adds and removes; `change` the members it changes in place — a kept member a step touches, and
 * any member (also one it adds) whose config it rewrites or which it restarts, since a rewrite and a
 * restart act on a running member. `configRewrites` and `restarts` count those steps, so the summary
 * line can say what the changes are.
 */
export interface PlanSummary {
  readonly add: number
  readonly change: number
  readonly remove: number
  readonly configRewrites: number
  readonly restarts: number
}

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION
  readonly name: string
  readonly strategy: Strategy
  /** sha256 of the normalised spec: apply refuses a plan made from another spec. */
  readonly specHash: string
  /** The spec file the plan was made from, as given to `plan`; `apply PLAN` reads it to check the hash. */
  readonly specFile: string
  readonly observation: PlanObservation
  readonly options: PlanOptions
  readonly members: readonly PlannedMember[]
  readonly sourceVoters: readonly string[]
  readonly targetVoters: readonly string[]
  readonly warnings: readonly PlanWarning[]
  readonly steps: readonly Step[]
  readonly summary: PlanSummary
  /** The whole plan's expected duration (the steps' estimates summed) and what it assumed. */
  readonly estimate?: PlanEstimate
  /** The first step after which a rollback plan can no longer return to the source (point-of-no-return.ts); null when none does. */
  readonly pointOfNoReturn: PointOfNoReturn | null
  /** Set on a plan made by `plan --rollback`: the migration it returns from, and what it found done (src/rollback/). */
  readonly rollbackOf?: RollbackOf
  /** sha256 over the canonical JSON of every field above; apply refuses a plan edited by hand. */
  readonly contentHash: string
}

/**
 * What a rollback plan was derived from, recorded so that apply can derive the same spec again (the
 * forward spec with source and target swapped, rollback-spec.ts) and prove the plan is the planner's.
 */
export interface RollbackOf {
  /** The forward migration's name (its journal is `.etcdplan/<migration>/`). */
  readonly migration: string
  /** Target members of the forward migration that were in the cluster when the rollback was planned. */
  readonly added: readonly string[]
  /** Whether the forward apply had started its DNS switch (then the rollback points DNS back). */
  readonly dnsSwitched: boolean
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`)
}
