// wait-caught-up (runbook step 6, made exact): the member's applied index is within the tolerance of
// the leader's committed index, in the same term, without errors, on two polls in a row (one good
// poll can be a moment between two bursts). Progress is reported with the catch-up rate.
import type {WaitCaughtUpStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {lagOf, memberWithPeerURL} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {plannedMemberOf, type StepContext} from '../step-context.js'

export async function runWaitCaughtUp(ctx: StepContext, step: WaitCaughtUpStep): Promise<string> {
  const {peerURL} = plannedMemberOf(ctx, step.member)
  let goodPolls = 0
  let previous: {applied: number; at: number} | null = null
  return converge(ctx, ctx.spec.timeouts.catchUpMs, async (cluster) => {
    const member = memberWithPeerURL(cluster, peerURL)
    if (member === null) throw new StepFailedError(step.id, `${step.member} is not a member of the cluster any more`, 'run `etcdplan plan` to plan from the cluster as it is now')
    const lag = lagOf(cluster, member)
    if (lag === null) {
      goodPolls = 0
      return {wait: `waiting for ${step.member} to report its status`}
    }
    const now = Date.now()
    const rate = previous === null || now === previous.at ? null : Math.round(((lag.applied - previous.applied) * 1000) / (now - previous.at))
    previous = {applied: lag.applied, at: now}
    ctx.emit({type: 'catch-up', id: step.id, member: step.member, applied: lag.applied, leader: lag.leader, entriesPerSecond: rate})
    goodPolls = lag.applied >= lag.leader - step.tolerance ? goodPolls + 1 : 0
    if (goodPolls >= 2) return {done: `${step.member} applied ${lag.applied} of the leader's ${lag.leader}`}
    return goodPolls === 1 ? {acted: `${step.member} is within ${step.tolerance} entries; confirming`} : {wait: `${step.member} catching up: ${lag.applied} of ${lag.leader}`}
  })
}
