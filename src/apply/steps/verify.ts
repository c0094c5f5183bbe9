// verify: the cluster is exactly the target — every target member a started, healthy, caught-up
// voter, nothing else in the membership, no learner left behind — and, when the plan knows the
// target's versions (upgrading while migrating), the cluster version etcd decided is the one the
// target members run at: the leader raises it asynchronously (monitorVersions, every 4 s) once every
// member runs the newer release, so verify waits for it within its deadline. Read from a member's
// HTTP /version (`etcdcluster`), which Status does not report.
import {isHealthy, statusOf} from '../../cluster/live-cluster.js'
import type {VerifyStep} from '../../plan/types.js'
import {displayName, isCaughtUp, memberWithPeerURL} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {firstClusterVersion} from '../../cluster/read-cluster-version.js'
import {parseServerVersion} from '../../nodes/parse-etcd-version.js'
import {StepGates} from '../gates/registry.js'
import {plannedMemberOf, type StepContext} from '../step-context.js'

export async function runVerify(ctx: StepContext, step: VerifyStep): Promise<string> {
  const expected = step.expectedVoters.map((name) => ({name, peerURL: plannedMemberOf(ctx, name).peerURL}))
  const gates = new StepGates(ctx)
  return converge(ctx, ctx.spec.timeouts.healthMs, async (cluster) => {
    const blocked = await gates.check(cluster)
    if (blocked !== null) return blocked
    const problems: string[] = []
    for (const {name, peerURL} of expected) {
      const member = memberWithPeerURL(cluster, peerURL)
      if (member === null) problems.push(`${name} is missing`)
      else if (member.isLearner) problems.push(`${name} is still a learner`)
      else if (!member.started || !isHealthy(statusOf(cluster, member.id))) problems.push(`${name} is not healthy`)
      else if (!isCaughtUp(cluster, member, ctx.plan.options.catchUpTolerance)) problems.push(`${name} is not caught up`)
    }
    const wanted = new Set(expected.map((e) => e.peerURL))
    for (const member of cluster.members) if (!member.peerURLs.some((url) => wanted.has(url))) problems.push(`${displayName(member)} (${member.peerURLs.join(', ')}) should not be a member`)
    if (problems.length > 0) return {wait: problems.join('; ')}
    if (step.clusterVersion === undefined) return {done: `the cluster is exactly ${step.expectedVoters.join(', ')}: started, healthy, caught-up voters`}
    const urls = cluster.members.flatMap((m) => m.clientURLs)
    const reached = await firstClusterVersion(urls, {timeoutMs: 2000, ...(ctx.spec.cluster.tls === undefined ? {} : {tls: ctx.spec.cluster.tls})})
    const mm = reached === null ? null : parseServerVersion(reached)
    if (mm === null || `${mm.major}.${mm.minor}` !== step.clusterVersion) {
      return {wait: `the cluster version is ${reached ?? 'not readable yet'}, the target members run ${step.clusterVersion} (etcd raises it within seconds once every member runs it)`}
    }
    return {done: `the cluster is exactly ${step.expectedVoters.join(', ')}: started, healthy, caught-up voters; cluster version ${reached}`}
  })
}
