// remove-member (runbook step 8): one member leaves. The step's preconditions for a voter: it does
// not lead (leadership is moved away again if it came back), the healthy voters left form a quorum of
// the smaller membership (etcd: `not enough started members`, `unhealthy cluster`), every other voter
// is healthy. The removal goes to the first other healthy voter that accepts it
// (send-membership-change.ts).
import type {RemoveMemberStep} from '../../plan/types.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {StepGates} from '../gates/registry.js'
import type {StepContext} from '../step-context.js'
import {ReceiverRotation} from './leader-endpoint.js'
import {sendMembershipChange} from './send-membership-change.js'

export async function runRemoveMember(ctx: StepContext, step: RemoveMemberStep): Promise<string> {
  const receivers = new ReceiverRotation()
  const gates = new StepGates(ctx)
  return converge(ctx, ctx.spec.timeouts.stepMs, async (cluster) => {
    const member = memberWithPeerURL(cluster, step.peerURL)
    if (member === null || member.id === null) return {done: gates.sent ? `removed ${step.member}` : `${step.member} was not a member`}
    const blocked = await gates.check(cluster)
    if (blocked !== null) return blocked
    const id = member.id
    const result = await sendMembershipChange(ctx, cluster, receivers, id, `member remove ${step.member}`, (endpoint) => ctx.cluster.removeMember(endpoint, id))
    if (result === null) return {wait: 'waiting for a leader and a healthy voter to send the removal to'}
    if (!('wait' in result)) gates.markSent()
    return result
  })
}
