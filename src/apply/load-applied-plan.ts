// What `etcdplan apply FILE` applies: FILE is either a saved plan (JSON; its spec is read from
// --spec or the path the plan records, and must hash the same) or a spec (planned now, against the
// live cluster). Every refusal here happens before anything touches the cluster.
import {readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {readJournal} from './journal.js'
import {checkPlanCurrent, positionOf} from './check-plan-current.js'
import {observeSpecCluster} from '../cluster/observe-spec-cluster.js'
import {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import {readPlanFile} from '../plan/plan-file.js'
import {planSpecFile} from '../plan/plan-spec-file.js'
import type {Plan} from '../plan/types.js'
import type {Diagnostic} from '../spec/diagnostic.js'
import {loadSpecFile} from '../spec/load-spec.js'
import type {Spec} from '../spec/types.js'
import {UserError} from '../user-error.js'

export type AppliedPlan =
  | {readonly source: 'plan-file'; readonly planFile: string; readonly plan: Plan; readonly spec: Spec; readonly specFile: string}
  | {readonly source: 'spec'; readonly plan: Plan; readonly spec: Spec; readonly specFile: string; readonly diagnostics: readonly Diagnostic[]}

/** Spec problems found while loading: the command renders them with code frames. */
export class SpecProblemsError extends UserError {
  constructor(readonly file: string, readonly diagnostics: readonly Diagnostic[], readonly sources: ReadonlyMap<string, string>) {
    super(`${file} has errors; nothing was changed`, `fix them (\`etcdplan validate ${file}\`), then run apply again`)
  }
}

export async function isPlanFile(file: string): Promise<boolean> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return false
  }
  if (!text.trimStart().startsWith('{')) return false
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null && 'formatVersion' in value
  } catch {
    return true // a truncated plan file: readPlanFile explains
  }
}

export async function loadPlanFileWithSpec(planFile: string, specOverride: string | undefined): Promise<AppliedPlan> {
  const plan = await readPlanFile(planFile)
  const specFile = specOverride ?? plan.specFile
  const loaded = await loadSpecFile(specFile)
  if (loaded.text === null && specOverride === undefined) {
    throw new UserError(`cannot read ${specFile}, the spec the plan ${planFile} was made from (the path is relative to where \`etcdplan plan\` ran)`, `run apply from that directory, or pass the spec with --spec PATH`)
  }
  const sources = new Map(loaded.text === null ? [] : [[specFile, loaded.text]])
  if (loaded.spec === null || loaded.specHash === null) throw new SpecProblemsError(specFile, loaded.diagnostics, sources)
  if (loaded.specHash !== plan.specHash) {
    throw new UserError(
      `the spec ${specFile} is not the one the plan ${planFile} was made from (it changed since, or it is another migration's)`,
      `make a new plan from the spec as it is now: etcdplan plan ${specFile} -o ${planFile}`,
    )
  }
  if (loaded.spec.name !== plan.name) throw new UserError(`the plan is for migration "${plan.name}", the spec for "${loaded.spec.name}"`)
  return {source: 'plan-file', planFile, plan, spec: loaded.spec, specFile}
}

/**
 * An unfinished apply of this same spec, when there is one: the plan saved beside its journal. Given
 * the spec again after an interruption, apply resumes that plan rather than re-planning, so steps a
 * new plan would not contain (config rewrites, restarts) are not forgotten.
 */
export async function unfinishedPlanFor(specFile: string, journalPathFor: (name: string) => string): Promise<AppliedPlan | null> {
  const loaded = await loadSpecFile(specFile)
  if (loaded.spec === null || loaded.specHash === null) return null
  const journalPath = journalPathFor(loaded.spec.name)
  const journal = await readJournal(journalPath)
  if (journal === null || journal.status === 'complete') return null
  const planFile = savedPlanPath(journalPath)
  let plan: Plan
  try {
    plan = await readPlanFile(planFile)
  } catch {
    return null
  }
  if (plan.contentHash !== journal.planHash || plan.specHash !== loaded.specHash) return null
  // A saved plan the cluster has moved away from is not resumed: a new plan starts from where it is.
  let live
  try {
    live = await observeSpecCluster(loaded.spec)
  } catch (error) {
    if (error instanceof ClusterUnreachableError) throw unreachable(error)
    throw error
  }
  if (checkPlanCurrent(plan, live, positionOf(journal)).length > 0) return null
  return {source: 'plan-file', planFile, plan, spec: loaded.spec, specFile}
}

/** Where apply keeps the plan it made from a spec: beside the journal. */
export function savedPlanPath(journalPath: string): string {
  return join(dirname(journalPath), 'plan.json')
}

export async function planFromSpec(specFile: string): Promise<AppliedPlan> {
  let result
  try {
    result = await planSpecFile(specFile, observeSpecCluster)
  } catch (error) {
    if (error instanceof ClusterUnreachableError) throw unreachable(error)
    throw error
  }
  if (result.plan === null || result.spec === null) throw new SpecProblemsError(specFile, result.diagnostics, result.sources)
  return {source: 'spec', plan: result.plan, spec: result.spec, specFile, diagnostics: result.diagnostics}
}

export function unreachable(error: ClusterUnreachableError): UserError {
  return new UserError(`cannot reach the cluster: ${error.message}`, 'check that the members in the spec run and that their clientURLs are right (`etcdplan status`), or plan with --offline')
}
