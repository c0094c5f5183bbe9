// Gates on replication: a member in sync with the leader before it is promoted (etcd refuses below
// 90% of the leader's index: `can only promote a learner member which is in sync with leader`), one
// add at a time (the member added before has caught up), a caught-up voter to take over leadership,
// and a snapshot only from a member that has applied everything the leader committed (the stream is
// that member's applied state, not a linearizable read: docs/etcd-facts.md, "Snapshot").
import {leaderStatus, statusOf} from '../../cluster/live-cluster.js'
import {displayName, isCaughtUp, laggingMembers, leaderMember} from '../cluster-gates.js'
import {canTakeLeadership} from '../move-leadership.js'
import {snapshotSource} from '../snapshot-source.js'
import {clusterOf, GateRefusal, PASS, type Gate, type GateInput} from './gate.js'
import {observedSubject, subjectName} from './subject.js'

export const memberCaughtUp: Gate = (input) => {
  const {step} = input
  if (step.kind === 'move-leader') return successorCaughtUp(input)
  if (step.kind === 'snapshot-save') return snapshotSourceCaughtUp(input, step.from)
  const member = observedSubject(input)
  const name = subjectName(input)
  if (member === null) throw new GateRefusal(`${name} is not a member of the cluster`, 'run `etcdplan plan` to plan from the cluster as it is now')
  return isCaughtUp(clusterOf(input), member, input.ctx.plan.options.catchUpTolerance) ? PASS : {wait: `waiting for ${name} to catch up before ${step.kind === 'promote' ? 'promoting it' : step.id}`}
}

export const previousMemberCaughtUp: Gate = (input) => {
  const lagging = laggingMembers(clusterOf(input), input.ctx.plan.options.catchUpTolerance)
  return lagging.length === 0 ? PASS : {wait: `waiting for ${lagging.map(displayName).join(', ')} to catch up before the next add`}
}

function successorCaughtUp(input: GateInput) {
  const leaving = observedSubject(input)
  if (leaving === null) return PASS
  const cluster = clusterOf(input)
  return cluster.members.some((m) => canTakeLeadership(cluster, m, leaving, input.ctx.plan.options.catchUpTolerance)) ? PASS : {wait: `waiting for a healthy, caught-up voter to take over leadership from ${displayName(leaving)}`}
}

function snapshotSourceCaughtUp(input: GateInput, from: string) {
  const cluster = clusterOf(input)
  const member = snapshotSource(input.ctx, cluster, from)
  if (member === null || leaderMember(cluster) === null) return {wait: 'waiting for the source cluster to have a leader'}
  if (member === undefined) throw new GateRefusal(`${from} is not a member of the source cluster`, 'set snapshot.from to a source member, or auto')
  if (member.isLearner) throw new GateRefusal(`${displayName(member)} is a learner, and learners do not send snapshots`, 'set snapshot.from to a voter, or auto')
  const own = statusOf(cluster, member.id)
  const leaderIndex = leaderStatus(cluster)?.raftIndex ?? null
  if (own === null || own.raftAppliedIndex === null || leaderIndex === null || own.raftAppliedIndex < leaderIndex) return {wait: `waiting for ${displayName(member)} to apply everything the leader committed`}
  return PASS
}
