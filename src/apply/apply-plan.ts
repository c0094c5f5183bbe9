// The applier: walks the plan's steps in order; for each, unless the journal records it done, runs
// its executor (observe → act if needed → verify) and journals the result before the next. A run of
// consecutive steps on different hosts that wait for nothing but earlier steps (the restores of a
// snapshot migration) runs at once (parallel-steps.ts), each journaled as it starts and ends. Running it
// again on the same plan resumes from the journal. It stops (resumably) at the first failure and at a
// step only the operator can do.
import {readdir, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {specClientURLs, STATUS_TIMEOUT_MS} from '../cluster/observe-spec-cluster.js'
import type {EtcdEndpoints} from '../cluster/etcd-endpoints.js'
import {observeCluster} from '../cluster/observe-cluster.js'
import {Etcd3ClusterClient} from '../cluster/cluster-client.js'
import {NodeProviderError, type NodeProvider} from '../nodes/node-provider.js'
import {dependentsOf, walkOrder} from '../plan/step-graph.js'
import type {Plan, Step} from '../plan/types.js'
import type {Spec} from '../spec/types.js'
import type {EmitEvent} from './apply-event.js'
import {StalePlanError, StepFailedError} from './apply-errors.js'
import {checkPlanCurrent, NOT_STARTED, positionOf} from './check-plan-current.js'
import {failpoint} from './failpoint.js'
import {leaderLast, parallelRun} from './parallel-steps.js'
import {checkJournalMatchesPlan, newJournal, readJournal, writeJournal, type Journal, type StepRecord} from './journal.js'
import {hostFailureHint, type StepContext} from './step-context.js'
import {runStep} from './steps/run-step.js'

export interface ApplyInput {
  readonly plan: Plan
  readonly spec: Spec
  readonly journalPath: string
  readonly provider: NodeProvider
  readonly endpoints: EtcdEndpoints
  readonly confirmed: ReadonlySet<string>
  readonly emit: EmitEvent
}

export type ApplyOutcome =
  | {readonly status: 'complete'; readonly journal: Journal}
  /** Every step of the run that waits for the operator (e.g. the old members' stops of a source etcdplan does not run), in plan order, with its instructions. */
  | {readonly status: 'waiting-for-operator'; readonly waiting: readonly {readonly stepId: string; readonly instructions: string}[]; readonly journal: Journal}

export async function applyPlan(input: ApplyInput): Promise<ApplyOutcome> {
  const {plan, emit} = input
  const started = Date.now()
  // Nothing is written (no journal created, none moved aside) until the plan is known to be current.
  await removeLeftoverTempFiles(input.journalPath)
  const existing = await readJournal(input.journalPath)
  const ours = existing !== null && existing.planHash === plan.contentHash ? existing : null
  if (ours !== null) checkJournalMatchesPlan(ours, plan, input.journalPath)
  const observeAt = (urls: readonly string[]) => () => observeCluster(input.endpoints, urls, {statusTimeoutMs: STATUS_TIMEOUT_MS})
  // A snapshot migration spans two clusters, the source and the one restored from it (new cluster
  // and member IDs): each is observed through its own members' endpoints only.
  const observeSource = plan.strategy === 'snapshot' ? observeAt(input.spec.source.members.map((m) => m.clientURL)) : observeAt(specClientURLs(input.spec))
  const observe = plan.strategy === 'snapshot' ? observeAt(input.spec.target.members.map((m) => m.clientURL)) : observeSource

  const position = ours === null ? NOT_STARTED : positionOf(ours)
  const {stepsDone} = position
  // A saved plan is a claim about the live cluster whatever its size: one with no steps, or one its
  // journal records as done, still says what the cluster is.
  if (!(ours !== null && sourceRetired(plan, ours))) {
    const differences = checkPlanCurrent(plan, await observeSource(), position)
    if (differences.length > 0) {
      throw new StalePlanError(differences, 'run `etcdplan plan` to plan from the cluster as it is now, review it, and apply that plan')
    }
  }
  let journal = await openJournal(input, existing, ours)
  emit({type: 'apply-start', plan: plan.name, steps: plan.steps.length, done: stepsDone, journal: input.journalPath})

  // Journal writes are serialised: steps of a parallel run save concurrently, and each write is a
  // whole-file replace through one temp file (write-file-atomic.ts). The in-memory journal changes
  // at once, in the order of the calls; each write stores the journal as it was at its call, so the
  // last write on disk is the latest state.
  let writing: Promise<void> = Promise.resolve()
  const save = (change: (j: Journal) => Journal, stepId = ''): Promise<void> => {
    journal = {...change(journal), updatedAt: new Date().toISOString()}
    const content = journal
    const write = writing.then(() => writeJournal(input.journalPath, content, stepId))
    writing = write.catch(() => undefined)
    return write
  }
  const updateStep = (id: string, change: Partial<StepRecord>) => (j: Journal): Journal => ({...j, steps: j.steps.map((s) => (s.id === id ? {...s, ...change} : s))})

  const clusterClient = new Etcd3ClusterClient(input.endpoints)
  let ran = 0
  const doneIds = new Set(journal.steps.filter((s) => s.status === 'done').map((s) => s.id))
  const positionOfStep = (step: Step) => ({index: plan.steps.indexOf(step) + 1, total: plan.steps.length})

  /** One step: journaled running, run, journaled with its result. Never throws for the step's own failure: it is the result. */
  const runOne = async (step: Step): Promise<StepRun> => {
    const index = plan.steps.indexOf(step)
    const record = journal.steps[index]
    const position = positionOfStep(step)
    ran++
    failpoint('before-step', step.id)
    const attempt = (record?.attempts ?? 0) + 1
    const stepStarted = Date.now()
    await save(updateStep(step.id, {status: 'running', attempts: attempt, startedAt: new Date().toISOString(), finishedAt: null, error: null}), step.id)
    emit({type: 'step-start', id: step.id, ...position, attempt})
    failpoint('step-running', step.id)
    const ctx: StepContext = {
      step,
      plan,
      spec: input.spec,
      provider: input.provider,
      cluster: clusterClient,
      emit,
      confirmed: input.confirmed,
      observe,
      observeSource,
      recordMemberId: async (name, id) => {
        if (journal.memberIds[name] !== id) await save((j) => ({...j, memberIds: {...j.memberIds, [name]: id}}), step.id)
      },
      savedSnapshot: () => journal.snapshot ?? null,
      recordSnapshot: (record) => save((j) => ({...j, snapshot: record}), step.id),
    }
    try {
      const result = await runStep(ctx, step)
      failpoint('before-journal', step.id)
      if ('operator' in result) {
        await save(updateStep(step.id, {status: 'waiting-for-operator'}), step.id)
        return {step, kind: 'operator', instructions: result.operator}
      }
      await save(updateStep(step.id, {status: 'done', finishedAt: new Date().toISOString(), outcome: result.done, durationMs: Date.now() - stepStarted}), step.id)
      doneIds.add(step.id)
      emit({type: 'step-done', id: step.id, ...position, elapsedMs: Date.now() - stepStarted, outcome: result.done, ...(step.estimate === undefined ? {} : {estimatedMs: step.estimate.durationMs})})
      return {step, kind: 'done'}
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      await save(updateStep(step.id, {status: 'failed', finishedAt: new Date().toISOString(), error: message}), step.id)
      emit({type: 'step-failed', id: step.id, ...position, elapsedMs: Date.now() - stepStarted, error: message})
      return {step, kind: 'failed', error, message}
    }
  }

  /** The waves a run starts in: the old members' stops with the old cluster's leader last (parallel-steps.ts). */
  const wavesOf = async (run: readonly Step[]): Promise<readonly (readonly Step[])[]> => {
    if (run.length < 2 || !run.some((s) => s.kind === 'stop-member')) return [run]
    const source = await observeSource().catch(() => null)
    const leader = source?.members.find((m) => m.id === source.leaderId)?.name ?? null
    return leaderLast(run, leader)
  }

  const steps = walkOrder(plan.steps)
  for (let i = 0; i < steps.length; ) {
    const step = steps[i]!
    if (doneIds.has(step.id)) {
      if (stepsDone < plan.steps.length) emit({type: 'step-skip', id: step.id, ...positionOfStep(step)})
      i++
      continue
    }
    const waitingFor = step.dependsOn.filter((d) => !doneIds.has(d))
    if (waitingFor.length > 0) throw new Error(`step ${step.id} was reached before ${waitingFor.join(', ')}, which it depends on, was done`)
    // Steps that act on different hosts only, none waiting for another, run together (parallel-steps.ts).
    const {run, skipped, end} = parallelRun(steps, i, doneIds, input.spec.nodes.provider, plan.strategy)
    for (const s of skipped) emit({type: 'step-skip', id: s.id, ...positionOfStep(s)})
    i = end
    // Every step of a run finishes (and is journaled) before a failure is reported: a sibling cut
    // short would be left half done for no reason. A step's own failure is its result; only a
    // journal that cannot be written rejects, and then too the siblings finish first.
    const settled: PromiseSettledResult<StepRun>[] = []
    for (const wave of await wavesOf(run)) {
      settled.push(...(await Promise.allSettled(wave.map((s) => runOne(s)))))
      // A later wave waits for a clean earlier one: after a failure or an operator's step nothing more changes.
      if (settled.some((r) => r.status === 'rejected' || r.value.kind !== 'done')) break
    }
    await writing
    const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (rejected !== undefined) throw rejected.reason
    const results = settled.map((r) => (r as PromiseFulfilledResult<StepRun>).value)
    const failed = results.filter((r): r is Extract<StepRun, {kind: 'failed'}> => r.kind === 'failed')
    if (failed.length > 0) {
      await save((j) => ({...j, status: 'failed'}))
      // The walk stops at the first failure (nothing more changes while the operator looks); the
      // steps that cannot run until it is fixed are named.
      const failedIds = new Set(failed.map((f) => f.step.id))
      const notRunOf = (id: string) => dependentsOf(plan.steps, id).filter((d) => !failedIds.has(d))
      for (const f of failed) emit({type: 'upstream-failed', failed: f.step.id, notRun: notRunOf(f.step.id)})
      const notRun = [...new Set(failed.flatMap((f) => notRunOf(f.step.id)))]
      const first = failed[0]!
      const alsoFailed = failed.length > 1 ? `; ${failed.slice(1).map((f) => f.step.id).join(', ')} failed too (etcdplan status shows each)` : ''
      const error = first.error
      if (error instanceof StepFailedError) throw new StepFailedError(error.stepId, error.reason, `${error.hint ?? ''}${alsoFailed}`, error.detail, notRun)
      // A host the provider could not act on (a gate's probe: preflight) is the operator's to fix, not a bug to report.
      const hint = error instanceof NodeProviderError ? hostFailureHint(error) : 'run the same apply again to resume at this step; if it fails the same way, report it with the journal'
      throw new StepFailedError(first.step.id, first.message, `${hint}${alsoFailed}`, null, notRun)
    }
    // Every step of the run that the operator must do is named at once, so that one round trip
    // confirms them all (each still checks it is done).
    const operator = results.filter((r): r is Extract<StepRun, {kind: 'operator'}> => r.kind === 'operator')
    if (operator.length > 0) {
      await save((j) => ({...j, status: 'waiting-for-operator'}))
      for (const o of operator) emit({type: 'operator-needed', id: o.step.id, instructions: o.instructions})
      return {status: 'waiting-for-operator', waiting: operator.map((o) => ({stepId: o.step.id, instructions: o.instructions})), journal}
    }
  }
  await save((j) => ({...j, status: 'complete'}))
  emit({type: 'apply-done', elapsedMs: Date.now() - started, steps: plan.steps.length, ran})
  return {status: 'complete', journal}
}

/** How one step of the walk ended; a failure carries what the step threw. */
type StepRun =
  | {readonly step: Step; readonly kind: 'done'}
  | {readonly step: Step; readonly kind: 'operator'; readonly instructions: string}
  | {readonly step: Step; readonly kind: 'failed'; readonly error: unknown; readonly message: string}

/**
 * This plan's journal: the existing one when it belongs to this plan; a fresh one otherwise. A
 * journal of another plan is moved aside (not deleted): a new plan made from the live cluster
 * supersedes it, and the stale check (passed before this runs) still guards the cluster.
 */
async function openJournal(input: ApplyInput, existing: Journal | null, ours: Journal | null): Promise<Journal> {
  if (ours !== null) return {...ours, status: ours.status === 'complete' ? 'complete' : 'in-progress'}
  if (existing !== null) {
    const movedTo = `${input.journalPath}.${existing.updatedAt.replace(/[:.]/g, '-')}.superseded`
    await rename(input.journalPath, movedTo)
    input.emit({type: 'journal-superseded', previous: existing.planHash, movedTo})
  }
  const journal = newJournal(input.plan, new Date())
  await writeJournal(input.journalPath, journal)
  return journal
}

/**
 * A journal write killed before its rename leaves its temp file (`state.json.<pid>.tmp`) and the
 * previous journal intact: the temp file is debris of a dead apply (the state lock admits one apply at
 * a time), never a newer journal, so it is removed.
 */
async function removeLeftoverTempFiles(journalPath: string): Promise<void> {
  const prefix = `${basename(journalPath)}.`
  const entries = await readdir(dirname(journalPath)).catch(() => [] as string[])
  for (const entry of entries) {
    const pid = entry.startsWith(prefix) && entry.endsWith('.tmp') ? entry.slice(prefix.length, -'.tmp'.length) : ''
    if (/^\d+$/.test(pid) && Number(pid) !== process.pid) await rm(join(dirname(journalPath), entry), {force: true})
  }
}

/** A snapshot migration that has begun stopping the old members has no source cluster left to check. */
function sourceRetired(plan: Plan, journal: Journal): boolean {
  return plan.strategy === 'snapshot' && plan.steps.some((step, i) => step.kind === 'stop-member' && (journal.steps[i]?.attempts ?? 0) > 0)
}
