// remove-member (runbook step 8): one member leaves. Before acting: it is not the leader (leadership
// is moved first if it came back), and the healthy voters left still form a quorum of the smaller
// membership — etcd's own check (`not enough started members`, `unhealthy cluster`) uses started and
// connected members; etcdplan also refuses to remove while another voter is sick.
import type {RemoveMemberStep} from '../../plan/types.js'
import {memberWithPeerURL, VoterHealthGate} from '../cluster-gates.js'
import {act, converge} from '../converge.js'
import type {StepContext} from '../step-context.js'
import {ReceiverRotation} from './leader-endpoint.js'
import {moveLeadershipAway} from './move-leader.js'

export async function runRemoveMember(ctx: StepContext, step: RemoveMemberStep): Promise<string> {
  const receivers = new ReceiverRotation()
  let sent = false
  const health = new VoterHealthGate(step.id, ctx.spec.timeouts.healthMs, `etcdplan status ${ctx.plan.specFile}`)
  const candidateURLs = ctx.plan.targetVoters.map((name) => ctx.plan.members.find((m) => m.name === name)?.peerURL ?? '')
  return converge(ctx, ctx.spec.timeouts.stepMs, async (cluster) => {
    const member = memberWithPeerURL(cluster, step.peerURL)
    if (member === null || member.id === null) return {done: sent ? `removed ${step.member}` : `${step.member} was not a member`}
    if (cluster.leaderId === member.id) {
      const moved = await moveLeadershipAway(ctx, cluster, member, candidateURLs)
      if (!('done' in moved)) return moved
    }
    if (!member.isLearner) {
      // Every other voter healthy implies the healthy voters left form a quorum of the smaller membership.
      const sick = health.check(cluster, {kind: 'remove', member}, sent)
      if (sick !== null) return sick
    }
    const endpoint = receivers.pick(cluster, member.id)
    if (endpoint === null) return {wait: 'waiting for a leader and a healthy voter to send the removal to'}
    const id = member.id
    const result = await act(ctx, `member remove ${step.member}`, () => ctx.endpoints.get(endpoint).cluster.memberRemove({ID: id}))
    if ('wait' in result) receivers.rotate()
    else sent = true
    return result
  })
}
