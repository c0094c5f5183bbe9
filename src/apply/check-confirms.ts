// `apply --confirm STEP_ID` names steps of the plan that can wait for the operator (the step table's
// mayNeedOperator); anything else is a typo to point out, not to ignore.
// With nodes.provider manual, every step that acts on a member's host can (mayNeedOperatorWith).
import {mayNeedOperatorWith} from '../plan/step-kinds.js'
import type {Plan} from '../plan/types.js'
import type {NodeProviderName} from '../spec/types.js'
import {UserError} from '../user-error.js'

export function refuseUnknownConfirms(confirms: readonly string[], plan: Plan, provider: NodeProviderName = 'local'): void {
  const operatorSteps = plan.steps.filter((step) => mayNeedOperatorWith(step, provider)).map((step) => step.id)
  const unknown = confirms.filter((id) => !operatorSteps.includes(id))
  if (unknown.length === 0) return
  throw new UserError(
    `--confirm ${unknown.join(', ')}: not a step of this plan that waits for the operator; nothing was changed`,
    operatorSteps.length === 0 ? 'this plan has no step that waits for the operator: leave --confirm out' : `steps of this plan that can: ${operatorSteps.join(', ')}`,
    2,
    'invalid-flag',
  )
}
