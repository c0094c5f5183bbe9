// "Saved plan is stale": before any step runs, the live cluster must be the one the plan was made
// for — or, when a journal shows the apply already got part-way, one of the memberships the plan
// passes through from there on. Differences are named, so the operator sees what changed.
import {hexId, statusOf, type LiveCluster} from '../cluster/live-cluster.js'
import type {Plan} from '../plan/types.js'
import type {Journal} from './journal.js'
import {membershipStates as replayedStates} from '../plan/replay-membership.js'

/** How far an earlier apply of this plan got, from its journal. */
export interface PlanPosition {
  /** Steps the journal records as done, in order. */
  readonly stepsDone: number
  /** Whether any step was started: only then may the cluster be ahead of the journal. */
  readonly started: boolean
}

export const NOT_STARTED: PlanPosition = {stepsDone: 0, started: false}

export function positionOf(journal: Journal): PlanPosition {
  const firstNotDone = journal.steps.findIndex((s) => s.status !== 'done')
  return {stepsDone: firstNotDone === -1 ? journal.steps.length : firstNotDone, started: journal.steps.some((s) => s.attempts > 0)}
}

/** Empty when the plan may run against `live`; otherwise what differs. */
/** `exactly`: only the membership right after `position.stepsDone` steps counts (a gate before one step). */
export function checkPlanCurrent(plan: Plan, live: LiveCluster, position: PlanPosition, options: {readonly exactly?: boolean} = {}): string[] {
  const differences: string[] = []
  const observed = plan.observation
  if (observed.mode === 'live' && observed.clusterId !== null && observed.clusterId !== live.clusterId) {
    differences.push(`the cluster ID is ${hexId(live.clusterId)}, the plan was made for ${hexId(observed.clusterId)}`)
  }
  if (observed.mode === 'live') {
    for (const planned of observed.members) {
      const now = live.members.find((m) => m.peerURLs.some((url) => planned.peerURLs.includes(url)))
      if (now !== undefined && planned.id !== null && now.id !== planned.id) {
        differences.push(`the member at ${planned.peerURLs[0]} has ID ${hexId(now.id)}, the plan saw ${hexId(planned.id)} (removed and added again?)`)
      }
    }
  }
  // A member upgraded (or downgraded) since the plan: the version rules the plan checked, and the
  // cluster version it ends at, were worked out for the versions it saw.
  for (const recorded of observed.versions?.members ?? []) {
    const now = statusOf(live, recorded.id)?.version ?? null
    if (recorded.version === null || now === null || now === recorded.version) continue
    const name = live.members.find((m) => m.id === recorded.id)?.name || hexId(recorded.id)
    differences.push(`${name} runs etcd ${now}, the plan was made when it ran ${recorded.version} (upgraded since?)`)
  }
  const current: MembershipState = {members: new Map(live.members.flatMap((m) => m.peerURLs.slice(0, 1).map((url) => [url, m.isLearner] as const)))}
  const states = membershipStates(plan)
  // A step may have acted and been killed before its journal write: from the journal's position on,
  // any state the plan passes through is ours. Without a started journal, only the planned one is.
  const from = Math.min(position.stepsDone, states.length - 1)
  const reachable = options.exactly === true ? states.slice(from, from + 1) : position.started ? states.slice(from) : states.slice(0, 1)
  if (!reachable.some((state) => sameMembership(state, current))) {
    differences.push(...describeDifference(plan, reachable[0] ?? {members: new Map()}, current, live))
  }
  return differences
}

function describeDifference(plan: Plan, expected: MembershipState, current: MembershipState, live: LiveCluster): string[] {
  const nameOf = (url: string) =>
    plan.members.find((m) => m.peerURL === url)?.name ?? (live.members.find((m) => m.peerURLs.includes(url))?.name || 'an unnamed member')
  const role = (learner: boolean) => (learner ? 'learner' : 'voter')
  const out: string[] = []
  for (const [url, learner] of current.members) {
    if (!expected.members.has(url)) out.push(`${nameOf(url)} (${url}) was added as a ${role(learner)}`)
    else if (expected.members.get(url) !== learner) out.push(`${nameOf(url)} (${url}) is a ${role(learner)}, the plan expects a ${role(!learner)}`)
  }
  for (const url of expected.members.keys()) if (!current.members.has(url)) out.push(`${nameOf(url)} (${url}) was removed`)
  return out
}

/** A membership as the stale check compares it: peer URL → learner flag. */
interface MembershipState {
  readonly members: ReadonlyMap<string, boolean>
}

/** states[i] = the membership after the first i steps (states[0] = as observed when planning), from the plan's one replay. */
function membershipStates(plan: Plan): MembershipState[] {
  return replayedStates(plan).map((list) => ({members: new Map(list.filter((m) => m.peerURL !== '').map((m) => [m.peerURL, m.isLearner] as const))}))
}

function sameMembership(a: MembershipState, b: MembershipState): boolean {
  if (a.members.size !== b.members.size) return false
  for (const [url, learner] of a.members) if (b.members.get(url) !== learner) return false
  return true
}
