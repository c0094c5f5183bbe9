// terraform's approval of a plan made on the spot (`apply SPEC`): only "yes" approves, and without a
// terminal there is nobody to ask, so apply refuses rather than guess.
import {UserError} from '../user-error.js'
import {ask} from './ask.js'

export async function askApproval(): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new UserError('apply needs approval, and there is no terminal to ask', 'pass --auto-approve, or save the plan with `etcdplan plan -o FILE`, review it, and `etcdplan apply FILE`', 1, 'approval-needed')
  }
  const answer = await ask(`\nDo you want to perform these actions?\n  etcdplan will perform the actions described above.\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `)
  if (answer !== 'yes') throw new UserError('apply cancelled; nothing was changed', undefined, 1, 'cancelled')
}

/** After apply stopped for the operator: whether they say the step is done now (only at a terminal). */
export async function askOperatorDone(stepId: string, resume: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false
  return (await ask(`\n  Type 'yes' once ${stepId} is done (anything else stops here; resume later with: ${resume}): `)) === 'yes'
}
