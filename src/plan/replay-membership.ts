// How a plan moves the membership, replayed from the plan's own record through the step table: the
// one replay the safety checker and the applier's stale check share (the planner moves its model by
// the same table as it plans).
import {membershipOf} from './observed-membership.js'
import {membershipAfter, type Membership} from './step-kinds.js'
import type {Plan} from './types.js'

/** The membership the plan was made against, each member named as the plan names it (an unstarted member has no name of its own). */
export function observedMembership(plan: Pick<Plan, 'observation' | 'members'>): Membership {
  const nameOf = (peerURLs: readonly string[], fallback: string) => plan.members.find((m) => peerURLs.includes(m.peerURL))?.name ?? fallback
  return membershipOf(plan.observation, nameOf)
}

/**
 * states[i] = the membership of the cluster the plan acts on after its first i steps (states[0] = as
 * observed). A snapshot migration leaves the source's membership alone: its restores build a new
 * cluster (see restoredMembership).
 */
export function membershipStates(plan: Pick<Plan, 'strategy' | 'observation' | 'members' | 'steps'>): Membership[] {
  let members = observedMembership(plan)
  const states = [members]
  for (const step of plan.steps) {
    if (plan.strategy !== 'snapshot') members = membershipAfter(members, step)
    states.push(members)
  }
  return states
}

/** The membership the plan ends with: for a snapshot, the restored cluster, replayed from nothing. */
export function finalMembership(plan: Pick<Plan, 'strategy' | 'observation' | 'members' | 'steps'>): Membership {
  if (plan.strategy !== 'snapshot') return membershipStates(plan).at(-1)!
  return plan.steps.reduce<Membership>((members, step) => membershipAfter(members, step), [])
}
