// Runbook step 1 made a gate: the step's preconditions (the cluster is the one the plan expects,
// every voter healthy, no alarms — a NOSPACE or CORRUPT alarm means the cluster must be repaired
// before anything else changes — and, before adds, no learner), then a leader and every member
// caught up. A snapshot migration also needs its target members not to run yet.
import {hexId, isHealthy, statusOf} from '../../cluster/live-cluster.js'
import {StepFailedError} from '../apply-errors.js'
import {displayName, laggingMembers, leaderMember, voters} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {GATE_MARGIN_MS, StepGates} from '../gates/registry.js'
import {knownDownRemoved} from '../known-down.js'
import type {StepContext} from '../step-context.js'

export async function runPreflight(ctx: StepContext): Promise<string> {
  // First: a target member that answers is the precise reason its ports are in use (ports-free would say less).
  if (ctx.plan.strategy === 'snapshot') await noTargetRuns(ctx)
  return sourceHealthy(ctx)
}

/**
 * A snapshot is restored into fresh members: one that already answers is some other cluster's. Each
 * is asked alone: a leftover member without its peers has no quorum to list members with, but answers.
 */
async function noTargetRuns(ctx: StepContext): Promise<void> {
  for (const member of ctx.spec.target.members) {
    const status = await ctx.cluster.status(member.clientURL)
    if (status.error !== null) continue
    throw new StepFailedError(ctx.step.id, `a target member already runs (${member.name} answers at ${member.clientURL} as member ${hexId(status.memberId)}): the snapshot must be restored into fresh members`, 'stop the target members and move their data dirs aside, or use strategy join to add them to the running cluster')
  }
}

async function sourceHealthy(ctx: StepContext): Promise<string> {
  const gates = new StepGates(ctx)
  return converge(
    ctx,
    ctx.spec.timeouts.healthMs + GATE_MARGIN_MS,
    async (cluster) => {
      const blocked = await gates.check(cluster)
      if (blocked !== null) return blocked
      const leader = leaderMember(cluster)
      if (leader === null) return {wait: 'waiting for a leader'}
      const down = knownDownRemoved(ctx.plan)
      const lagging = laggingMembers(cluster, ctx.plan.options.catchUpTolerance).filter((m) => m.id === null || !down.includes(m.id))
      if (lagging.length > 0) return {wait: `waiting for ${lagging.map(displayName).join(', ')} to catch up with the leader`}
      const version = statusOf(cluster, leader.id)?.version ?? '?'
      const healthy = voters(cluster).filter((m) => isHealthy(statusOf(cluster, m.id))).length
      const known = down.length === 0 ? '' : `, ${down.length} down as planned (removed first)`
      return {done: `${gates.notes()}${healthy} voters healthy${known}, leader ${displayName(leader)}, etcd ${version}, no alarms`}
    },
    ctx.observeSource,
  )
}
