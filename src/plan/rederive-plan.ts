// The plan is the executable contract: apply evaluates exactly the preconditions each step carries,
// so a plan file must be what the planner made, not only a file whose content hash matches (a hash
// can be recomputed after an edit). The planner is deterministic, and a plan records the spec's hash
// and everything it read of the cluster, so planning again from the spec and that record must give
// the same plan, byte for byte; anything else is refused, naming the first difference.
import {canonicalJson} from '../canonical-json.js'
import type {Spec} from '../spec/types.js'
import {buildPlan} from './build-plan.js'
import {observationOf} from './fingerprint.js'
import type {Plan, Precondition, Step} from './types.js'
import {UnsafePlanError} from './unsafe-plan-error.js'

/** Why `plan` is not what the planner makes of `spec` and the observation it records; null when it is. */
export function differenceFromPlanner(plan: Plan, spec: Spec): string | null {
  let expected: Plan
  try {
    expected = buildPlan(spec, plan.specHash, observationOf(plan.observation), plan.specFile, plan.rollbackOf)
  } catch (error) {
    if (error instanceof UnsafePlanError) return `the planner refuses to plan this spec from the recorded observation (${error.reasons[0]?.message ?? 'unsafe'})`
    throw error
  }
  if (expected.contentHash === plan.contentHash) return null
  const steps = stepDifference(plan.steps, expected.steps)
  if (steps !== null) return steps
  for (const field of Object.keys(expected) as (keyof Plan)[]) {
    if (field === 'contentHash') continue
    if (canonicalJson(plan[field]) !== canonicalJson(expected[field])) return `its ${field} differs from what the planner makes of the spec`
  }
  return 'it differs from what the planner makes of the spec'
}

function stepDifference(actual: readonly Step[], expected: readonly Step[]): string | null {
  const count = Math.max(actual.length, expected.length)
  for (let i = 0; i < count; i++) {
    const got = actual[i]
    const want = expected[i]
    const where = `step ${i + 1}`
    if (got === undefined) return `${where} should be ${want!.id}, which the plan lacks (the plan has ${actual.length} steps, the planner makes ${expected.length})`
    if (want === undefined) return `${where} (${got.id}) is not a step the planner makes (it makes ${expected.length} steps)`
    if (got.id !== want.id) return `${where} is ${got.id}, the planner makes ${want.id} there`
    if (canonicalJson(got) === canonicalJson(want)) continue
    const checks = preconditionDifference(got.preconditions, want.preconditions)
    if (checks !== null) return `${where} (${got.id}) ${checks}`
    const fields = (Object.keys({...want, ...got}) as (keyof Step)[]).filter((k) => canonicalJson(got[k] ?? null) !== canonicalJson(want[k] ?? null))
    return `${where} (${got.id}) differs in ${fields.join(', ')}`
  }
  return null
}

function preconditionDifference(actual: readonly Precondition[], expected: readonly Precondition[]): string | null {
  const key = (p: Precondition) => `${p.check}${p.member === undefined ? '' : `(${p.member})`}`
  const got = new Set(actual.map(key))
  const want = new Set(expected.map(key))
  const missing = [...want].filter((k) => !got.has(k))
  const extra = [...got].filter((k) => !want.has(k))
  if (missing.length > 0) return `lacks the precondition${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`
  if (extra.length > 0) return `has the precondition${extra.length === 1 ? '' : 's'} ${extra.join(', ')}, which the planner does not give it`
  if (canonicalJson(actual) !== canonicalJson(expected)) return 'has its preconditions reordered or reworded'
  return null
}
