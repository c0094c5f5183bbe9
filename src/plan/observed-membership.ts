// The membership a plan starts from, as the planner's model and the replays see it: each observed
// member named as the spec (or plan) names it — an unstarted member has no name of its own — and
// marked down when it did not answer (it counts towards quorum but cannot vote).
import type {Membership} from './step-kinds.js'

interface ObservedRecord {
  readonly members: readonly {readonly id: string | null; readonly name: string; readonly peerURLs: readonly string[]; readonly isLearner: boolean; readonly started: boolean}[]
  readonly down?: readonly {readonly id: string}[]
}

export function membershipOf(observation: ObservedRecord, nameOf: (peerURLs: readonly string[], fallback: string) => string): Membership {
  const down = new Set((observation.down ?? []).map((d) => d.id))
  return observation.members.map((m) => ({
    name: nameOf(m.peerURLs, m.name),
    peerURL: m.peerURLs[0] ?? '',
    isLearner: m.isLearner,
    started: m.started,
    ...(m.id !== null && down.has(m.id) ? {down: true} : {}),
  }))
}
