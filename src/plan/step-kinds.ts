// One table of step kinds: what each does to the membership, its terraform-like action and symbol,
// whether it acts on a member's host, whether the plan knows it needs an operator, and how its
// result is verified. The planner's model, the safety checker, the applier's stale check and the
// renderers all read this table, so a new step kind is added here once (the mapped type makes the
// compiler demand an entry) and nowhere silently skipped.
import type {NodeProviderName} from '../spec/types.js'
import type {Step, StepKind} from './types.js'

/** `+` adds, `-` removes, `~` changes, `<=` only checks or reads. */
export type StepAction = 'add' | 'remove' | 'change' | 'read'

/** One member of a membership as the plan sees it; the list is in the order members joined. */
export interface MemberState {
  readonly name: string
  readonly peerURL: string
  readonly isLearner: boolean
  /** Started = has published its name: only started voters vote. */
  readonly started: boolean
  /** Did not answer when the plan was made (a dead member the plan removes first). */
  readonly down?: boolean
}

export type Membership = readonly MemberState[]

/**
 * How a step is ordered in the plan's graph (dependsOn, see step-builder.ts):
 * - barrier: stands for the whole cluster: waits for everything before it, everything after waits for it;
 * - serial: acts on the cluster while it runs (a membership change: etcd allows one reconfiguration at
 *   a time, each add waiting for the last added member; a leadership move; a restart, a voter down; a
 *   config rewrite to the membership at that point): serial steps run one after another;
 * - member: concerns one member only: waits for that member's previous step (and the last barrier).
 */
export type Scheduling = 'barrier' | 'serial' | 'member'

export interface StepKindInfo<S extends Step> {
  readonly action: StepAction
  readonly scheduling: Scheduling
  /** Whether the step acts on a member's machine (through the node provider). */
  readonly actsOnHost: boolean
  /** Whether the plan already knows this step is the operator's to do (apply stops with exit code 3). */
  readonly needsOperator: (step: S) => boolean
  /** Whether apply may stop at it for the operator (`--confirm STEP_ID` continues). */
  readonly mayNeedOperator: boolean
  /** How the applier knows the step took effect: one sentence for reviewers. */
  readonly verifiedBy: string
  /**
   * The membership of the cluster the step acts on, after it. Steps that leave the membership alone
   * have none. restore-member builds a member of a new cluster: replayed from an empty membership,
   * the restores give the restored cluster.
   */
  readonly membership?: (before: Membership, step: S) => Membership
}

const update = (before: Membership, name: string, change: Partial<MemberState>): Membership => before.map((m) => (m.name === name ? {...m, ...change} : m))
const never = () => false

