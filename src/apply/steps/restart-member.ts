// restart-member (runbook step 10): restart one member with its rewritten config, then wait until it
// is healthy and caught up before the next one. The step's preconditions before it stops the member:
// every voter healthy (waiting up to timeouts.health for a sick one, then stopping with its name and
// the quorum arithmetic), it does not lead (moved away), and the others keep a quorum while it is down.
// While it waits for the member to serve again it reads the member's log (start-log-watch.ts) and
// stops as soon as etcd has said why it cannot start (a rewritten config it refuses, a certificate),
// with that line, instead of waiting out the step's timeout.
import {isHealthy, statusOf} from '../../cluster/live-cluster.js'
import type {RestartMemberStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {isCaughtUp, memberWithPeerURL} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {healthWindow} from '../health-window.js'
import {StepGates} from '../gates/registry.js'
import {StartLogWatch, type FoundStartFailure} from '../start-log-watch.js'
import {confirmedByOperator, onHost, plannedMemberOf, requireMemberSpec, runningOrUnknown, type StepContext} from '../step-context.js'

export async function runRestartMember(ctx: StepContext, step: RestartMemberStep): Promise<string> {
  const member = requireMemberSpec(ctx, step.member)
  const {peerURL} = plannedMemberOf(ctx, step.member)
  const gates = new StepGates(ctx)
  const watch = new StartLogWatch(ctx, member)
  return converge(ctx, ctx.spec.timeouts.stepMs, async (cluster) => {
    const observed = memberWithPeerURL(cluster, peerURL)
    if (observed === null) throw new StepFailedError(step.id, `${step.member} is not a member of the cluster`, 'run `etcdplan plan` to plan from the cluster as it is now')
    if (gates.sent) {
      // null: the provider cannot see the process (manual); the member's health is all there is to go by.
      const running = await runningOrUnknown(ctx, member)
      const healthy = isHealthy(statusOf(cluster, observed.id))
      const found = healthy ? null : await watch.failure(running === false)
      if (found !== null) throw cannotRestart(step, found, running !== false ? 'it still runs' : `etcd for ${step.member} exited after the restart`)
      if (running === false) throw new StepFailedError(step.id, `etcd for ${step.member} exited after the restart`, 'fix the cause shown in the log, then run the same apply again', await ctx.provider.logTail(member, 20))
      // A restarted member serves within a second or so: re-check tightly, so the next restart starts at once.
      if (!healthy) return {wait: `waiting for ${step.member} to be healthy after its restart`, soon: true}
      if (!isCaughtUp(cluster, observed, ctx.plan.options.catchUpTolerance)) return {wait: `waiting for ${step.member} to catch up after its restart`, soon: true}
      return {done: confirmedByOperator(ctx) ? `${step.member} was restarted by the operator (confirmed), healthy and caught up` : `${step.member} restarted, healthy and caught up`}
    }
    const blocked = await gates.check(cluster)
    if (blocked !== null) return blocked
    const restartingAt = Date.now()
    await onHost(ctx, () => ctx.provider.restart(member, step.configPath, ctx.spec.timeouts.stepMs))
    gates.markSent()
    // Its peers' streams to it restart, and with them etcd's 5-s clock for the next membership change (health-window.ts).
    if (!confirmedByOperator(ctx)) healthWindow.memberStarted(peerURL, restartingAt)
    return {acted: `restarted ${step.member}`}
  })
}

/** etcd said why it cannot start after the restart: its words, and how the same apply (or a new plan) goes on. */
function cannotRestart(step: RestartMemberStep, found: FoundStartFailure, then: string): StepFailedError {
  return new StepFailedError(
    step.id,
    `etcd on ${step.member} cannot start after its restart: ${found.failure.text}; ${then}`,
    `fix the cause, then run the same apply again: it resumes at this step and restarts ${step.member}. If the fix needs a spec change (a URL, a path, a certificate location), make a new plan with \`etcdplan plan\`.`,
    found.tail,
  )
}
