// Gates on the cluster's health: every voter healthy (etcd's --strict-reconfig-check refuses an add
// while any voter is unreachable, `unhealthy cluster`; etcdplan also refuses a promote, removal or
// restart while a voter is sick, because the cluster then has no failure to spare), enough healthy
// voters left after a removal or while a member restarts (`re-configuration failed due to not
// enough started members`), and no alarm (docs/etcd-facts.md, "Membership gates"). A voter the plan
// found down and removes is not waited for (known-down.ts).
import {voters, keepsQuorumWithout, VoterHealthGate, type MembershipChange} from '../cluster-gates.js'
import {knownDownRemoved} from '../known-down.js'
import {clusterOf, GateRefusal, PASS, type Gate, type GateInput} from './gate.js'
import {observedSubject} from './subject.js'

/** The change the step makes, as the quorum arithmetic sees it; null when its member is not (or no longer) a member. */
function changeOf(input: GateInput): MembershipChange | null {
  const {step} = input
  switch (step.kind) {
    case 'add-learner':
      return {kind: 'add-learner', name: step.member}
    case 'add-member':
      return {kind: 'add-voter', name: step.member}
    case 'promote':
    case 'remove-member':
    case 'restart-member': {
      const member = observedSubject(input)
      if (member === null) return null
      return step.kind === 'promote' ? {kind: 'promote', member} : step.kind === 'remove-member' ? {kind: 'remove', member} : {kind: 'restart', member}
    }
    default: {
      // A voter that was added but never started cannot be healthy; when the plan starts or removes it
      // (an orphan, see the 'never-started' warning), that is the plan's business, not a fault.
      const planned = new Set(input.ctx.plan.members.map((m) => m.peerURL))
      const ignoring = clusterOf(input).members.filter((m) => !m.started && m.peerURLs.some((url) => planned.has(url)) && m.id !== null).map((m) => m.id!)
      return {kind: 'none', what: `going on with ${step.id}`, ignoring}
    }
  }
}

export const votersHealthy: Gate = (input) => {
  const change = changeOf(input)
  if (change === null) return PASS
  input.memory.health ??= new VoterHealthGate(input.step.id, input.ctx.spec.timeouts.healthMs, `etcdplan status ${input.ctx.plan.specFile}`)
  return input.memory.health.check(clusterOf(input), change, input.memory.sent, knownDownRemoved(input.ctx.plan)) ?? PASS
}

export const quorumAfterChange: Gate = (input) => {
  const member = observedSubject(input)
  if (member === null) return PASS
  // A removal leaves one voter fewer; a restart keeps the membership but takes the member down.
  const remaining = voters(clusterOf(input)).length - (input.step.kind === 'remove-member' && !member.isLearner ? 1 : 0)
  const quorum = keepsQuorumWithout(clusterOf(input), member, remaining)
  if (quorum.ok) return PASS
  const what = input.step.kind === 'remove-member' ? 'removing' : 'restarting'
  return {wait: `${what} ${'member' in input.step ? input.step.member : ''} would leave ${quorum.healthy} healthy voters, quorum needs ${quorum.needed}`}
}

export const noAlarms: Gate = (input) => {
  const cluster = clusterOf(input)
  if (cluster.alarms.length === 0) return PASS
  const alarms = cluster.alarms.map((a) => `${a.alarm} on ${BigInt(a.memberId).toString(16)}`).join(', ')
  throw new GateRefusal(`the cluster has active alarms: ${alarms}`, 'resolve the alarm (e.g. NOSPACE: compact, defragment, then `etcdctl alarm disarm`) before migrating')
}
