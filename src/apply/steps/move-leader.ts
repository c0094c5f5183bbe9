// move-leader: before a member is removed or restarted, leadership moves to a caught-up voter.
// Removing the leader without a transfer stalls writes for an election (1–3 s; the scripted runbook
// measured 5.8 s); MoveLeader must be sent to the leader itself (`etcdserver: not leader` otherwise)
// and the transferee must be a started voter (`etcdserver: bad leader transferee`).
import type {LiveCluster} from '../../cluster/live-cluster.js'
import {isHealthy, statusOf} from '../../cluster/live-cluster.js'
import type {ObservedMember} from '../../cluster/observation.js'
import type {MoveLeaderStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {clientURLOf, displayName, isCaughtUp, memberWithPeerURL} from '../cluster-gates.js'
import {act, converge, type Attempt} from '../converge.js'
import {plannedMemberOf, type StepContext} from '../step-context.js'

export async function runMoveLeader(ctx: StepContext, step: MoveLeaderStep): Promise<string> {
  const {peerURL} = plannedMemberOf(ctx, step.member)
  const candidateURLs = step.candidates.map((name) => plannedMemberOf(ctx, name).peerURL)
  let sent = false
  return converge(ctx, ctx.spec.timeouts.stepMs, async (cluster) => {
    const member = memberWithPeerURL(cluster, peerURL)
    if (member === null) return {done: `${step.member} is not a member`}
    const result = await moveLeadershipAway(ctx, cluster, member, candidateURLs)
    sent ||= 'acted' in result || 'uncertain' in result
    return 'done' in result && sent ? {done: `moved leadership away: ${result.done}`} : result
  })
}

/**
 * One attempt to move leadership off `member`: done when it does not lead, otherwise MoveLeader to
 * the most caught-up healthy voter among the candidates (any other healthy voter when none is).
 */
export async function moveLeadershipAway(ctx: StepContext, cluster: LiveCluster, member: ObservedMember, candidateURLs: readonly string[]): Promise<Attempt> {
  const name = displayName(member)
  if (cluster.leaderId === null) return {wait: 'waiting for a leader'}
  if (cluster.leaderId !== member.id) {
    const leader = cluster.members.find((m) => m.id === cluster.leaderId)
    return {done: `${name} does not lead (leader: ${leader === undefined ? '?' : displayName(leader)})`}
  }
  const tolerance = ctx.plan.options.catchUpTolerance
  const eligible = (m: ObservedMember) => m.id !== member.id && !m.isLearner && m.started && isHealthy(statusOf(cluster, m.id)) && isCaughtUp(cluster, m, tolerance)
  const preferred = cluster.members.filter((m) => eligible(m) && m.peerURLs.some((url) => candidateURLs.includes(url)))
  const choices = preferred.length > 0 ? preferred : cluster.members.filter(eligible)
  // Candidates in the plan's order: the target member that joined first has been connected longest,
  // so as leader it passes etcd's 5-s connectivity check for the next removal soonest.
  const order = (m: ObservedMember) => {
    const index = candidateURLs.findIndex((url) => m.peerURLs.includes(url))
    return index === -1 ? candidateURLs.length : index
  }
  const target = choices.sort((a, b) => order(a) - order(b))[0]
  if (target === undefined || target.id === null) return {wait: `waiting for a healthy, caught-up voter to take over leadership from ${name}`}
  const endpoint = clientURLOf(member)
  if (endpoint === null) throw new StepFailedError(ctx.step.id, `${name} advertises no client URL, so leadership cannot be moved`, 'check the member\'s advertise-client-urls')
  const targetID = target.id
  return act(ctx, `move leader from ${name} to ${displayName(target)}`, () => ctx.endpoints.get(endpoint).maintenance.moveLeader({targetID}))
}
