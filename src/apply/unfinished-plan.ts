// Resuming `etcdplan apply SPEC`: the plan an interrupted apply of this spec saved beside its journal,
// while the journal names it and the cluster is still on its way.
import {mkdir} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {observeSpecCluster} from '../cluster/observe-spec-cluster.js'
import {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import {readPlanFile, writePlanFile} from '../plan/plan-file.js'
import type {Plan} from '../plan/types.js'
import {loadSpecFile} from '../spec/load-spec.js'
import {checkPlanCurrent, positionOf} from './check-plan-current.js'
import {checkJournalMatchesPlan, readJournal, type JournalLocation} from './journal.js'
import {unreachable} from '../cluster/explain-unreachable.js'
import {refuseUnlessPlannerMade, type AppliedPlan} from './load-applied-plan.js'

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
  // The journal names this saved plan: it must be that plan's, step for step, or resuming would skip steps that never ran.
  checkJournalMatchesPlan(journal, plan, journalPath)
  refuseUnlessPlannerMade(plan, loaded.spec, planFile, specFile)
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

/** Writes the plan `apply SPEC` made beside the journal (creating only the default journal directory); returns its path. */
export async function savePlanBesideJournal(journal: JournalLocation, plan: Plan): Promise<string> {
  if (journal.createDir) await mkdir(dirname(journal.path), {recursive: true})
  const path = savedPlanPath(journal.path)
  await writePlanFile(path, plan)
  return path
}
