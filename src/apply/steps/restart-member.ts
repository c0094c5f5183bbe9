// restart-member (runbook step 10): restart one member with its rewritten config, then wait until it
// is healthy and caught up before the next one. The step's preconditions before it stops the member:
// every voter healthy (waiting up to timeouts.health for a sick one, then stopping with its name and
// the quorum arithmetic), it does not lead (moved away), and the others keep a quorum while it is down.
import {isHealthy, statusOf} from '../../cluster/live-cluster.js'
import type {RestartMemberStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {isCaughtUp, memberWithPeerURL} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {StepGates} from '../gates/registry.js'
import {onHost, plannedMemberOf, requireMemberSpec, type StepContext} from '../step-context.js'

export async function runRestartMember(ctx: StepContext, step: RestartMemberStep): Promise<string> {
  const member = requireMemberSpec(ctx, step.member)
  const {peerURL} = plannedMemberOf(ctx, step.member)
  const gates = new StepGates(ctx)
  return converge(ctx, ctx.spec.timeouts.stepMs, async (cluster) => {
    const observed = memberWithPeerURL(cluster, peerURL)
    if (observed === null) throw new StepFailedError(step.id, `${step.member} is not a member of the cluster`, 'run `etcdplan plan` to plan from the cluster as it is now')
    if (gates.sent) {
      if (!(await ctx.provider.isRunning(member))) throw new StepFailedError(step.id, `etcd for ${step.member} exited after the restart`, 'fix the cause shown in the log, then run the same apply again', await ctx.provider.logTail(member, 20))
      if (!isHealthy(statusOf(cluster, observed.id))) return {wait: `waiting for ${step.member} to be healthy after its restart`}
      if (!isCaughtUp(cluster, observed, ctx.plan.options.catchUpTolerance)) return {wait: `waiting for ${step.member} to catch up after its restart`}
      return {done: `${step.member} restarted, healthy and caught up`}
    }
    const blocked = await gates.check(cluster)
    if (blocked !== null) return blocked
    await onHost(ctx, () => ctx.provider.restart(member, step.configPath, ctx.spec.timeouts.stepMs))
    gates.markSent()
    return {acted: `restarted ${step.member}`}
  })
}
