// The planner's rules for members that are down when the plan is made: replacing a dead member is the
// commonest membership change in production. A voter that is down and that the target drops is
// removed before anything else (plan-join.ts); these rules refuse what cannot be planned around and
// say which members are down.
// - Below quorum: etcd changes membership only through a quorum of its voters, so nothing can be
//   planned; the way out is etcd's disaster recovery (quorum-recovery.ts).
// - A target member that is down: every step after it would wait for it (an add needs every voter
//   connected, `unhealthy cluster`), so the plan is refused until it runs or the spec replaces it.
import type {Observation} from '../cluster/observation.js'
import {QUORUM_RECOVERY_HINT} from '../cluster/quorum-recovery.js'
import type {MembershipDiff} from './match-members.js'
import {quorumOf} from './quorum.js'
import type {PlanWarning} from './types.js'
import {UnsafePlanError, type UnsafeReason} from './unsafe-plan-error.js'

/** Throws UnsafePlanError when members that are down leave nothing safe to plan. `down`: member ID → error. */
export function refuseWhatCannotBePlanned(observation: Observation, diff: MembershipDiff, down: ReadonlyMap<string, string>): void {
  if (down.size === 0) return
  const reasons: UnsafeReason[] = []
  const voters = observation.members.filter((m) => !m.isLearner)
  const answering = voters.filter((m) => m.started && !(m.id !== null && down.has(m.id)))
  const quorum = quorumOf(voters.length)
  if (answering.length < quorum) {
    reasons.push({
      code: 'quorum-lost',
      message: `only ${answering.length} of ${voters.length} voters answer (${describeDown(diff, down)}), and quorum needs ${quorum}: etcd changes membership only through a quorum, so no member can be added or removed. Nothing was planned and nothing was changed.`,
      hint: QUORUM_RECOVERY_HINT,
      path: ['source', 'members'],
    })
  }
  diff.targets.forEach((target, index) => {
    const id = target.observed?.id ?? null
    const error = id === null ? undefined : down.get(id)
    if (error === undefined) return
    reasons.push({
      code: 'target-member-down',
      message: `${target.spec.name} is down (${error}) but the target keeps it: every membership change would wait for it (etcd adds no member while a voter is not connected).`,
      hint: `start ${target.spec.name} and plan again, or replace it in the spec's target with a new member (then the plan removes ${target.spec.name} first and adds the new one)`,
      // diff.targets is in the spec's order.
      path: ['target', 'members', index],
    })
  })
  if (reasons.length > 0) throw new UnsafePlanError(reasons)
}

/** One warning per member that is down and is removed, saying why the plan removes it first. */
export function downWarnings(diff: MembershipDiff, down: ReadonlyMap<string, string>): PlanWarning[] {
  return diff.leaving
    .filter((m) => m.observed.id !== null && down.has(m.observed.id))
    .map((m) => ({
      code: 'member-down',
      message: `${m.name} (${m.clientURL || m.peerURL}) is down: ${down.get(m.observed.id!)}. The plan removes it before adding anyone: etcd always allows removing a member that is not connected, but refuses an add while it is a voter (\`unhealthy cluster\`), and adding first would raise the quorum while a voter is gone.`,
    }))
}

function describeDown(diff: MembershipDiff, down: ReadonlyMap<string, string>): string {
  const nameOf = (id: string) => diff.targets.find((t) => t.observed?.id === id)?.spec.name ?? diff.leaving.find((m) => m.observed.id === id)?.name ?? BigInt(id).toString(16)
  return [...down.entries()].map(([id, error]) => `${nameOf(id)} is down: ${error}`).join('; ')
}
