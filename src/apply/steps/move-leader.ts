// move-leader: before a member is removed or restarted, leadership moves to a caught-up voter (the
// step's precondition), chosen among the plan's candidates; nothing to do when the member does not
// lead at that moment.
import type {MoveLeaderStep} from '../../plan/types.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {StepGates} from '../gates/registry.js'
import {moveLeadershipAway} from '../move-leadership.js'
import {plannedMemberOf, type StepContext} from '../step-context.js'

export async function runMoveLeader(ctx: StepContext, step: MoveLeaderStep): Promise<string> {
  const {peerURL} = plannedMemberOf(ctx, step.member)
  const candidateURLs = step.candidates.map((name) => plannedMemberOf(ctx, name).peerURL)
  const gates = new StepGates(ctx)
  return converge(ctx, ctx.spec.timeouts.stepMs, async (cluster) => {
    const member = memberWithPeerURL(cluster, peerURL)
    if (member === null) return {done: `${step.member} is not a member`}
    // Only a leader has leadership to move: the preconditions are about its successor.
    if (cluster.leaderId === member.id) {
      const blocked = await gates.check(cluster)
      if (blocked !== null) return blocked
    }
    const result = await moveLeadershipAway(ctx, cluster, member, candidateURLs)
    if ('acted' in result || 'uncertain' in result) gates.markSent()
    return 'done' in result && gates.sent ? {done: `moved leadership away: ${result.done}`} : result
  })
}
