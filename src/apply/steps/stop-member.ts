// stop-member: a removed member shuts itself down; the provider confirms it (and stops it if it has
// not, which is safe once it is out of the membership). Its data dir must never be reused under its
// old identity (`the member has been permanently removed from the cluster`).
import type {StopMemberStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import {memberSpecOf, plannedMemberOf, type StepContext} from '../step-context.js'

/** How long a removed member gets to notice its removal and exit by itself. */
const SELF_SHUTDOWN_MS = 10_000

export async function runStopMember(ctx: StepContext, step: StopMemberStep): Promise<string> {
  if (ctx.plan.strategy === 'snapshot') return retireOldMember(ctx, step)
  const {peerURL} = plannedMemberOf(ctx, step.member)
  const cluster = await ctx.observe()
  if (memberWithPeerURL(cluster, peerURL) !== null) {
    throw new StepFailedError(step.id, `${step.member} is still a member of the cluster; stopping it now would lower fault tolerance`, 'its remove step did not take effect: run `etcdplan plan` to plan from the cluster as it is now')
  }
  const member = memberSpecOf(ctx, step.member)
  if (member === null || !(await ctx.provider.isRunning(member))) return `${step.member} is not running (a removed member shuts itself down)`
  if (await ctx.provider.awaitExit(member, SELF_SHUTDOWN_MS)) return `${step.member} shut itself down after its removal`
  await ctx.provider.stop(member, ctx.spec.timeouts.stepMs)
  return `${step.member} was stopped (it had not shut down by itself within ${SELF_SHUTDOWN_MS / 1000} s)`
}

/**
 * Strategy snapshot: the old cluster is retired as a whole once clients use the new one, so its
 * members are stopped without leaving the membership; their data dirs stay as a fallback.
 */
async function retireOldMember(ctx: StepContext, step: StopMemberStep): Promise<string> {
  const member = memberSpecOf(ctx, step.member)
  if (member === null || !(await ctx.provider.isRunning(member))) return `${step.member} is not running`
  await ctx.provider.stop(member, ctx.spec.timeouts.stepMs)
  return `${step.member} stopped; its data dir is kept as a fallback`
}
