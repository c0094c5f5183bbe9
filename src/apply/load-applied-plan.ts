// What `etcdplan apply FILE` applies: FILE is either a saved plan (JSON; its spec is read from
// --spec or the path the plan records, must hash the same, and the plan must be what the planner
// makes of it) or a spec (planned now, against the live cluster). Every refusal here happens before
// anything touches the cluster. Which of the two FILE is: apply-input-kind.ts; resuming an
// interrupted `apply SPEC`: unfinished-plan.ts.
import {readFile} from 'node:fs/promises'
import {observeForPlanning} from '../plan/observe-for-planning.js'
import {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import {unreachable} from '../cluster/explain-unreachable.js'
import {readPlanFile} from '../plan/plan-file.js'
import {planSpecFile} from '../plan/plan-spec-file.js'
import {differenceFromPlanner} from '../plan/rederive-plan.js'
import type {Plan} from '../plan/types.js'
import type {Diagnostic} from '../spec/diagnostic.js'
import {loadSpecFile} from '../spec/load-spec.js'
import type {Spec} from '../spec/types.js'
import {holdsPlan} from './apply-input-kind.js'
import {planSpecMismatches} from './plan-spec-mismatches.js'
import {UserError} from '../user-error.js'
import {fsErrorReason} from '../fs-error-reason.js'
import {specForPlan} from '../rollback/rollback-spec.js'

export type AppliedPlan =
  | {readonly source: 'plan-file'; readonly planFile: string; readonly plan: Plan; readonly spec: Spec; readonly specFile: string}
  | {readonly source: 'spec'; readonly plan: Plan; readonly spec: Spec; readonly specFile: string; readonly diagnostics: readonly Diagnostic[]}

/** Spec problems found while loading: the command renders them with code frames. */
export class SpecProblemsError extends UserError {
  constructor(readonly file: string, readonly diagnostics: readonly Diagnostic[], readonly sources: ReadonlyMap<string, string>) {
    super(`${file} has errors; nothing was changed`, `fix them (\`etcdplan validate ${file}\`), then run apply again`, 1, 'spec-invalid', {file, diagnostics})
  }
}


export async function loadPlanFileWithSpec(planFile: string, specOverride: string | undefined): Promise<AppliedPlan> {
  const plan = await readPlanFile(planFile)
  const specFile = specOverride ?? plan.specFile
  if (specOverride !== undefined && (await holdsPlan(specOverride))) {
    throw new UserError(`--spec ${specOverride} is a plan file, not a spec; nothing was changed`, `pass the spec the plan was made from (it records ${plan.specFile}), or leave --spec out`, 1, 'invalid-flag')
  }
  const loaded = await loadSpecFile(specFile)
  if (loaded.text === null) {
    const reason = await unreadableReason(specFile)
    if (specOverride === undefined) {
      throw new UserError(
        `cannot read ${specFile} (${reason}), the spec the plan ${planFile} was made from (the path is relative to where \`etcdplan plan\` ran); nothing was changed`,
        `run apply from that directory, or pass the spec with --spec PATH`,
        1,
        'spec-unreadable',
      )
    }
    throw new UserError(`cannot read the spec ${specFile} given with --spec (${reason}); nothing was changed`, `check the path; --spec takes the spec the plan was made from (it records ${plan.specFile})`, 1, 'spec-unreadable')
  }
  const sources = new Map([[specFile, loaded.text]])
  if (loaded.spec === null || loaded.specHash === null) throw new SpecProblemsError(specFile, loaded.diagnostics, sources)
  if (loaded.specHash !== plan.specHash) {
    throw new UserError(
      `the spec ${specFile} is not the one the plan ${planFile} was made from (it changed since, or it is another migration's); nothing was changed`,
      `make a new plan from the spec as it is now: etcdplan plan ${specFile}${plan.rollbackOf === undefined ? '' : ' --rollback'} -o ${planFile}`,
      1,
      'plan-spec-mismatch',
    )
  }
  // A rollback plan (plan --rollback) was planned from its spec with source and target swapped.
  const spec = specForPlan(plan, loaded.spec)
  const mismatches = [
    ...(spec.name === plan.name ? [] : [`the plan is for migration "${plan.name}", the spec for "${spec.name}"`]),
    ...planSpecMismatches(plan, spec),
  ]
  if (mismatches.length > 0) {
    const shown = mismatches.slice(0, 3).join('; ') + (mismatches.length > 3 ? `; and ${mismatches.length - 3} more` : '')
    throw new UserError(
      `the plan ${planFile} does not match its spec ${specFile}: ${shown}; nothing was changed`,
      `the plan was edited (its content hash recomputed) or made by a broken etcdplan: make it again with \`etcdplan plan ${specFile}${plan.rollbackOf === undefined ? '' : ' --rollback'} -o ${planFile}\` and review it`,
      1,
      'plan-spec-mismatch',
      {mismatches},
    )
  }
  refuseUnlessPlannerMade(plan, spec, planFile, specFile)
  return {source: 'plan-file', planFile, plan, spec, specFile}
}

/**
 * Apply evaluates the preconditions the plan carries, so a plan with a gate dropped (content hash
 * recomputed, members and configs untouched) must not run: it must be what the planner makes of its
 * spec and the observation it records.
 */
export function refuseUnlessPlannerMade(plan: Plan, spec: Spec, planFile: string, specFile: string): void {
  const difference = differenceFromPlanner(plan, spec)
  if (difference === null) return
  throw new UserError(
    `the plan ${planFile} is not what etcdplan plans from its spec ${specFile} and the cluster it records: ${difference}; nothing was changed`,
    `the plan was edited (its content hash recomputed) or made by another version of etcdplan: make it again with \`etcdplan plan ${specFile}${plan.rollbackOf === undefined ? '' : ' --rollback'} -o ${planFile}\` and review it`,
    1,
    'plan-not-from-planner',
  )
}


async function unreadableReason(file: string): Promise<string> {
  try {
    await readFile(file)
    return 'unreadable'
  } catch (error) {
    return fsErrorReason(error)
  }
}

export async function planFromSpec(specFile: string): Promise<AppliedPlan> {
  let result
  try {
    result = await planSpecFile(specFile, observeForPlanning)
  } catch (error) {
    if (error instanceof ClusterUnreachableError) throw unreachable(error)
    throw error
  }
  if (result.plan === null || result.spec === null) throw new SpecProblemsError(specFile, result.diagnostics, result.sources)
  return {source: 'spec', plan: result.plan, spec: result.spec, specFile, diagnostics: result.diagnostics}
}
