// The applier: walks the plan's steps in order; for each, unless the journal records it done, runs
// its executor (observe → act if needed → verify) and journals the result before the next. Running it
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
import type {Plan} from '../plan/types.js'
import type {Spec} from '../spec/types.js'
import type {EmitEvent} from './apply-event.js'
import {StalePlanError, StepFailedError} from './apply-errors.js'
import {checkPlanCurrent, NOT_STARTED, positionOf} from './check-plan-current.js'
import {failpoint} from './failpoint.js'
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
  | {readonly status: 'waiting-for-operator'; readonly stepId: string; readonly instructions: string; readonly journal: Journal}

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

  const save = async (change: (j: Journal) => Journal) => {
    journal = change(journal)
    journal = {...journal, updatedAt: new Date().toISOString()}
    await writeJournal(input.journalPath, journal)
  }
  const updateStep = (id: string, change: Partial<StepRecord>) => (j: Journal): Journal => ({...j, steps: j.steps.map((s) => (s.id === id ? {...s, ...change} : s))})

  const clusterClient = new Etcd3ClusterClient(input.endpoints)
  let ran = 0
  const doneIds = new Set(journal.steps.filter((s) => s.status === 'done').map((s) => s.id))
  for (const step of walkOrder(plan.steps)) {
    const index = plan.steps.indexOf(step)
    const record = journal.steps[index]
    const position = {index: index + 1, total: plan.steps.length}
    if (record?.status === 'done') {
      if (stepsDone < plan.steps.length) emit({type: 'step-skip', id: step.id, ...position})
      continue
    }
    const waitingFor = step.dependsOn.filter((d) => !doneIds.has(d))
    if (waitingFor.length > 0) throw new Error(`step ${step.id} was reached before ${waitingFor.join(', ')}, which it depends on, was done`)
    ran++
    failpoint('before-step', step.id)
    const attempt = (record?.attempts ?? 0) + 1
    const stepStarted = Date.now()
    await save(updateStep(step.id, {status: 'running', attempts: attempt, startedAt: new Date().toISOString(), error: null}))
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
        if (journal.memberIds[name] !== id) await save((j) => ({...j, memberIds: {...j.memberIds, [name]: id}}))
      },
    }
    try {
      const result = await runStep(ctx, step)
      failpoint('before-journal', step.id)
      if ('operator' in result) {
        await save((j) => ({...updateStep(step.id, {status: 'waiting-for-operator'})(j), status: 'waiting-for-operator'}))
        emit({type: 'operator-needed', id: step.id, instructions: result.operator})
        return {status: 'waiting-for-operator', stepId: step.id, instructions: result.operator, journal}
      }
      await save(updateStep(step.id, {status: 'done', finishedAt: new Date().toISOString(), outcome: result.done, durationMs: Date.now() - stepStarted}))
      doneIds.add(step.id)
      emit({type: 'step-done', id: step.id, ...position, elapsedMs: Date.now() - stepStarted, outcome: result.done, ...(step.estimate === undefined ? {} : {estimatedMs: step.estimate.durationMs})})
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      await save((j) => ({...updateStep(step.id, {status: 'failed', finishedAt: new Date().toISOString(), error: message})(j), status: 'failed'}))
      emit({type: 'step-failed', id: step.id, ...position, elapsedMs: Date.now() - stepStarted, error: message})
      // The walk stops at the first failure (nothing more changes while the operator looks); the
      // steps that cannot run until it is fixed are named.
      const notRun = dependentsOf(plan.steps, step.id)
      emit({type: 'upstream-failed', failed: step.id, notRun})
      if (error instanceof StepFailedError) throw new StepFailedError(error.stepId, error.reason, error.hint ?? '', error.detail, notRun)
      // A host the provider could not act on (a gate's probe: preflight) is the operator's to fix, not a bug to report.
      const hint = error instanceof NodeProviderError ? hostFailureHint(error) : 'run the same apply again to resume at this step; if it fails the same way, report it with the journal'
      throw new StepFailedError(step.id, message, hint, null, notRun)
    }
  }
  await save((j) => ({...j, status: 'complete'}))
  emit({type: 'apply-done', elapsedMs: Date.now() - started, steps: plan.steps.length, ran})
  return {status: 'complete', journal}
}

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
