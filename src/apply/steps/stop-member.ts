// stop-member: a member leaves service for good. The outcome is what etcd shows, not what the node
// provider believes: a member that still answers on its client URL is running, whoever started it.
// - join: a removed member shuts itself down; the provider confirms it, and stops it if it has not,
//   which is safe once it is out of the membership. Its data dir must never be reused under its old
//   identity (`the member has been permanently removed from the cluster`).
// - snapshot: the old cluster is retired as a whole once clients use the new one, so its members are
//   stopped without leaving the membership; their data dirs stay as a fallback. A write to an old
//   member that still serves would never reach the new cluster, so a member the provider cannot stop
//   (one etcdplan did not start) stops the apply with the exact instruction, and the next run checks
//   that it no longer answers.
// - A provider that cannot see the process (manual) is asked to stop a member that still answers
//   (once a removed one has had its time to shut itself down): its stop is the operator's, with the
//   exact commands, and after `--confirm stop-member/NAME` the member must stop answering at its
//   client URL within timeouts.step, or the step fails saying the confirmation does not hold.
import {setTimeout as sleep} from 'node:timers/promises'
import type {StopMemberStep} from '../../plan/types.js'
import type {MemberSpec} from '../../spec/types.js'
import {StepFailedError} from '../apply-errors.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import {StepGates} from '../gates/registry.js'
import type {StepResult} from '../step-result.js'
import {memberSpecOf, onHost, plannedMemberOf, runningOrUnknown, type StepContext} from '../step-context.js'

/** How long a removed member gets to notice its removal and exit by itself. */
const SELF_SHUTDOWN_MS = 10_000
const POLL_MS = 200

export async function runStopMember(ctx: StepContext, step: StopMemberStep): Promise<StepResult> {
  const {peerURL, clientURL} = plannedMemberOf(ctx, step.member)
  const gates = new StepGates(ctx)
  if (ctx.plan.strategy !== 'snapshot') {
    const cluster = await ctx.observe()
    if (memberWithPeerURL(cluster, peerURL) !== null) {
      throw new StepFailedError(step.id, `${step.member} is still a member of the cluster; stopping it now would lower fault tolerance`, 'its remove step did not take effect: run `etcdplan plan` to plan from the cluster as it is now')
    }
    await gates.require(cluster)
  } else {
    // The old cluster is retired, not changed: only host checks can apply.
    await gates.require(null)
  }
  const member = memberSpecOf(ctx, step.member)
  const kept = ctx.plan.strategy === 'snapshot' ? '; its data dir is kept as a fallback' : ''
  const running = member === null ? false : await runningOrUnknown(ctx, member)
  if (!(await answers(ctx, clientURL))) {
    // Silent but still running: an etcd in its graceful shutdown (an apply killed after sending the
    // stop; with its peers stopping too it can take seconds) or hung. Stopped means the process is
    // gone, so that the fence after this step finds nothing running: the stop is finished (idempotent).
    if (member !== null && running === true) {
      await onHost(ctx, () => ctx.provider.stop(member, ctx.spec.timeouts.stepMs))
      return {done: `${step.member} no longer answers at ${clientURL} and its etcd has exited${kept}`}
    }
    return {done: `${step.member} no longer answers at ${clientURL}${kept}`}
  }
  if (member !== null && running === true) {
    if (ctx.plan.strategy !== 'snapshot' && (await ctx.provider.awaitExit(member, SELF_SHUTDOWN_MS))) return {done: `${step.member} shut itself down after its removal`}
    await onHost(ctx, () => ctx.provider.stop(member, ctx.spec.timeouts.stepMs))
    if (!(await silentWithin(ctx, clientURL, ctx.spec.timeouts.stepMs, `waiting for ${step.member} to stop answering at ${clientURL}`))) {
      throw new StepFailedError(step.id, `${step.member} still answers at ${clientURL} after its etcd was stopped`, `another etcd serves ${clientURL}: stop it on its host, then run the same apply again`)
    }
    return {done: `${step.member} was stopped${ctx.plan.strategy === 'snapshot' ? '' : ` (it had not shut down by itself within ${SELF_SHUTDOWN_MS / 1000} s)`}${kept}`}
  }
  // It answers, and the provider does not run it: etcdplan cannot stop it. A removed member shuts
  // itself down ('the member has been permanently removed from the cluster'): give it the time to.
  if (ctx.plan.strategy !== 'snapshot' && (await silentWithin(ctx, clientURL, SELF_SHUTDOWN_MS, `waiting for ${step.member} to shut itself down after its removal`))) return {done: `${step.member} shut itself down after its removal`}
  if (member !== null && running === null) {
    // The provider cannot tell whether it runs it (manual): the stop is the operator's (onHost), and the cluster tells whether it happened.
    await onHost(ctx, () => ctx.provider.stop(member, ctx.spec.timeouts.stepMs))
    if (await silentWithin(ctx, clientURL, ctx.spec.timeouts.stepMs, `waiting for ${step.member} to stop answering at ${clientURL}`)) return {done: `${step.member} was stopped by the operator (confirmed) and no longer answers at ${clientURL}${kept}`}
    throw new StepFailedError(step.id, `${step.id} was confirmed, but ${step.member} still answers at ${clientURL} ${Math.round(ctx.spec.timeouts.stepMs / 1000)} s later. Nothing beyond this step was done.`, `stop etcd for ${step.member} on its host as the instructions said (it must not answer at ${clientURL}), then run the same apply again with --confirm ${step.id}`)
  }
  if (ctx.confirmed.has(step.id)) {
    throw new StepFailedError(step.id, `${step.member} still answers at ${clientURL}, though its stop was confirmed`, `stop etcd for ${step.member} on its host (it must not answer at ${clientURL}), then run the same apply again`)
  }
  return {operator: stopInstructions(step, member, clientURL)}
}

/** Whether the member answers Status at its client URL (asked of it alone: the last member of a stopped cluster still answers without quorum). */
async function answers(ctx: StepContext, clientURL: string): Promise<boolean> {
  return (await ctx.cluster.status(clientURL)).error === null
}

/**
 * Whether the member stops answering within `ms`; `reason` is shown while it still answers. A poll of
 * the one endpoint, not converge: converge observes a whole cluster each round, and a retired one may
 * have no quorum left to answer with.
 */
async function silentWithin(ctx: StepContext, clientURL: string, ms: number, reason: string): Promise<boolean> {
  const deadline = Date.now() + ms
  for (let asked = 0; ; asked++) {
    if (!(await answers(ctx, clientURL))) return true
    if (Date.now() >= deadline) return false
    if (asked === 0) ctx.emit({type: 'step-wait', id: ctx.step.id, reason})
    await sleep(POLL_MS)
  }
}

function stopInstructions(step: StopMemberStep, member: MemberSpec | null, clientURL: string): string {
  const why = member === null ? 'the spec does not list it' : "etcdplan's node provider does not run it"
  return [
    `etcd for ${step.member} still answers at ${clientURL}, and ${why}, so etcdplan cannot stop it.`,
    `Stop it on its host (for example \`systemctl stop etcd\`, or end its etcd process), and keep its data dir: it is the fallback of this migration and must never rejoin a cluster.`,
    `Clients that still write to it would lose those writes: check that none does.`,
  ].join('\n')
}
