// Runbook step 1 made a gate: every voter healthy and caught up, a leader, no alarms (a NOSPACE or
// CORRUPT alarm means the cluster must be repaired before anything else changes).
import {hexId, isHealthy, statusOf} from '../../cluster/live-cluster.js'
import {ClusterUnreachableError} from '../../cluster/observe-cluster.js'
import {StepFailedError} from '../apply-errors.js'
import {displayName, laggingMembers, leaderMember, unhealthyVoters, voters} from '../cluster-gates.js'
import {converge} from '../converge.js'
import type {StepContext} from '../step-context.js'

export async function runPreflight(ctx: StepContext): Promise<string> {
  const healthy = await sourceHealthy(ctx)
  if (ctx.plan.strategy === 'snapshot') await noTargetRuns(ctx)
  return healthy
}

/** A snapshot is restored into fresh members: one that already answers is some other cluster's. */
async function noTargetRuns(ctx: StepContext): Promise<void> {
  let cluster
  try {
    cluster = await ctx.observe()
  } catch (error) {
    if (error instanceof ClusterUnreachableError) return
    throw error
  }
  throw new StepFailedError(ctx.step.id, `a target member already runs (${cluster.answeredBy}, cluster ${hexId(cluster.clusterId)}): the snapshot must be restored into fresh members`, 'stop the target members and move their data dirs aside, or use strategy join to add them to the running cluster')
}

async function sourceHealthy(ctx: StepContext): Promise<string> {
  return converge(ctx, ctx.spec.timeouts.healthMs, async (cluster) => {
    if (cluster.alarms.length > 0) {
      const alarms = cluster.alarms.map((a) => `${a.alarm} on ${BigInt(a.memberId).toString(16)}`).join(', ')
      throw new StepFailedError(ctx.step.id, `the cluster has active alarms: ${alarms}`, 'resolve the alarm (e.g. NOSPACE: compact, defragment, then `etcdctl alarm disarm`) before migrating')
    }
    // A voter that was added but never started cannot be healthy; when the plan starts or removes it
    // (an orphan, see the 'never-started' warning), that is the plan's first business, not a fault.
    const planned = new Set(ctx.plan.members.map((m) => m.peerURL))
    const unhealthy = unhealthyVoters(cluster).filter((m) => m.started || !m.peerURLs.some((url) => planned.has(url)))
    if (unhealthy.length > 0) return {wait: `waiting for ${unhealthy.map(displayName).join(', ')} to be healthy`}
    const leader = leaderMember(cluster)
    if (leader === null) return {wait: 'waiting for a leader'}
    const lagging = laggingMembers(cluster, ctx.plan.options.catchUpTolerance)
    if (lagging.length > 0) return {wait: `waiting for ${lagging.map(displayName).join(', ')} to catch up with the leader`}
    const version = statusOf(cluster, leader.id)?.version ?? '?'
    const healthy = voters(cluster).filter((m) => isHealthy(statusOf(cluster, m.id))).length
    return {done: `${healthy} voters healthy, leader ${displayName(leader)}, etcd ${version}, no alarms`}
  }, ctx.observeSource)
}
