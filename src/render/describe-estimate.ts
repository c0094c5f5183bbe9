// Estimates as the plan renderings show them (text and markdown): a short figure per step, what it
// is made of and what clients notice, and the total line.
import {aboutDuration} from '../estimate/format-estimate.js'
import type {StepEstimate} from '../estimate/estimate-types.js'
import type {Plan, Step} from '../plan/types.js'

/** "1.5 s", "operator" (unknown), "" (a plan without estimates). */
export function estimateFigure(step: Step): string {
  if (step.estimate === undefined) return ''
  return step.estimate.durationMs === null ? 'operator' : aboutDuration(step.estimate.durationMs)
}

/** "about 4.3 s: a membership call ..., after etcd's 5-s health window; clients: ...". */
export function describeStepEstimate(estimate: StepEstimate): string {
  const time = estimate.durationMs === null ? 'unknown' : `about ${aboutDuration(estimate.durationMs)}`
  return `${time} (${estimate.basis})`
}

export function describeImpact(estimate: StepEstimate): string | null {
  if (estimate.impact.length === 0) return null
  return estimate.impact.map((i) => i.description).join('; ')
}

/** `Estimated duration: about 25 s (of which 8.1 s etcd's 5-s windows), plus the operator's time for switch-dns`; null without estimates. */
export function describePlanEstimate(plan: Plan): string | null {
  const e = plan.estimate
  if (e === undefined) return null
  const windows = e.healthWindowMs > 0 ? ` (of which ${aboutDuration(e.healthWindowMs)} etcd's 5-s windows)` : ''
  const unknown = e.unknownSteps.length > 0 ? `, plus the operator's time for ${e.unknownSteps.join(', ')}` : ''
  return `Estimated duration: about ${aboutDuration(e.durationMs)}${windows}${unknown}`
}

/** What the estimate assumed, for the line under the total. */
export function describeAssumptions(plan: Plan): string | null {
  return plan.estimate === undefined || plan.estimate.assumptions.length === 0 ? null : `Assumed: ${plan.estimate.assumptions.join('; ')}.`
}
