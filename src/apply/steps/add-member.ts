// add-learner / add-member: one member joins the membership (runbook step 3). Before acting: the
// member is not there yet (observe: an add whose reply was lost has happened if a member with this
// peer URL exists), every voter is healthy, every started member is caught up, and no other learner
// exists (etcd allows one: `too many learner members in cluster`).
import type {AddLearnerStep, AddMemberStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {displayName, laggingMembers, memberWithPeerURL, VoterHealthGate} from '../cluster-gates.js'
import {act, converge} from '../converge.js'
import type {StepContext} from '../step-context.js'
import {ReceiverRotation} from './leader-endpoint.js'

export async function runAddMember(ctx: StepContext, step: AddLearnerStep | AddMemberStep): Promise<string> {
  const isLearner = step.kind === 'add-learner'
  const receivers = new ReceiverRotation()
  let sent = false
  const health = new VoterHealthGate(step.id, ctx.spec.timeouts.healthMs, `etcdplan status ${ctx.plan.specFile}`)
  return converge(ctx, ctx.spec.timeouts.stepMs, async (cluster) => {
    const existing = memberWithPeerURL(cluster, step.peerURL)
    if (existing !== null && existing.id !== null) {
      await ctx.recordMemberId(step.member, existing.id)
      const as = existing.isLearner ? 'learner' : 'voter'
      const id = BigInt(existing.id).toString(16)
      return {done: sent ? `added ${step.member} as a ${as} (ID ${id})` : `${step.member} was already a member (${as}, ID ${id})`}
    }
    const learner = cluster.members.find((m) => m.isLearner)
    if (isLearner && learner !== undefined) {
      throw new StepFailedError(step.id, `the cluster already has a learner (${displayName(learner)}, ${learner.peerURLs.join(', ')})`, 'etcd allows one learner at a time: run `etcdplan plan` to plan from the cluster as it is now (it finishes or removes that learner first)')
    }
    const sick = health.check(cluster, {kind: isLearner ? 'add-learner' : 'add-voter', name: step.member}, sent)
    if (sick !== null) return sick
    const lagging = laggingMembers(cluster, ctx.plan.options.catchUpTolerance)
    if (lagging.length > 0) return {wait: `waiting for ${lagging.map(displayName).join(', ')} to catch up before the next add`}
    const endpoint = receivers.pick(cluster)
    if (endpoint === null) return {wait: 'waiting for a leader'}
    const result = await act(ctx, `member add ${step.member}`, async () => {
      const response = await ctx.endpoints.get(endpoint).cluster.memberAdd({peerURLs: [step.peerURL], isLearner})
      await ctx.recordMemberId(step.member, response.member.ID)
    })
    if ('wait' in result) receivers.rotate()
    else sent = true
    return result
  })
}
