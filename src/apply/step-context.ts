// What a step's executor may use: the plan and spec, the live cluster (observed fresh on every call),
// the node provider, the cluster client, and the journal's member IDs. Built by the applier per step.
import type {ClusterClient} from '../cluster/cluster-client.js'
import type {LiveCluster} from '../cluster/live-cluster.js'
import {NodeProviderError, type NodeProvider} from '../nodes/node-provider.js'
import {NotObservableError} from '../nodes/not-observable.js'
import {OperatorActionNeeded} from '../nodes/operator-action.js'
import type {Plan, PlannedMember, Step} from '../plan/types.js'
import type {MemberSpec, Spec} from '../spec/types.js'
import type {EmitEvent} from './apply-event.js'
import {StepFailedError} from './apply-errors.js'
import {failpoint} from './failpoint.js'
import type {SnapshotRecord} from './journal.js'

export interface StepContext {
  readonly step: Step
  readonly plan: Plan
  readonly spec: Spec
  readonly provider: NodeProvider
  /** Changes and reads of the cluster, each sent to one member's client URL. */
  readonly cluster: ClusterClient
  readonly emit: EmitEvent
  /** Step kinds the operator has confirmed (`--confirm switch-dns` or a yes at the prompt). */
  readonly confirmed: ReadonlySet<string>
  /** The cluster the step acts on: for strategy join the one cluster; for snapshot the new (target) one. */
  observe(): Promise<LiveCluster>
  /** The source cluster (for join the same as observe()). */
  observeSource(): Promise<LiveCluster>
  /** Remembers the ID etcd gave a member this apply added (journaled at once). */
  recordMemberId(name: string, id: string): Promise<void>
  /** The snapshot this apply saved, as journaled (snapshot-save, snapshot-verify); null before, or in an older journal. */
  savedSnapshot(): SnapshotRecord | null
  /** Journals what a snapshot step learnt of the snapshot (replaces the record). */
  recordSnapshot(record: SnapshotRecord): Promise<void>
}

/** The member's spec (for the node provider); null for a member the spec does not list. */
export function memberSpecOf(ctx: StepContext, name: string): MemberSpec | null {
  return [...ctx.spec.target.members, ...ctx.spec.source.members].find((m) => m.name === name) ?? null
}

/** The member's spec for a step that acts on its host: a plan applied with another spec cannot. */
export function requireMemberSpec(ctx: StepContext, name: string): MemberSpec {
  const member = memberSpecOf(ctx, name)
  if (member === null) throw new StepFailedError(ctx.step.id, `the spec does not list ${name}`, 'apply the plan with the spec it was made from')
  return member
}

/**
 * Runs a node-provider action; a failure on the host stops the step with the member's log tail (a
 * reply lost after the action took effect, as the failpoint hook can make it, is such a failure: the
 * resumed apply observes what the action did rather than doing it again). An
 * action that is the operator's (the manual provider's OperatorActionNeeded) counts as done when the
 * operator confirmed this step (`--confirm STEP_ID`), and otherwise goes on up to runStep, which
 * makes it the step's operator result (apply stops with exit code 3 and the instructions).
 */
export async function onHost<T>(ctx: StepContext, action: () => Promise<T>): Promise<T> {
  try {
    const result = await action()
    if (failpoint('after-action', ctx.step.id) === 'lose-reply') throw new NodeProviderError(`the connection to the host dropped after the action was sent (${ctx.step.id}; failpoint: reply lost)`, 'member' in ctx.step ? ctx.step.member : '', '')
    return result
  } catch (error) {
    if (error instanceof OperatorActionNeeded && ctx.confirmed.has(ctx.step.id)) return error.confirmedResult as T
    if (error instanceof NodeProviderError) throw new StepFailedError(ctx.step.id, error.message, hostFailureHint(error), error.logTail)
    throw error
  }
}

/**
 * What to do about a node-provider failure: with a log tail, the cause is in etcd's log; without one
 * (the host could not be reached, a host key refused, a file that could not be written), it is what
 * the message says about the member's host.
 */
export function hostFailureHint(error: NodeProviderError): string {
  if (error.logTail !== '') return 'fix the cause shown in the log (config, port in use, data dir), then run the same apply again: it resumes at this step'
  return `fix what the message says about ${error.member}'s host (for ssh: check that \`ssh\` reaches it as etcdplan does, with nodes.ssh's settings), then run the same apply again: it resumes at this step`
}

/** Whether the member's etcd runs, as the provider sees it; null when it cannot see it (manual): then only the cluster tells. */
export async function runningOrUnknown(ctx: StepContext, member: MemberSpec): Promise<boolean | null> {
  try {
    return await ctx.provider.isRunning(member)
  } catch (error) {
    if (error instanceof NotObservableError) return null
    throw error
  }
}

/** Whether the operator confirmed this step, i.e. its host action was theirs. */
export function confirmedByOperator(ctx: StepContext): boolean {
  return ctx.confirmed.has(ctx.step.id)
}

/** The plan's record of a member: its peer and client URLs and the action on it. */
export function plannedMemberOf(ctx: StepContext, name: string): PlannedMember {
  const member = ctx.plan.members.find((m) => m.name === name)
  if (member !== undefined) return member
  const spec = memberSpecOf(ctx, name)
  if (spec === null) throw new Error(`plan step names member ${name}, which neither the plan nor the spec lists`)
  return {name, action: 'keep', peerURL: spec.peerURL, clientURL: spec.clientURL, id: null}
}
