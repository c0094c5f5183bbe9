// start-member (runbook step 4): start etcd on the member's host and wait until it has published its
// name, i.e. it is "started" in etcd's sense. A process that dies is reported with its log tail.
import {statusOf} from '../../cluster/live-cluster.js'
import {NodeProviderError} from '../../nodes/node-provider.js'
import type {StartMemberStep} from '../../plan/types.js'
import type {MemberSpec} from '../../spec/types.js'
import {StepFailedError} from '../apply-errors.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {memberSpecOf, plannedMemberOf, type StepContext} from '../step-context.js'

export async function runStartMember(ctx: StepContext, step: StartMemberStep): Promise<string> {
  const member = memberSpecOf(ctx, step.member)
  if (member === null) throw new StepFailedError(step.id, `the spec does not list ${step.member}`, 'apply the plan with the spec it was made from')
  if (ctx.plan.strategy === 'snapshot') return startRestoredMember(ctx, step, member)
  const {peerURL} = plannedMemberOf(ctx, step.member)
  const before = memberWithPeerURL(await ctx.observe(), peerURL)
  if (before === null) {
    throw new StepFailedError(step.id, `${step.member} is not a member of the cluster, so it must not start`, 'its add step did not take effect: run `etcdplan plan` to plan from the cluster as it is now')
  }
  let startedNow = false
  if (!(before.started && statusOf(await ctx.observe(), before.id) !== null)) {
    try {
      if (!(await ctx.provider.isRunning(member))) {
        await ctx.provider.start(member, step.configPath)
        startedNow = true
      }
    } catch (error) {
      if (error instanceof NodeProviderError) throw new StepFailedError(step.id, error.message, 'fix the cause shown in the log (config, port in use, data dir), then run the same apply again', error.logTail)
      throw error
    }
  }
  return converge(ctx, ctx.spec.timeouts.healthMs, async (cluster) => {
    const observed = memberWithPeerURL(cluster, peerURL)
    const status = statusOf(cluster, observed?.id ?? null)
    if (observed !== null && observed.started && status !== null) return {done: startedNow ? `${step.member} started and published its name` : `${step.member} was already running`}
    if (!(await ctx.provider.isRunning(member))) {
      throw new StepFailedError(step.id, `etcd for ${step.member} is not running any more`, 'fix the cause shown in the log, then run the same apply again', await ctx.provider.logTail(member, 20))
    }
    return {wait: `waiting for ${step.member} to start and publish its name`}
  })
}

/**
 * A member of the restored cluster answers only once a quorum of its peers has started, so this step
 * starts the process and checks it keeps running; the verify step waits for the cluster to form.
 */
async function startRestoredMember(ctx: StepContext, step: StartMemberStep, member: MemberSpec): Promise<string> {
  if (await ctx.provider.isRunning(member)) return `${step.member} is already running`
  try {
    await ctx.provider.start(member, step.configPath)
  } catch (error) {
    if (error instanceof NodeProviderError) throw new StepFailedError(step.id, error.message, 'fix the cause shown in the log, then run the same apply again', error.logTail)
    throw error
  }
  return `${step.member} started; the new cluster forms once a quorum of its members runs`
}
