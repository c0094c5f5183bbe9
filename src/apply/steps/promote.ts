// promote: the learner becomes a voter. The step's preconditions: it is a started learner by its own
// Status (etcd 3.4.23, < 3.4.24, would promote a learner that never started: docs/etcd-facts.md), it
// is caught up, every voter is healthy. etcd itself refuses until the learner's match index reaches
// 90% of the leader's (`can only promote a learner member which is in sync with leader`): a "not yet".
import type {PromoteStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import {act, converge} from '../converge.js'
import {StepGates} from '../gates/registry.js'
import {plannedMemberOf, type StepContext} from '../step-context.js'
import {leaderEndpoint} from './leader-endpoint.js'

export async function runPromote(ctx: StepContext, step: PromoteStep): Promise<string> {
  const {peerURL} = plannedMemberOf(ctx, step.member)
  const gates = new StepGates(ctx)
  return converge(ctx, ctx.spec.timeouts.stepMs, async (cluster) => {
    const member = memberWithPeerURL(cluster, peerURL)
    if (member === null || member.id === null) throw new StepFailedError(step.id, `${step.member} is not a member of the cluster`, 'run `etcdplan plan` to plan from the cluster as it is now')
    if (!member.isLearner) return {done: gates.sent ? `promoted ${step.member} to a voter` : `${step.member} was already a voter`}
    const blocked = await gates.check(cluster)
    if (blocked !== null) return blocked
    const endpoint = leaderEndpoint(cluster)
    if (endpoint === null) return {wait: 'waiting for a leader'}
    const id = member.id
    const result = await act(ctx, `member promote ${step.member}`, () => ctx.cluster.promoteMember(endpoint, id))
    if ('acted' in result || 'uncertain' in result) gates.markSent()
    return result
  })
}
