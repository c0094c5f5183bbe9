// start-member (runbook step 4): start etcd on the member's host and wait until it has published its
// name, i.e. it is "started" in etcd's sense. A process that dies is reported with its log tail.
// Before starting a member that is not running, the step's preconditions (src/apply/gates/): it is a
// member, its config file holds exactly what the plan wrote, and its data dir holds nothing that
// would give it another identity.
import {statusOf} from '../../cluster/live-cluster.js'
import type {StartMemberStep} from '../../plan/types.js'
import type {MemberSpec} from '../../spec/types.js'
import {StepFailedError} from '../apply-errors.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {StepGates} from '../gates/registry.js'
import {onHost, plannedMemberOf, requireMemberSpec, type StepContext} from '../step-context.js'

export async function runStartMember(ctx: StepContext, step: StartMemberStep): Promise<string> {
  const member = requireMemberSpec(ctx, step.member)
  const gates = new StepGates(ctx)
  if (ctx.plan.strategy === 'snapshot') return startRestoredMember(ctx, step, member, gates)
  const {peerURL} = plannedMemberOf(ctx, step.member)
  const cluster = await ctx.observe()
  const before = memberWithPeerURL(cluster, peerURL)
  let startedNow = false
  const serving = before !== null && before.started && statusOf(cluster, before.id) !== null
  if (!serving && !(await ctx.provider.isRunning(member))) {
    await gates.require(cluster)
    await onHost(ctx, () => ctx.provider.start(member, step.configPath))
    startedNow = true
  }
  const outcome = await converge(ctx, ctx.spec.timeouts.healthMs, async (cluster) => {
    const observed = memberWithPeerURL(cluster, peerURL)
    const status = statusOf(cluster, observed?.id ?? null)
    if (observed !== null && observed.started && status !== null) return {done: startedNow ? `${step.member} started and published its name` : `${step.member} was already running`}
    if (!(await ctx.provider.isRunning(member))) {
      throw new StepFailedError(step.id, `etcd for ${step.member} is not running any more`, 'fix the cause shown in the log, then run the same apply again', await ctx.provider.logTail(member, 20))
    }
    return {wait: `waiting for ${step.member} to start and publish its name`}
  })
  return `${gates.notes()}${outcome}`
}

/**
 * A member of the restored cluster answers only once a quorum of its peers has started, so this step
 * starts the process and checks it keeps running; the verify step waits for the cluster to form.
 */
async function startRestoredMember(ctx: StepContext, step: StartMemberStep, member: MemberSpec, gates: StepGates): Promise<string> {
  if (await ctx.provider.isRunning(member)) return `${step.member} is already running`
  await gates.require(null)
  await onHost(ctx, () => ctx.provider.start(member, step.configPath))
  return `${gates.notes()}${step.member} started; the new cluster forms once a quorum of its members runs`
}
