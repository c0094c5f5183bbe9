// The safety rules every join plan must keep, checked on the finished plan by replaying its steps.
// The planner runs this before returning a plan (a violation is refused, never written), and the
// property test runs it over thousands of random migrations. Each rule cites the etcd behaviour that
// makes it necessary (docs/etcd-facts.md).
import {toleratedFailures} from './quorum.js'
import type {Membership} from './step-kinds.js'
import {finalMembership} from './replay-membership.js'
import type {Plan, Step} from './types.js'

export interface SafetyViolation {
  readonly stepId: string
  readonly rule: string
  readonly message: string
}

type PlanShape = Pick<Plan, 'strategy' | 'steps' | 'sourceVoters' | 'targetVoters' | 'observation' | 'members'>

export function checkPlanSafety(plan: PlanShape): SafetyViolation[] {
  if (plan.strategy === 'snapshot') return checkFinalMembership(plan, finalMembership(plan))
  const violations: SafetyViolation[] = []
  const floor = Math.min(toleratedFailures(plan.sourceVoters.length), toleratedFailures(plan.targetVoters.length))
  const smallest = Math.min(plan.sourceVoters.length, plan.targetVoters.length)
  let unconfirmedAdd: string | null = null
  plan.steps.forEach((step, index) => {
    const add = (rule: string, message: string) => violations.push({stepId: step.id, rule, message})
    const previous: Step | undefined = plan.steps[index - 1]
    // etcd 3.4/3.5 allow a single learner: `too many learner members in cluster`.
    if (step.after.learners > 1) add('one-learner', 'more than one learner at once')
    if (step.kind === 'add-learner' || step.kind === 'add-member') {
      // One add at a time: the member added before must have started and caught up first.
      if (unconfirmedAdd !== null) add('one-add-at-a-time', `${step.member} is added before ${unconfirmedAdd} has caught up`)
      if (step.before.learners > 0) add('one-add-at-a-time', `${step.member} is added while a learner is still in the cluster`)
      if (step.before.startedVoters < step.before.voters) add('no-add-while-unstarted', `${step.member} is added while an added voter has not started`)
      // etcd refuses an add while any voter is not connected (`unhealthy cluster`): a voter that is down goes first.
      if (step.before.down > 0) add('no-add-while-down', `${step.member} is added while ${step.before.down} voter(s) are down`)
      unconfirmedAdd = step.member
    }
    if (step.kind === 'wait-caught-up' && step.member === unconfirmedAdd) unconfirmedAdd = null
    const removesVoter = step.kind === 'remove-member' && step.after.voters < step.before.voters
    // A member that is down neither leads nor votes: removing it moves no leadership and costs no failure to spare.
    const removesDownVoter = step.kind === 'remove-member' && step.after.down < step.before.down
    // Only a started voter can lead: an added voter that never started has no leadership to move.
    const removesStartedVoter = step.kind === 'remove-member' && step.after.startedVoters < step.before.startedVoters && !removesDownVoter
    // Removing or restarting the leader without a transfer stalls writes for an election.
    if ((removesStartedVoter || step.kind === 'restart-member') && !(previous?.kind === 'move-leader' && previous.member === step.member)) {
      add('move-leader-first', `${step.id} is not preceded by move-leader/${step.member}`)
    }
    // `re-configuration failed due to not enough started members`.
    if (removesVoter && step.after.startedVoters < step.after.quorum) add('quorum-after-removal', `${step.id} leaves fewer started voters than quorum`)
    // Fault tolerance never below the source's or the target's, whichever is lower (spec.md,
    // "Quorum"). A voting add (join.learner: false) is caught here: until the new member starts it
    // counts towards quorum without voting.
    if (step.after.tolerates < floor && step.after.tolerates < step.before.tolerates) {
      add('fault-tolerance-floor', `${step.id} leaves the cluster tolerating ${step.after.tolerates} failed member(s), below ${floor}`)
    }
    // Two voters tolerate no failure and double the risk: only when the source or target is that small.
    // (Removing a voter that is down from three leaves two that vote, as before.)
    if (step.after.voters === 2 && step.before.voters !== 2 && smallest > 2 && !removesDownVoter) add('needless-two-voters', `${step.id} passes through a 2-voter cluster`)
  })
  return [...violations, ...checkFinalMembership(plan, finalMembership(plan))]
}

function checkFinalMembership(plan: PlanShape, members: Membership): SafetyViolation[] {
  if (plan.steps.length === 0) return []
  const last = plan.steps[plan.steps.length - 1]!.id
  const names = members.map((m) => m.name).sort()
  const wanted = [...plan.targetVoters].sort()
  const violations: SafetyViolation[] = []
  if (names.join(',') !== wanted.join(',')) {
    violations.push({stepId: last, rule: 'ends-at-target', message: `the plan ends with ${names.join(', ')} instead of ${wanted.join(', ')}`})
  }
  for (const m of members) {
    if (m.isLearner) violations.push({stepId: last, rule: 'no-learner-left', message: `${m.name} is still a learner at the end`})
  }
  return violations
}
