// Moving leadership off a member, shared by the move-leader step and the not-leader gate (before a
// removal or restart, leadership may have come back). MoveLeader must be sent to the leader itself
// (`etcdserver: not leader` otherwise) and the transferee must be a started voter (`etcdserver: bad
// leader transferee`); removing the leader without a transfer stalls writes for an election (1–3 s;
// the scripted runbook measured 5.8 s): docs/etcd-facts.md, "Membership gates".
import {isHealthy, statusOf, type LiveCluster} from '../cluster/live-cluster.js'
import type {ObservedMember} from '../cluster/observation.js'
import {StepFailedError} from './apply-errors.js'
import {clientURLOf, displayName, isCaughtUp} from './cluster-gates.js'
import {act, type Attempt} from './converge.js'
import type {StepContext} from './step-context.js'

/** Whether `candidate` can take over leadership from `leaving`: a started, healthy, caught-up voter other than it. */
export function canTakeLeadership(cluster: LiveCluster, candidate: ObservedMember, leaving: ObservedMember, tolerance: number): boolean {
  return candidate.id !== leaving.id && !candidate.isLearner && candidate.started && isHealthy(statusOf(cluster, candidate.id)) && isCaughtUp(cluster, candidate, tolerance)
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
  const eligible = (m: ObservedMember) => canTakeLeadership(cluster, m, member, ctx.plan.options.catchUpTolerance)
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
  if (endpoint === null) throw new StepFailedError(ctx.step.id, `${name} advertises no client URL, so leadership cannot be moved`, "check the member's advertise-client-urls")
  const targetID = target.id
  return act(ctx, `move leader from ${name} to ${displayName(target)}`, () => ctx.cluster.moveLeader(endpoint, targetID))
}
