// write-config (before a member is added) and rewrite-config (to the final membership): the config
// file on the member's host must hold exactly the plan's text. Observed first, so a second run
// writes nothing; rewrite-config's precondition refuses a file someone else changed since the plan
// wrote it, rather than overwriting it blindly.
import type {RewriteConfigStep, WriteConfigStep} from '../../plan/types.js'
import {StepGates} from '../gates/registry.js'
import {requireMemberSpec, type StepContext} from '../step-context.js'

export async function runWriteConfig(ctx: StepContext, step: WriteConfigStep | RewriteConfigStep): Promise<string> {
  const member = requireMemberSpec(ctx, step.member)
  const current = await ctx.provider.readConfig(member, step.config.path)
  if (current === step.config.content) return `${step.config.path} already holds the planned config`
  await new StepGates(ctx).require(null)
  await ctx.provider.writeConfig(member, step.config.path, step.config.content)
  return `wrote ${step.config.path}`
}
