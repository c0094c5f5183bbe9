// Gates on the membership itself: the cluster is the one the plan expects at this step, etcd's one
// learner at a time (`too many learner members in cluster`), and the step's member present or absent,
// a learner or a voter, started (docs/etcd-facts.md, "Membership gates").
import {hexId, statusOf} from '../../cluster/live-cluster.js'
import {checkPlanCurrent} from '../check-plan-current.js'
import {displayName} from '../cluster-gates.js'
import {clusterOf, GateRefusal, PASS, type Gate} from './gate.js'
import {observedSubject, subjectName} from './subject.js'

const REPLAN = 'run `etcdplan plan` to plan from the cluster as it is now'

/** The live membership is the one the plan expects right before this step (a cluster changed by hand since is refused). */
export const clusterMatchesPlan: Gate = (input) => {
  const {ctx, step} = input
  const cluster = clusterOf(input)
  const index = ctx.plan.steps.findIndex((s) => s.id === step.id)
  // The membership the plan expects before this step: the state after the steps before it.
  const differences = checkPlanCurrent(ctx.plan, cluster, {stepsDone: Math.max(0, index), started: index > 0}, {exactly: true})
  if (differences.length === 0) return PASS
  throw new GateRefusal(`the cluster is not the one the plan expects here: ${differences.join('; ')}`, `${REPLAN}, review it, and apply that plan`)
}

export const noLearner: Gate = (input) => {
  const learner = clusterOf(input).members.find((m) => m.isLearner)
  if (learner === undefined) return PASS
  throw new GateRefusal(`the cluster already has a learner (${displayName(learner)}, ${learner.peerURLs.join(', ')})`, `etcd allows one learner at a time: ${REPLAN} (it finishes or removes that learner first)`)
}

export const memberAbsent: Gate = (input) => {
  const member = observedSubject(input)
  if (member === null) return PASS
  throw new GateRefusal(`${subjectName(input)}'s peer URL already belongs to member ${hexId(member.id)}`, REPLAN)
}

export const memberPresent: Gate = (input) => {
  if (observedSubject(input) !== null) return PASS
  const name = subjectName(input)
  const why = input.step.kind === 'start-member' ? `, so it must not start` : ''
  throw new GateRefusal(`${name} is not a member of the cluster${why}`, input.step.kind === 'start-member' ? `its add step did not take effect: ${REPLAN}` : REPLAN)
}

/** A started learner that says so in its own Status: etcd 3.4.23 would promote a learner that never started (docs/etcd-facts.md). */
export const memberIsLearner: Gate = (input) => {
  const member = observedSubject(input)
  const name = subjectName(input)
  if (member === null || member.id === null) throw new GateRefusal(`${name} is not a member of the cluster`, REPLAN)
  if (!member.isLearner) throw new GateRefusal(`${name} is a voter, not a learner`, REPLAN)
  const own = statusOf(clusterOf(input), member.id)
  if (!member.started || own === null || own.isLearner !== true) return {wait: `waiting for learner ${name} to start and report itself as a learner`}
  return PASS
}

export const memberIsVoter: Gate = (input) => {
  const member = observedSubject(input)
  const name = subjectName(input)
  if (member === null) throw new GateRefusal(`${name} is not a member of the cluster`, REPLAN)
  if (member.isLearner) throw new GateRefusal(`${name} is a learner, not a voter`, REPLAN)
  return PASS
}

export const memberStarted: Gate = (input) => {
  const member = observedSubject(input)
  const name = subjectName(input)
  if (member === null) throw new GateRefusal(`${name} is not a member of the cluster any more`, REPLAN)
  return member.started ? PASS : {wait: `waiting for ${name} to start and publish its name`}
}
