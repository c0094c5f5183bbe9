// Which memberships a plan passes through: the observed membership, then after each membership step.
// apply uses it to recognise the cluster mid-migration: an interrupted apply (even one killed between
// an etcd call and its journal write) leaves the cluster in one of these states, at or after the
// journal's position; anything else is a stale plan.
import type {Plan} from '../plan/types.js'

export interface MembershipState {
  /** peer URL → learner flag */
  readonly members: ReadonlyMap<string, boolean>
}

/** states[i] = the membership after the first i steps (states[0] = as observed when planning). */
export function membershipStates(plan: Plan): MembershipState[] {
  let members = new Map<string, boolean>(plan.observation.members.flatMap((m) => m.peerURLs.slice(0, 1).map((url) => [url, m.isLearner] as const)))
  const states: MembershipState[] = [{members}]
  const urlOf = (name: string) => plan.members.find((m) => m.name === name)?.peerURL ?? ''
  for (const step of plan.steps) {
    members = new Map(members)
    if (step.kind === 'add-learner') members.set(step.peerURL, true)
    else if (step.kind === 'add-member') members.set(step.peerURL, false)
    else if (step.kind === 'promote') members.set(urlOf(step.member), false)
    else if (step.kind === 'remove-member') members.delete(step.peerURL)
    states.push({members})
  }
  return states
}

export function sameMembership(a: MembershipState, b: MembershipState): boolean {
  if (a.members.size !== b.members.size) return false
  for (const [url, learner] of a.members) if (b.members.get(url) !== learner) return false
  return true
}
