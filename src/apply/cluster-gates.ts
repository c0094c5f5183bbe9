// The run-time gates every membership change passes (etcd-facts.md, "Membership gates"): the plan was
// checked when it was made, but the cluster may have changed since, so each step looks again. These
// are pure functions of one observation, except VoterHealthGate, which also remembers since when a
// voter has been sick, to stop waiting for it after timeouts.health.
import {isHealthy, leaderStatus, statusOf, type LiveCluster} from '../cluster/live-cluster.js'
import type {ObservedMember} from '../cluster/observation.js'
import {quorumOf} from '../plan/quorum.js'
import {StepFailedError} from './apply-errors.js'

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

/** A membership change as the quorum arithmetic sees it. */
export type MembershipChange =
  | {readonly kind: 'add-learner'; readonly name: string}
  | {readonly kind: 'add-voter'; readonly name: string}
  | {readonly kind: 'promote'; readonly member: ObservedMember}
  | {readonly kind: 'remove'; readonly member: ObservedMember}
  /** Not a membership change, but the member is down for a moment: the same arithmetic applies. */
  | {readonly kind: 'restart'; readonly member: ObservedMember}
  /**
   * No change, a step that needs every voter healthy all the same (preflight, switch-dns): `what` names
   * it for messages; voters in `ignoring` (IDs: unstarted orphans the plan itself starts or removes) are not waited for.
   */
  | {readonly kind: 'none'; readonly what: string; readonly ignoring: readonly string[]}

/** What a change does to the healthy voters: now, after it, and the quorum it needs then. */
export interface VoterHealth {
  /** Unhealthy voters the change relies on (a member being removed is not one of them). */
  readonly sick: readonly ObservedMember[]
  readonly healthyNow: number
  readonly votersNow: number
  readonly healthyAfter: number
  readonly votersAfter: number
  readonly quorumAfter: number
}

function isHealthyVoter(cluster: LiveCluster, member: ObservedMember): boolean {
  return member.started && isHealthy(statusOf(cluster, member.id))
}

/** `ignoring`: IDs of voters not to wait for whatever the change (members the plan found down and removes, see known-down.ts). */
export function voterHealth(cluster: LiveCluster, change: MembershipChange, ignoring: readonly string[] = []): VoterHealth {
  const all = voters(cluster)
  const healthyNow = all.filter((m) => isHealthyVoter(cluster, m)).length
  const leaving = change.kind === 'remove' || change.kind === 'restart' ? change.member : null
  const ignored = [...(change.kind === 'none' ? change.ignoring : []), ...ignoring]
  const sick = all.filter((m) => m.id !== leaving?.id && !(m.id !== null && ignored.includes(m.id)) && !isHealthyVoter(cluster, m))
  let healthyAfter = healthyNow
  let votersAfter = all.length
  if (change.kind === 'add-voter') votersAfter++ // an added voter counts towards quorum before it can vote
  if (change.kind === 'promote') {
    votersAfter++
    if (isHealthyVoter(cluster, change.member)) healthyAfter++
  }
  if (change.kind === 'remove' && !change.member.isLearner) {
    votersAfter--
    if (isHealthyVoter(cluster, change.member)) healthyAfter--
  }
  if (change.kind === 'restart' && isHealthyVoter(cluster, change.member)) healthyAfter--
  return {sick, healthyNow, votersNow: all.length, healthyAfter, votersAfter, quorumAfter: quorumOf(votersAfter)}
}

/** The change in words, for messages: "adding etcd5 as a learner". */
export function describeChange(change: MembershipChange): string {
  switch (change.kind) {
    case 'add-learner':
      return `adding ${change.name} as a learner`
    case 'add-voter':
      return `adding ${change.name} as a voter`
    case 'promote':
      return `promoting ${displayName(change.member)}`
    case 'remove':
      return `removing ${displayName(change.member)}`
    case 'restart':
      return `restarting ${displayName(change.member)}`
    case 'none':
      return change.what
  }
}

