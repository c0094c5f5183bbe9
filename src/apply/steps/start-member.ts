// start-member (runbook step 4): start etcd on the member's host and wait until it has published its
// name, i.e. it is "started" in etcd's sense. A process that dies is reported with its log tail.
// While it waits it reads the member's log (start-log-watch.ts) and stops as soon as etcd has said why
// it cannot start, with that line; an etcd still running then (it retries a peer whose certificate
// does not verify, say) is stopped first: it never published its name, so nothing of it joined, and
// the next run starts it afresh, moving aside what the failed start left in its data dir (the
// data-dir-empty gate).
// A provider that cannot see the process (manual: the operator starts etcd, `--confirm
// start-member/NAME` says it did) leaves only the cluster's view: after a confirmed start the member
// must publish its name and answer at its client URL within timeouts.health, or the step fails saying
// the confirmation does not hold, and nothing beyond it is taken.
// Before starting a member that is not running, the step's preconditions (src/apply/gates/): it is a
// member, its config file holds exactly what the plan wrote, and its data dir holds nothing that
// would give it another identity.
import {statusOf} from '../../cluster/live-cluster.js'
import type {StartMemberStep} from '../../plan/types.js'
import type {MemberSpec} from '../../spec/types.js'
import {NodeProviderError} from '../../nodes/node-provider.js'
import {StepFailedError} from '../apply-errors.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import {converge, StepDeadline} from '../converge.js'
import {SnapshotReceipt} from '../snapshot-receipt.js'
import {healthWindow} from '../health-window.js'
import {StepGates} from '../gates/registry.js'
import {startFailureIn, StartLogWatch, type FoundStartFailure} from '../start-log-watch.js'
import {confirmedByOperator, onHost, plannedMemberOf, requireMemberSpec, runningOrUnknown, type StepContext} from '../step-context.js'

export async function runStartMember(ctx: StepContext, step: StartMemberStep): Promise<string> {
  const member = requireMemberSpec(ctx, step.member)
  const gates = new StepGates(ctx)
  if (ctx.plan.strategy === 'snapshot') return startRestoredMember(ctx, step, member, gates)
  const {peerURL} = plannedMemberOf(ctx, step.member)
  const cluster = await ctx.observe()
  const before = memberWithPeerURL(cluster, peerURL)
  let startedNow = false
  const serving = before !== null && before.started && statusOf(cluster, before.id) !== null
  if (!serving && (await runningOrUnknown(ctx, member)) !== true) {
    await gates.require(cluster)
    const startingAt = Date.now()
    await onHost(ctx, () => startEtcd(ctx, step, member))
    startedNow = true
    // Its peers' 5-s clocks for the next membership change start with its streams, after this moment
    // (health-window.ts); an operator's start happened at a time etcdplan does not know.
    if (!confirmedByOperator(ctx)) healthWindow.memberStarted(peerURL, startingAt)
  }
  const watch = new StartLogWatch(ctx, member)
  const byOperator = startedNow && confirmedByOperator(ctx)
  const unobservedDeadline = Date.now() + ctx.spec.timeouts.healthMs - UNOBSERVED_MARGIN_MS
  // A member too far behind for the leader's raft log answers only once the leader's whole
  // database has arrived as a snapshot (docs/etcd-facts.md, "Caught up"): minutes for a large one on a
  // slow link. While it arrives the member is catching up, so timeouts.catchUp bounds the step, not
  // timeouts.health, and the bytes are the progress.
  const receipt = new SnapshotReceipt(ctx, step.member)
  const deadline = new StepDeadline(ctx.spec.timeouts.healthMs)
  const outcome = await converge(ctx, deadline, async (cluster) => {
    const observed = memberWithPeerURL(cluster, peerURL)
    const status = statusOf(cluster, observed?.id ?? null)
    if (observed !== null && observed.started && status !== null) return {done: byOperator ? `${step.member} was started by the operator (confirmed) and published its name` : startedNow ? `${step.member} started and published its name` : `${step.member} was already running`}
    const running = await runningOrUnknown(ctx, member)
    if (running === null) {
      // Only the cluster can tell (manual): wait for it, and say so when the time is up.
      if (Date.now() >= unobservedDeadline) throw startNotObserved(ctx, step, member.clientURL, observed !== null && observed.started, byOperator)
      return {wait: `waiting for ${step.member} to publish its name and answer at ${member.clientURL} (etcdplan cannot see its process: only the cluster tells)`}
    }
    // A member that has published its name did start: what its log says is not about this start.
    const found = observed !== null && observed.started ? null : await watch.failure(!running)
    if (found !== null) {
      if (running) await onHost(ctx, () => ctx.provider.stop(member, ctx.spec.timeouts.stepMs))
      throw cannotStart(step, found, running ? 'etcdplan stopped it, as it had not published its name' : `etcd for ${step.member} is not running any more`)
    }
    if (!running) {
      throw new StepFailedError(step.id, `etcd for ${step.member} is not running any more`, 'fix the cause shown in the log, then run the same apply again', await ctx.provider.logTail(member, 20))
    }
    // It may have published its name already (status is what is missing then).
    const receiving = observed !== null && status === null ? await receipt.sample(cluster) : null
    if (receiving !== null) {
      deadline.extendTo(ctx.spec.timeouts.healthMs + ctx.spec.timeouts.catchUpMs)
      return receiving
    }
    // etcd publishes its name within a second of starting: re-check tightly, so the next step starts at once.
    return {wait: `waiting for ${step.member} to start and publish its name`, soon: true}
  })
  return `${gates.notes()}${outcome}`
}

