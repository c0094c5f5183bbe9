// add-learner / add-member: one member joins the membership (runbook step 3). It observes first (an
// add whose reply was lost has happened if a member with this peer URL exists), then the step's
// preconditions (every voter healthy, the member added before caught up, no other learner: etcd
// allows one, `too many learner members in cluster`), then sends the add to the first voter whose
// 5-s health window has ended (send-membership-change.ts).
import type {AddLearnerStep, AddMemberStep} from '../../plan/types.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {StepGates} from '../gates/registry.js'
import type {StepContext} from '../step-context.js'
import {ReceiverRotation} from './leader-endpoint.js'
import {sendMembershipChange} from './send-membership-change.js'

export async function runAddMember(ctx: StepContext, step: AddLearnerStep | AddMemberStep): Promise<string> {
  const isLearner = step.kind === 'add-learner'
  const receivers = new ReceiverRotation()
  const gates = new StepGates(ctx)
  return converge(ctx, ctx.spec.timeouts.stepMs, async (cluster) => {
    const existing = memberWithPeerURL(cluster, step.peerURL)
    if (existing !== null && existing.id !== null) {
      await ctx.recordMemberId(step.member, existing.id)
      const as = existing.isLearner ? 'learner' : 'voter'
      const id = BigInt(existing.id).toString(16)
      return {done: gates.sent ? `added ${step.member} as a ${as} (ID ${id})` : `${step.member} was already a member (${as}, ID ${id})`}
    }
    const blocked = await gates.check(cluster)
    if (blocked !== null) return blocked
    const result = await sendMembershipChange(ctx, cluster, receivers, null, `member add ${step.member}`, async (endpoint) => {
      const added = await ctx.cluster.addMember(endpoint, step.peerURL, isLearner)
      await ctx.recordMemberId(step.member, added.id)
    })
    if (result === null) return {wait: 'waiting for a leader'}
    if (!('wait' in result)) gates.markSent()
    return result
  })
}