/** Why a voter counts as unhealthy, with the client URL to look at: "etcd2 (http://…:2379): does not answer: …". */
export function describeSickVoter(cluster: LiveCluster, member: ObservedMember): string {
  const url = member.clientURLs[0] ?? null
  const where = url === null ? displayName(member) : `${displayName(member)} (${url})`
  if (!member.started) return `${where}: added but never started (the member list shows it unstarted)`
  const status = cluster.statuses.find((s) => member.clientURLs.includes(s.endpoint) && (s.memberId === null || s.memberId === member.id))
  if (status === undefined) return `${where}: no Status from it`
  if (status.error !== null) return `${where}: does not answer (${status.error})`
  if (status.errors.length > 0) return `${where}: reports errors (${status.errors.join('; ')})`
  if (status.leaderId === null) return `${where}: knows no leader`
  return `${where}: unhealthy`
}

/** "healthy voters: 3 of 4 now; after adding etcd5 as a learner: 3 of 4, quorum needs 3 (…)". */
export function describeQuorum(health: VoterHealth, change: MembershipChange): string {
  const margin = health.healthyAfter - health.quorumAfter
  const verdict =
    margin < 0
      ? 'fewer healthy voters than quorum needs: the cluster would stop accepting writes'
      : margin === 0
        ? 'it would keep quorum, but could not lose one more member'
        : `it would keep quorum with ${margin} healthy voter${margin === 1 ? '' : 's'} to spare`
  return `healthy voters: ${health.healthyNow} of ${health.votersNow} now; after ${describeChange(change)}: ${health.healthyAfter} of ${health.votersAfter}, quorum needs ${health.quorumAfter} (${verdict})`
}

/**
 * The gate before a membership change: every voter the change relies on is healthy. A sick voter
 * may be restarting, so the step waits for it (timeouts.health, from when it was first seen sick);
 * then it stops, naming the member, the quorum arithmetic and what to do, having changed nothing.
 * etcd itself refuses an add while any voter is unreachable (`unhealthy cluster`) and a removal that
 * leaves too few started voters; etcdplan also refuses a promote or removal while a voter is sick,
 * because the cluster then has no failure to spare (etcd-facts.md, "Membership gates").
 */
export class VoterHealthGate {
  private sickSince: number | null = null

  constructor(
    private readonly stepId: string,
    private readonly limitMs: number,
    /** How to check the cluster, for the hint: e.g. `etcdplan status etcdplan.yaml`. */
    private readonly statusCommand: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * null when the change may go ahead; a wait while a sick voter may still recover; throws
   * StepFailedError once one has been sick for the limit. `sent`: this step already sent its
   * request (its effect unknown), so the message must not claim nothing changed. `ignoring`: voter
   * IDs not waited for (see voterHealth).
   */
  check(cluster: LiveCluster, change: MembershipChange, sent = false, ignoring: readonly string[] = []): {wait: string} | null {
    const health = voterHealth(cluster, change, ignoring)
    if (health.sick.length === 0) {
      this.sickSince = null
      return null
    }
    const now = this.now()
    this.sickSince ??= now
    const names = health.sick.map(displayName)
    const who = `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} unhealthy`
    const details = health.sick.map((m) => describeSickVoter(cluster, m)).join('; ')
    const quorum = describeQuorum(health, change)
    if (now - this.sickSince < this.limitMs) {
      return {wait: `waiting up to ${seconds(this.limitMs)} s (timeouts.health) for ${names.join(', ')} to be healthy before ${describeChange(change)}: ${details}; ${quorum}`}
    }
    const changed = sent
      ? 'This step sent its request earlier and its effect is not known yet: the next apply observes whether it took effect.'
      : 'This step changed nothing.'
    throw new StepFailedError(
      this.stepId,
      `${who} (for ${seconds(now - this.sickSince)} s, timeouts.health is ${seconds(this.limitMs)} s), so etcdplan stopped before ${describeChange(change)}: ${details}. ${capitalise(quorum)}. etcdplan changes the membership only while every voter is healthy. ${changed}`,
      `start or fix ${names.join(', ')} (see ${names.length === 1 ? 'its' : 'their'} etcd log), check with \`${this.statusCommand}\` that every member is healthy, then run the same apply again: it resumes at this step`,
    )
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 1000)
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
