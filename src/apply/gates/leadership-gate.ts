// not-leader: a member is removed or restarted only once it does not lead. Removing or stopping the
// leader without a transfer stalls writes for an election (1–3 s; the scripted runbook measured
// 5.8 s), so when it leads (again: leadership may have come back since its move-leader step) the gate
// moves leadership to a caught-up target voter first (docs/etcd-facts.md, "Membership gates").
import {moveLeadershipAway} from '../move-leadership.js'
import {plannedMemberOf} from '../step-context.js'
import {clusterOf, PASS, type Gate} from './gate.js'
import {observedSubject, subjectName} from './subject.js'

export const notLeader: Gate = async (input) => {
  const member = observedSubject(input)
  if (member === null || clusterOf(input).leaderId !== member.id) return PASS
  const name = subjectName(input)
  const candidateURLs = input.ctx.plan.targetVoters.filter((n) => n !== name).map((n) => plannedMemberOf(input.ctx, n).peerURL)
  const moved = await moveLeadershipAway(input.ctx, clusterOf(input), member, candidateURLs)
  return 'done' in moved ? PASS : {remedy: moved}
}