export const STEP_KINDS: {readonly [K in StepKind]: StepKindInfo<Extract<Step, {kind: K}>>} = {
  preflight: {action: 'read', scheduling: 'barrier', actsOnHost: false, needsOperator: never, mayNeedOperator: false, verifiedBy: 'a check only: the live cluster as the plan expects it, healthy, without alarms'},
  'copy-certificates': {action: 'add', scheduling: 'member', actsOnHost: true, needsOperator: never, mayNeedOperator: false, verifiedBy: 'each copy has the sha256 of its source on the apply machine, checked on the host'},
  'write-config': {action: 'add', scheduling: 'member', actsOnHost: true, needsOperator: never, mayNeedOperator: false, verifiedBy: 'the file is read back and compared with the planned text'},
  'add-learner': {
    action: 'add', scheduling: 'serial',
    actsOnHost: false,
    needsOperator: never, mayNeedOperator: false,
    verifiedBy: 'the member list shows a learner with the planned peer URL',
    membership: (before, step) => [...before, {name: step.member, peerURL: step.peerURL, isLearner: true, started: false}],
  },
  'add-member': {
    action: 'add', scheduling: 'serial',
    actsOnHost: false,
    needsOperator: never, mayNeedOperator: false,
    verifiedBy: 'the member list shows a voter with the planned peer URL',
    membership: (before, step) => [...before, {name: step.member, peerURL: step.peerURL, isLearner: false, started: false}],
  },
  'start-member': {
    action: 'add', scheduling: 'member',
    actsOnHost: true,
    needsOperator: never, mayNeedOperator: false,
    verifiedBy: 'the member publishes its name and answers Status at its client URL',
    membership: (before, step) => update(before, step.member, {started: true}),
  },
  'wait-caught-up': {action: 'read', scheduling: 'member', actsOnHost: false, needsOperator: never, mayNeedOperator: false, verifiedBy: "the member's applied index is within the tolerance of the leader's, on two polls in a row"},
  promote: {
    action: 'change', scheduling: 'serial',
    actsOnHost: false,
    needsOperator: never, mayNeedOperator: false,
    verifiedBy: 'the member list shows the member as a voter',
    membership: (before, step) => update(before, step.member, {isLearner: false}),
  },
  'switch-dns': {action: 'change', scheduling: 'barrier', actsOnHost: false, needsOperator: (step) => step.via === 'manual', mayNeedOperator: true, verifiedBy: 'the name resolves to exactly the target addresses (with dns.verify)'},
  'move-leader': {action: 'change', scheduling: 'serial', actsOnHost: false, needsOperator: never, mayNeedOperator: false, verifiedBy: 'the member no longer leads'},
  'remove-member': {
    action: 'remove', scheduling: 'serial',
    actsOnHost: false,
    needsOperator: never, mayNeedOperator: false,
    verifiedBy: 'the member list no longer has the peer URL',
    membership: (before, step) => before.filter((m) => m.name !== step.member && m.peerURL !== step.peerURL),
  },
  'stop-member': {action: 'remove', scheduling: 'member', actsOnHost: true, needsOperator: never, mayNeedOperator: true, verifiedBy: 'the member no longer answers at its client URL'},
  'fence-member': {action: 'remove', scheduling: 'member', actsOnHost: true, needsOperator: never, mayNeedOperator: false, verifiedBy: 'the paths no longer exist on the host and their moved-aside copies do (nothing is deleted)'},
  'rewrite-config': {action: 'change', scheduling: 'serial', actsOnHost: true, needsOperator: never, mayNeedOperator: false, verifiedBy: 'the file is read back and compared with the planned text'},
  'restart-member': {action: 'change', scheduling: 'serial', actsOnHost: true, needsOperator: never, mayNeedOperator: false, verifiedBy: 'the member answers again, healthy and caught up'},
  verify: {action: 'read', scheduling: 'barrier', actsOnHost: false, needsOperator: never, mayNeedOperator: false, verifiedBy: 'a check only: exactly the target members, all healthy voters'},
  'snapshot-save': {action: 'read', scheduling: 'barrier', actsOnHost: false, needsOperator: never, mayNeedOperator: false, verifiedBy: 'the file holds the whole stream'},
  // Not a barrier: the check reads the saved file only, so the restores run beside it; verify (a
  // barrier) waits for it before the restored cluster counts.
  'snapshot-verify': {action: 'read', scheduling: 'member', actsOnHost: true, needsOperator: never, mayNeedOperator: false, verifiedBy: "the snapshot tool's integrity check"},
  'restore-member': {
    action: 'add', scheduling: 'member',
    actsOnHost: true,
    needsOperator: never, mayNeedOperator: false,
    verifiedBy: 'the data dir holds a restore etcdplan completed',
    membership: (before, step) => [...before, {name: step.member, peerURL: step.peerURL, isLearner: false, started: false}],
  },
  'verify-data': {action: 'read', scheduling: 'barrier', actsOnHost: false, needsOperator: never, mayNeedOperator: false, verifiedBy: "a check only: the new cluster's revision and keys against the snapshot and the source"},
}

/** The table's entry for this step, typed for it. */
export function kindOf<S extends Step>(step: S): StepKindInfo<S> {
  return STEP_KINDS[step.kind as StepKind] as unknown as StepKindInfo<S>
}

/**
 * Whether apply may stop at this step for the operator, with this node provider: the table's
 * mayNeedOperator, and with nodes.provider manual also every step that acts on a member's host
 * (write or rewrite a config, start, stop, restart, restore), since the operator does those; not
 * snapshot-verify, which checks the snapshot on the apply machine.
 */
export function mayNeedOperatorWith(step: Step, provider: NodeProviderName): boolean {
  const kind = kindOf(step)
  return kind.mayNeedOperator || (provider === 'manual' && kind.actsOnHost && step.kind !== 'snapshot-verify')
}

/** The membership after `step`. */
export function membershipAfter(before: Membership, step: Step): Membership {
  const effect = kindOf(step).membership
  return effect === undefined ? before : effect(before, step)
}
