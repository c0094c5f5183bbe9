// The run-time gates every membership change passes (etcd-facts.md, "Membership gates"): the plan was
// checked when it was made, but the cluster may have changed since, so each step looks again. These
// are pure functions of one observation.
import {isHealthy, leaderStatus, statusOf, type LiveCluster} from '../cluster/live-cluster.js'
import type {ObservedMember} from '../cluster/observation.js'
import {quorumOf} from '../plan/quorum.js'

export function memberWithPeerURL(cluster: LiveCluster, peerURL: string): ObservedMember | null {
  return cluster.members.find((m) => m.peerURLs.includes(peerURL)) ?? null
}

export function displayName(member: ObservedMember): string {
  return member.name === '' ? `unstarted ${BigInt(member.id ?? '0').toString(16)}` : member.name
}

export function voters(cluster: LiveCluster): ObservedMember[] {
  return cluster.members.filter((m) => !m.isLearner)
}

/** Voters that are not healthy right now (not started, not answering, errors, no leader). */
export function unhealthyVoters(cluster: LiveCluster): ObservedMember[] {
  return voters(cluster).filter((m) => !m.started || !isHealthy(statusOf(cluster, m.id)))
}

/** How far a member's applied index is behind the leader's committed index; null when unknown. */
export function lagOf(cluster: LiveCluster, member: ObservedMember): {applied: number; leader: number} | null {
  const own = statusOf(cluster, member.id)
  const leader = leaderStatus(cluster)
  if (own === null || leader === null || own.raftAppliedIndex === null || leader.raftIndex === null) return null
  if (own.errors.length > 0 || own.raftTerm !== leader.raftTerm) return null
  return {applied: own.raftAppliedIndex, leader: leader.raftIndex}
}

/** The "caught up" rule of etcd-facts.md: applied index within `tolerance` of the leader's committed index, same term, no errors. */
export function isCaughtUp(cluster: LiveCluster, member: ObservedMember, tolerance: number): boolean {
  const lag = lagOf(cluster, member)
  return lag !== null && lag.applied >= lag.leader - tolerance
}

/** Started members (voters and learners) that are not caught up: etcd adds one member at a time only after the last one caught up. */
export function laggingMembers(cluster: LiveCluster, tolerance: number): ObservedMember[] {
  return cluster.members.filter((m) => m.started && !isCaughtUp(cluster, m, tolerance))
}

/**
 * Whether the voters that stay healthy without `leaving` still form a quorum of the membership that
 * remains (`remainingVoters`): etcd refuses a removal otherwise (`not enough started members`), and
 * a restart or removal must never cost the cluster its quorum.
 */
export function keepsQuorumWithout(cluster: LiveCluster, leaving: ObservedMember, remainingVoters: number): {ok: boolean; healthy: number; needed: number} {
  const healthy = voters(cluster).filter((m) => m.id !== leaving.id && m.started && isHealthy(statusOf(cluster, m.id))).length
  const needed = quorumOf(remainingVoters)
  return {ok: healthy >= needed, healthy, needed}
}

export function leaderMember(cluster: LiveCluster): ObservedMember | null {
  return cluster.members.find((m) => m.id === cluster.leaderId) ?? null
}

/** The client URL to send a request that must reach the leader (MoveLeader) or any healthy voter. */
export function clientURLOf(member: ObservedMember): string | null {
  return member.clientURLs[0] ?? null
}
