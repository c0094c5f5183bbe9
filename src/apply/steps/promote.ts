// promote: the learner becomes a voter once it is started and caught up. etcd 3.4.23 (< 3.4.24)
// would promote a learner that never started, so the learner's own Status must say isLearner=true
// first (etcd-facts.md); etcd itself refuses until its match index reaches 90% of the leader's
// (`can only promote a learner member which is in sync with leader`), which is a "not yet".
import {statusOf} from '../../cluster/live-cluster.js'
import type {PromoteStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {isCaughtUp, memberWithPeerURL, VoterHealthGate} from '../cluster-gates.js'
import {act, converge} from '../converge.js'
import {plannedMemberOf, type StepContext} from '../step-context.js'
import {leaderEndpoint} from './leader-endpoint.js'

export async function runPromote(ctx: StepContext, step: PromoteStep): Promise<string> {
  const {peerURL} = plannedMemberOf(ctx, step.member)
  let sent = false
  const health = new VoterHealthGate(step.id, ctx.spec.timeouts.healthMs, `etcdplan status ${ctx.plan.specFile}`)
  return converge(ctx, ctx.spec.timeouts.stepMs, async (cluster) => {
    const member = memberWithPeerURL(cluster, peerURL)
    if (member === null || member.id === null) throw new StepFailedError(step.id, `${step.member} is not a member of the cluster`, 'run `etcdplan plan` to plan from the cluster as it is now')
    if (!member.isLearner) return {done: sent ? `promoted ${step.member} to a voter` : `${step.member} was already a voter`}
    const own = statusOf(cluster, member.id)
    if (!member.started || own === null || own.isLearner !== true) return {wait: `waiting for learner ${step.member} to start and report itself as a learner`}
    if (!isCaughtUp(cluster, member, ctx.plan.options.catchUpTolerance)) return {wait: `waiting for ${step.member} to catch up before promoting it`}
    const sick = health.check(cluster, {kind: 'promote', member}, sent)
    if (sick !== null) return sick
    const endpoint = leaderEndpoint(cluster)
    if (endpoint === null) return {wait: 'waiting for a leader'}
    const id = member.id
    const result = await act(ctx, `member promote ${step.member}`, () => ctx.endpoints.get(endpoint).cluster.memberPromote({ID: id}))
    sent ||= 'acted' in result || 'uncertain' in result
    return result
  })
}
