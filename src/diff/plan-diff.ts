// The shape of `etcdplan diff OLD NEW`: what changed between two plans of one migration, so a
// regenerated plan is re-reviewed by its differences. Printed as it is by `diff --json`: the field
// names and their order are part of the interface (README, "etcdplan diff").
import type {PlanSummary, Precondition} from '../plan/types.js'

export interface Change<T> {
  readonly old: T
  readonly new: T
}

/** One field that differs, by its path in the object (`after.tolerates`, `expectedVoters`). */
export interface FieldChange {
  readonly field: string
  readonly old: unknown
  readonly new: unknown
}

export interface ObservedMemberRef {
  /** Decimal member ID (live), or null (offline, or a member added that never started). */
  readonly id: string | null
  readonly name: string
  readonly peerURLs: readonly string[]
}

export interface ObservationDiff {
  readonly fingerprint: Change<string> | null
  readonly mode: Change<string> | null
  readonly clusterId: Change<string | null> | null
  /** The leader, by name where the observation names it, else by hex ID. */
  readonly leader: Change<string | null> | null
  readonly membersAdded: readonly ObservedMemberRef[]
  readonly membersRemoved: readonly ObservedMemberRef[]
  readonly membersChanged: readonly {readonly member: ObservedMemberRef; readonly changes: readonly FieldChange[]}[]
  /** Members that did not answer when the plan was made, by name (or hex ID). */
  readonly down: {readonly added: readonly string[]; readonly removed: readonly string[]}
  /** `etcd2`, `cluster`, `binary of etcd4`: each version that differs. */
  readonly versions: readonly FieldChange[]
  /** The configs found on the hosts of members that joined before, by member: what changed. */
  readonly configsFound: readonly FieldChange[]
}

export interface PreconditionsDiff {
  readonly added: readonly Precondition[]
  readonly removed: readonly Precondition[]
  readonly changed: readonly {readonly check: string; readonly member: string | null; readonly old: string; readonly new: string}[]
}

export interface StepChange {
  readonly id: string
  /** 1-based positions in each plan. */
  readonly oldPosition: number
  readonly newPosition: number
  /** Every field but the preconditions; config texts are summarised here and diffed in `configs`. */
  readonly fields: readonly FieldChange[]
  readonly preconditions: PreconditionsDiff
}

export interface StepsDiff {
  readonly added: readonly {readonly id: string; readonly position: number}[]
  readonly removed: readonly {readonly id: string; readonly position: number}[]
  /** Steps in both plans whose order relative to the others changed (outside the longest common order). */
  readonly moved: readonly {readonly id: string; readonly oldPosition: number; readonly newPosition: number}[]
  readonly changed: readonly StepChange[]
}

/** A config a step writes, new or changed between the plans, as a unified diff (plain text). */
export interface ConfigDiff {
  readonly step: string
  readonly member: string
  readonly path: string
  readonly action: 'add' | 'change'
  readonly diff: string
}

export interface PlanDiff {
  readonly name: string
  readonly same: boolean
  readonly old: {readonly file: string; readonly contentHash: string}
  readonly new: {readonly file: string; readonly contentHash: string}
  readonly specHash: Change<string> | null
  readonly strategy: Change<string> | null
  readonly options: readonly FieldChange[]
  readonly observation: ObservationDiff
  /** The planned members (`+`/`-`/`~`): added to or dropped from the plan, or their action changed. */
  readonly members: {readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly FieldChange[]}
  readonly steps: StepsDiff
  readonly configs: readonly ConfigDiff[]
  readonly warnings: {readonly added: readonly string[]; readonly removed: readonly string[]}
  readonly summary: Change<PlanSummary> | null
  /** Any other top-level field that differs (specFile, sourceVoters, targetVoters, formatVersion). */
  readonly other: readonly FieldChange[]
}