/** How long a member whose process cannot be seen gets to publish its name; just under the converge deadline, so that this message is the one shown. */
const UNOBSERVED_MARGIN_MS = 1000

/** A start the provider cannot see that the cluster does not show either: the confirmation (or the operator's start) does not hold. */
function startNotObserved(ctx: StepContext, step: StartMemberStep, clientURL: string, published: boolean, byOperator: boolean): StepFailedError {
  const seen = published ? `it published its name but does not answer at ${clientURL}` : `the member list shows it unstarted (it has not published its name)`
  const claim = byOperator ? `${step.id} was confirmed, but ${step.member} is not running as planned` : `${step.member} is not running as planned`
  return new StepFailedError(
    step.id,
    `${claim}: ${Math.round(ctx.spec.timeouts.healthMs / 1000)} s later ${seen}. Nothing beyond this step was done.`,
    `start etcd for ${step.member} on its host as the instructions said (its log there tells why it does not come up), then run the same apply again with --confirm ${step.id}`,
  )
}

/** Starts etcd; one that exits at once is reported by what it said, when its log says why. */
async function startEtcd(ctx: StepContext, step: StartMemberStep, member: MemberSpec): Promise<void> {
  try {
    await ctx.provider.start(member, step.configPath)
  } catch (error) {
    const found = error instanceof NodeProviderError ? startFailureIn(error.logTail) : null
    if (found !== null) throw cannotStart(step, found, (error as Error).message)
    throw error
  }
}

/** etcd said why it cannot start: its words, what happened to the process, and how the same apply (or a new plan) continues the join. */
function cannotStart(step: StartMemberStep, found: FoundStartFailure, then: string): StepFailedError {
  return new StepFailedError(
    step.id,
    `etcd on ${step.member} cannot start: ${found.failure.text}; ${then}`,
    `fix the cause, then run the same apply again: it resumes at this step, moving aside what the failed start left in ${step.member}'s data dir (never deleting it), and starts etcd again. If the fix needs a spec change (a URL, a path, a certificate location), make a new plan with \`etcdplan plan\`: it continues ${step.member}'s join.`,
    found.tail,
  )
}

/**
 * A member of the restored cluster answers only once a quorum of its peers has started, so this step
 * starts the process and checks it keeps running; the verify step waits for the cluster to form.
 */
async function startRestoredMember(ctx: StepContext, step: StartMemberStep, member: MemberSpec, gates: StepGates): Promise<string> {
  if ((await runningOrUnknown(ctx, member)) === true) return `${step.member} is already running`
  await gates.require(null)
  await onHost(ctx, () => ctx.provider.start(member, step.configPath))
  // The verify step waits for the new cluster to form: a start the operator confirmed falsely is caught there.
  if (confirmedByOperator(ctx)) return `${gates.notes()}${step.member} was started by the operator (confirmed); the new cluster forms once a quorum of its members runs, and the verify step waits for it`
  return `${gates.notes()}${step.member} started; the new cluster forms once a quorum of its members runs`
}
