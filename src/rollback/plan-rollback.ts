// `etcdplan plan --rollback SPEC`: the plan that returns a partly applied migration to its source
// cluster, made from the migration's journal and the live cluster. It is an ordinary plan of the
// derived spec (rollback-spec.ts: source and target swapped), named `<name>-rollback` so that its
// apply keeps its own journal and lock; it records `rollbackOf` so apply can derive that spec again.
// Refused, changing nothing: no journal; a step at or past the point of no return run; a source
// member missing from the cluster (whoever removed it); any snapshot migration (see refusals).
import {readJournal, resolveJournalPath} from '../apply/journal.js'
import {observeSpecCluster} from '../cluster/observe-spec-cluster.js'
import type {LiveCluster} from '../cluster/live-cluster.js'
import {buildPlan} from '../plan/build-plan.js'
import {memberOf} from '../plan/point-of-no-return.js'
import type {SpecPlanResult} from '../plan/plan-spec-file.js'
import type {RollbackOf} from '../plan/types.js'
import {UnsafePlanError} from '../plan/unsafe-plan-error.js'
import type {Diagnostic} from '../spec/diagnostic.js'
import {loadSpecFile} from '../spec/load-spec.js'
import type {Spec} from '../spec/types.js'
import {journalProgress} from './journal-progress.js'
import {forwardApplyRunning, joinPastPointOfNoReturn, journalOfAnotherSpec, nothingToRollBack, snapshotNotChanged, snapshotPastPointOfNoReturn} from './rollback-refusals.js'
import {holderState, lockPathFor, readStateLock} from '../apply/state-lock.js'
import {rollbackSpec} from './rollback-spec.js'

export interface RollbackInputs {
  /** --state: the forward migration's journal (default .etcdplan/<name>/state.json). */
  readonly state?: string
  /** Observes the cluster for planning (observe-for-planning.ts), as `plan` does. */
  readonly observe: (spec: Spec) => Promise<LiveCluster>
}

export async function planRollback(specFile: string, inputs: RollbackInputs): Promise<SpecPlanResult> {
  const loaded = await loadSpecFile(specFile)
  const sources = new Map(loaded.text === null ? [] : [[specFile, loaded.text]])
  if (loaded.spec === null || loaded.specHash === null) return {spec: null, plan: null, diagnostics: loaded.diagnostics, sources}
  const spec = loaded.spec
  const journalPath = resolveJournalPath(inputs.state, spec.name).path
  const journal = await readJournal(journalPath)
  if (journal === null) throw nothingToRollBack(spec, journalPath)
  if (journal.specHash !== loaded.specHash) throw journalOfAnotherSpec(spec, journalPath)
  await refuseWhileApplying(spec, journalPath)
  const progress = journalProgress(spec, journal)

  if (spec.strategy === 'snapshot') {
    if (progress.pastPoint.length > 0) throw snapshotPastPointOfNoReturn(spec, progress.pastPoint.filter((s) => s.id.startsWith('stop-member/')).map((s) => memberOf(s.id)), journalPath)
    throw snapshotNotChanged(spec, progress.dnsSwitched, journalPath)
  }

  // The live member list is the evidence: a source member that is not in it was removed (by this
  // apply past its point of no return, or by hand), and cannot come back under its ID.
  const live = await observeSpecCluster(spec)
  const inCluster = (peerURL: string) => live.members.some((m) => m.peerURLs.includes(peerURL))
  const removed = spec.source.members.filter((m) => !inCluster(m.peerURL))
  if (removed.length > 0 || progress.pastPoint.some((s) => s.status === 'done')) {
    const remaining = live.members.map((m) => m.name || m.peerURLs[0] || '?')
    throw joinPastPointOfNoReturn(spec, removed, progress.pointOfNoReturn?.stepId ?? null, remaining, journalPath)
  }
  const rollbackOf: RollbackOf = {
    migration: spec.name,
    added: spec.target.members.filter((t) => !spec.source.members.some((s) => s.name === t.name) && inCluster(t.peerURL)).map((t) => t.name),
    dnsSwitched: progress.dnsSwitched,
  }
  const derived = rollbackSpec(spec, rollbackOf)
  try {
    const plan = buildPlan(derived, loaded.specHash, await inputs.observe(derived), specFile, rollbackOf)
    return {spec: derived, plan, diagnostics: loaded.diagnostics, sources}
  } catch (error) {
    if (!(error instanceof UnsafePlanError)) throw error
    const refusals = error.reasons.map((reason): Diagnostic => {
      const {line, col} = loaded.locate(reason.path)
      return {severity: 'error', code: reason.code, message: `the rollback cannot be planned safely: ${reason.message}`, hint: reason.hint, file: specFile, line, col, path: reason.path}
    })
    return {spec: derived, plan: null, diagnostics: [...loaded.diagnostics, ...refusals], sources}
  }
}

/** A lock left by an apply that is gone (killed) does not matter here: the rollback has its own. */
async function refuseWhileApplying(spec: Spec, journalPath: string): Promise<void> {
  const lockPath = lockPathFor(journalPath)
  const holder = await readStateLock(lockPath).catch(() => null)
  if (holder !== null && holderState(holder) === 'running') throw forwardApplyRunning(spec, holder, lockPath)
}
