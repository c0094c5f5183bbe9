// write-config (before a member is added) and rewrite-config (to the final membership): the config
// file on the member's host must hold exactly the plan's text. Observed first, so a second run
// writes nothing; rewrite-config's precondition refuses a file someone else changed since the plan
// wrote it, rather than overwriting it blindly.
// A provider that cannot read the file back (exec without readConfig, manual) gets it written every
// time (writing the same content again is harmless), and the outcome says it was not read back: the
// start that follows shows it. With the manual provider the write is the operator's (onHost).
import {NotObservableError} from '../../nodes/not-observable.js'
import type {RewriteConfigStep, WriteConfigStep} from '../../plan/types.js'
import {StepGates} from '../gates/registry.js'
import {confirmedByOperator, onHost, requireMemberSpec, type StepContext} from '../step-context.js'

export async function runWriteConfig(ctx: StepContext, step: WriteConfigStep | RewriteConfigStep): Promise<string> {
  const member = requireMemberSpec(ctx, step.member)
  let unreadable: NotObservableError | null = null
  try {
    const current = await ctx.provider.readConfig(member, step.config.path)
    if (current === step.config.content) return `${step.config.path} already holds the planned config`
  } catch (error) {
    if (!(error instanceof NotObservableError)) throw error
    unreadable = error
  }
  const gates = new StepGates(ctx)
  await gates.require(null)
  await onHost(ctx, () => ctx.provider.writeConfig(member, step.config.path, step.config.content))
  const who = confirmedByOperator(ctx) ? `the operator wrote ${step.config.path} (confirmed)` : `wrote ${step.config.path}`
  if (unreadable === null) return `${gates.notes()}${who}`
  ctx.emit({type: 'step-warning', id: step.id, warning: `${step.config.path} was not read back: ${unreadable.message}. The next step's start will show it.`})
  return `${gates.notes()}${who}; not read back (${unreadable.message}): the next step's start will show it`
}
