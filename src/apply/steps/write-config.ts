// write-config (before a member is added) and rewrite-config (to the final membership): the config
// file on the member's host must hold exactly the plan's text. Observed first, so a second run
// writes nothing; a file that someone else changed since the plan is not overwritten blindly.
import type {RewriteConfigStep, WriteConfigStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {requireMemberSpec, type StepContext} from '../step-context.js'

export async function runWriteConfig(ctx: StepContext, step: WriteConfigStep | RewriteConfigStep): Promise<string> {
  const member = requireMemberSpec(ctx, step.member)
  const current = await ctx.provider.readConfig(member, step.config.path)
  if (current === step.config.content) return `${step.config.path} already holds the planned config`
  if (step.kind === 'rewrite-config' && current !== null && current !== step.previous.content) {
    throw new StepFailedError(step.id, `${step.config.path} was changed by someone else since it was written`, `compare it with the plan (\`etcdplan show PLAN\`), restore the planned content or move the file aside, then apply again`)
  }
  await ctx.provider.writeConfig(member, step.config.path, step.config.content)
  return `wrote ${step.config.path}`
}
