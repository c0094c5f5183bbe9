// wait-caught-up (runbook step 6, made exact): the member's applied index is within the tolerance of
// the leader's committed index, in the same term, without errors, on two polls in a row (one good
// poll can be a moment between two bursts). Progress is reported with the catch-up rate. When
// timeouts.catchUp runs out the step stops with what it last saw of the member (not answering, or
// how far behind and how fast), and nothing after it is done: the member is not promoted.
import type {LiveCluster} from '../../cluster/live-cluster.js'
import type {ObservedMember} from '../../cluster/observation.js'
import type {WaitCaughtUpStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {lagOf, leaderMember, displayName, memberWithPeerURL} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {StepGates} from '../gates/registry.js'
import {plannedMemberOf, type StepContext} from '../step-context.js'
import {leaderStatus, statusOf} from '../../cluster/live-cluster.js'
import {CatchUpProgress} from '../catch-up-progress.js'
import {SnapshotReceipt} from '../snapshot-receipt.js'

/**
 * converge's own deadline is only a backstop: this step stops itself at the first observation after
 * timeouts.catchUp, with its own message; an observation takes a few seconds at most when a member
 * does not answer (each Status call has a 2-s deadline).
 */
const BACKSTOP_MS = 30_000

export async function runWaitCaughtUp(ctx: StepContext, step: WaitCaughtUpStep): Promise<string> {
  const {peerURL} = plannedMemberOf(ctx, step.member)
  const limitMs = ctx.spec.timeouts.catchUpMs
  const started = Date.now()
  const deadline = started + limitMs
  let goodPolls = 0
  let previous: {applied: number; at: number} | null = null
  let rate: number | null = null
  let lastAnswerAt: number | null = null
  let lastLag: {applied: number; leader: number} | null = null
  const timedOut = (cluster: LiveCluster, member: ObservedMember, problem: string | null): StepFailedError => {
    const now = Date.now()
    const seen = lastLag === null ? '' : `; the last it reported was applied index ${lastLag.applied} of the leader's ${lastLag.leader}`
    const what =
      problem !== null
        ? `it has not reported a usable status for ${Math.round((now - (lastAnswerAt ?? started)) / 1000)} s: ${problem}${seen}`
        : `it has applied ${lastLag?.applied ?? '?'} of the leader's committed ${lastLag?.leader ?? '?'} (${lastLag === null ? '?' : lastLag.leader - lastLag.applied} entries behind; caught up means within ${step.tolerance})${rate === null ? '' : `, at ${rate} entries/s`}`
    const leader = leaderMember(cluster)
    const standing = member.isLearner
      ? `${step.member} is still a learner: it does not vote, so the cluster's quorum does not depend on it, and it was not promoted.`
      : `${step.member} was not waited for any further and no later step was taken.`
    return new StepFailedError(
      step.id,
      `${step.member} (${member.clientURLs[0] ?? peerURL}) did not catch up within ${Math.round(limitMs / 1000)} s (timeouts.catchUp): ${what}. ${standing}`,
      `check that etcd for ${step.member} is running and can reach the leader${leader === null ? '' : ` (${displayName(leader)}, ${leader.peerURLs[0] ?? ''})`} and its other peers (its etcd log; \`etcdplan status ${ctx.plan.specFile}\` shows its raft index), then run the same apply again: it resumes waiting at this step. If it is only slow (a large data set), raise timeouts.catchUp in the spec.`,
    )
  }
  const gates = new StepGates(ctx)
  const tracker = new CatchUpProgress()
  const snapshotReceipt = new SnapshotReceipt(ctx, step.member)
  return converge(ctx, limitMs + BACKSTOP_MS, async (cluster) => {
    const blocked = await gates.check(cluster)
    // A member receiving the leader's snapshot may not have published its name yet (member-started waits).
    if (blocked !== null) return (memberWithPeerURL(cluster, peerURL)?.started === false ? await snapshotReceipt.sample(cluster) : null) ?? blocked
    const member = memberWithPeerURL(cluster, peerURL)
    if (member === null) throw new StepFailedError(step.id, `${step.member} is not a member of the cluster any more`, 'run `etcdplan plan` to plan from the cluster as it is now')
    const lag = lagOf(cluster, member)
    if (lag === null) {
      goodPolls = 0
      const problem = statusProblem(cluster, member)
      if (Date.now() >= deadline) throw timedOut(cluster, member, problem)
      const receiving = await snapshotReceipt.sample(cluster)
      if (receiving !== null) return receiving
      return {wait: `waiting for ${step.member} to report its status: ${problem}`}
    }
    const now = Date.now()
    lastAnswerAt = now
    lastLag = lag
    if (previous !== null && now !== previous.at) rate = Math.round(((lag.applied - previous.applied) * 1000) / (now - previous.at))
    const memberDbSize = statusOf(cluster, member.id)?.dbSize ?? null
    const leaderDbSize = leaderStatus(cluster)?.dbSize ?? null
    ctx.emit({type: 'catch-up', id: step.id, member: step.member, applied: lag.applied, leader: lag.leader, entriesPerSecond: previous === null ? null : rate, memberDbSize, leaderDbSize})
    const progress = tracker.update({at: now, applied: lag.applied, leaderIndex: lag.leader, memberDbSize, leaderDbSize})
    previous = {applied: lag.applied, at: now}
    goodPolls = lag.applied >= lag.leader - step.tolerance ? goodPolls + 1 : 0
    if (goodPolls >= 2) return {done: `${step.member} applied ${lag.applied} of the leader's ${lag.leader}`}
    if (goodPolls === 1) return {acted: `${step.member} is within ${step.tolerance} entries; confirming`}
    if (now >= deadline) throw timedOut(cluster, member, null)
    return {wait: `${step.member} catching up: ${lag.applied} of ${lag.leader}`, waitingFor: `${step.member} to catch up`, progress}
  })
}

/** Why the member's lag cannot be computed from this observation. */
function statusProblem(cluster: LiveCluster, member: ObservedMember): string {
  if (!member.started) return 'it has not started (the member list shows it unstarted)'
  const own = cluster.statuses.find((s) => member.clientURLs.includes(s.endpoint) && (s.memberId === null || s.memberId === member.id))
  if (own === undefined) return 'it was not asked (it advertises no client URL)'
  if (own.error !== null) return `it does not answer Status (${own.error})`
  if (own.errors.length > 0) return `it reports errors (${own.errors.join('; ')})`
  const leader = cluster.statuses.find((s) => s.memberId !== null && s.memberId === cluster.leaderId && s.error === null)
  if (leader === undefined) return 'the cluster has no leader that answers'
  if (own.raftTerm !== leader.raftTerm) return `it is in raft term ${own.raftTerm ?? '?'}, the leader in ${leader.raftTerm ?? '?'}`
  return 'its status is incomplete'
}
