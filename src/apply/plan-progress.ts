// Which memberships a plan passes through: the observed membership, then after each membership step.
// apply uses it to recognise the cluster mid-migration: an interrupted apply (even one killed between
// an etcd call and its journal write) leaves the cluster in one of these states, at or after the
// journal's position; anything else is a stale plan.
import {membershipStates as replayedStates} from '../plan/replay-membership.js'
import type {Plan} from '../plan/types.js'

export interface MembershipState {
  /** peer URL → learner flag */
  readonly members: ReadonlyMap<string, boolean>
}

/** states[i] = the membership after the first i steps (states[0] = as observed when planning). */
export function membershipStates(plan: Plan): MembershipState[] {
  return replayedStates(plan).map((list) => ({members: new Map(list.filter((m) => m.peerURL !== '').map((m) => [m.peerURL, m.isLearner] as const))}))
}

export function sameMembership(a: MembershipState, b: MembershipState): boolean {
  if (a.members.size !== b.members.size) return false
  for (const [url, learner] of a.members) if (b.members.get(url) !== learner) return false
  return true
}
