// Diffs the observed membership against the spec: which target members are absent, half-joined
// (added but unstarted, or still a learner) or done, and which observed members must go. Members are
// matched by peer URL, the identity etcd itself uses when a member joins (an unstarted member has
// no name yet).
import type {ObservedMember, Observation} from '../cluster/observation.js'
import type {MemberSpec, Spec} from '../spec/types.js'

export type JoinProgress = 'absent' | 'unstarted-learner' | 'learner' | 'unstarted-voter' | 'voter'

export interface TargetMemberStatus {
  readonly spec: MemberSpec
  readonly observed: ObservedMember | null
  readonly progress: JoinProgress
}

export interface LeavingMember {
  readonly name: string
  readonly peerURL: string
  readonly clientURL: string
  readonly observed: ObservedMember
}

export interface MembershipDiff {
  readonly targets: readonly TargetMemberStatus[]
  readonly leaving: readonly LeavingMember[]
}

export function matchMembers(spec: Spec, observation: Observation): MembershipDiff {
  const byPeerURL = (url: string) => observation.members.find((m) => m.peerURLs.includes(url)) ?? null
  const targets = spec.target.members.map((member) => {
    const observed = byPeerURL(member.peerURL)
    return {spec: member, observed, progress: progressOf(observed)}
  })
  const targetURLs = new Set(spec.target.members.map((m) => m.peerURL))
  const specMembers = [...spec.source.members, ...spec.target.members]
  const leaving = observation.members
    .filter((m) => !m.peerURLs.some((url) => targetURLs.has(url)))
    .map((observed) => {
      const known = specMembers.find((s) => observed.peerURLs.includes(s.peerURL))
      return {
        name: known?.name ?? (observed.name || `unnamed-${observed.id === null ? '?' : BigInt(observed.id).toString(16)}`),
        peerURL: observed.peerURLs[0] ?? '',
        clientURL: known?.clientURL ?? observed.clientURLs[0] ?? '',
        observed,
      }
    })
  return {targets, leaving}
}

function progressOf(observed: ObservedMember | null): JoinProgress {
  if (observed === null) return 'absent'
  if (observed.isLearner) return observed.started ? 'learner' : 'unstarted-learner'
  return observed.started ? 'voter' : 'unstarted-voter'
}
