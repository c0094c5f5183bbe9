// The point of no return as the plan views say it: a marker on its step, and one line that explains
// what going back means from there (src/plan/point-of-no-return.ts says why each step is the one).
import type {Plan} from '../plan/types.js'

export const POINT_OF_NO_RETURN_MARK = 'point of no return'

/** The line under the steps, or null for a plan with no steps. */
export function describePointOfNoReturn(plan: Plan): string | null {
  if (plan.steps.length === 0) return null
  const point = plan.pointOfNoReturn
  if (point === null) return 'No point of no return: until the last step, `etcdplan plan --rollback` can plan the way back (removing the members added, switching DNS back).'
  const index = plan.steps.findIndex((s) => s.id === point.stepId)
  return `Point of no return: step ${index + 1} (${point.stepId}). ${point.why}`
}

/** `Rollback of migration "x"`, for a plan made by `plan --rollback`; null otherwise. */
export function describeRollbackOf(plan: Plan): string | null {
  const of = plan.rollbackOf
  if (of === undefined) return null
  const added = of.added.length === 0 ? 'no member it added is in the cluster' : `removes ${of.added.join(', ')}, which it added`
  return `Rollback of migration "${of.migration}": returns to its source members; ${added}${of.dnsSwitched ? '; points DNS back at the source' : ''}.`
}
