// verify-data: the restored cluster holds what the source held at the snapshot's revision, and the
// source has not moved on since the snapshot — a write after it would be lost at the cut-over
// (docs/etcd-facts.md, "Snapshot": writers must be fenced; compare revisions). The content check is
// HashKV at the snapshot's revision on every new member against the source's leader (snapshot-content-check.ts);
// where the hashes cannot compare, the key count and revision decide. The snapshot's revision is the
// one snapshot-verify journaled (the tool runs, and reads the file, once per apply).
import {leaderStatus, type LiveCluster} from '../../cluster/live-cluster.js'
import {ClusterUnreachableError} from '../../cluster/observe-cluster.js'
import type {VerifyDataStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {clientURLOf, displayName, leaderMember} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {StepGates} from '../gates/registry.js'
import {checkRestoredContent, hashHex, type ContentCheck, type HashedMember} from '../snapshot-content-check.js'
import {snapshotStatusOnHost} from '../snapshot-host.js'
import {snapshotRecordOf} from '../snapshot-record.js'
import type {StepContext} from '../step-context.js'

export async function runVerifyData(ctx: StepContext, step: VerifyDataStep): Promise<string> {
  await new StepGates(ctx).require(null)
  const recorded = snapshotRecordOf(ctx, step.snapshotPath)?.status ?? (await snapshotStatusOnHost(ctx, step.snapshotPath))
  // An empty store's snapshot reports revision 0, while its member's header says 1 (a fresh store
  // starts at revision 1): the two name the same state.
  const snapshot = {revision: Math.max(recorded.revision, 1)}
  // The restored cluster keeps the snapshot's revision (etcd-facts.md): it must be there, with the
  // same keys as the source holds at that revision.
  const target = await countAtLeader(ctx, ctx.observe, 'the new cluster')
  if (target.revision < snapshot.revision) {
    throw new StepFailedError(step.id, `the new cluster is at revision ${target.revision}, the snapshot at ${snapshot.revision}`, "the restore did not take the whole snapshot: check the new members' logs")
  }
  const targets: HashedMember[] = ctx.spec.target.members.map((m) => ({name: m.name, url: m.clientURL}))
  try {
    await ctx.observeSource()
  } catch (error) {
    if (!(error instanceof ClusterUnreachableError)) throw error
    const content = await checkRestoredContent(ctx, targets, null, snapshot.revision)
    return `the new cluster holds ${target.keys} keys at revision ${target.revision} (snapshot revision ${snapshot.revision})${describeContent(content)}; the source does not answer, so it took no writes after the snapshot`
  }
  const source = await countAtLeader(ctx, ctx.observeSource, 'the source cluster')
  if (source.revision > snapshot.revision) {
    throw new StepFailedError(step.id, `the source cluster moved from revision ${snapshot.revision} to ${source.revision} after the snapshot: those writes are not in the new cluster`, 'stop the writers, then rebuild the new cluster from a fresh snapshot (stop the new members, move their data dirs aside, re-plan with `etcdplan plan`)')
  }
  if (source.keys !== target.keys) {
    throw new StepFailedError(step.id, `the new cluster has ${target.keys} keys, the source ${source.keys} at the same revision`, "the restore is incomplete: check the new members' logs")
  }
  const content = await checkRestoredContent(ctx, targets, source.leader, snapshot.revision)
  return `the new cluster holds the source's ${target.keys} keys at revision ${snapshot.revision}${describeContent(content)}; the source has not moved since the snapshot`
}

function describeContent(content: ContentCheck): string {
  if (content.kind === 'not-comparable') return ` (HashKV not comparable: ${content.why}; key count and revision checked)`
  const hash = hashHex(content.hash)
  const where = content.members === 1 ? 'on the new member' : `on all ${content.members} new members`
  return `, HashKV ${hash} ${where}${content.againstSource ? ' as on the source' : ''}`
}

/** The leader's revision and key count, read from the leader itself. */
async function countAtLeader(ctx: StepContext, observe: () => Promise<LiveCluster>, what: string): Promise<{revision: number; keys: number; leader: HashedMember}> {
  let found: {revision: number; keys: number; leader: HashedMember} | null = null
  await converge(
    ctx,
    ctx.spec.timeouts.healthMs,
    async (cluster) => {
      const leader = leaderMember(cluster)
      const url = leader === null ? null : clientURLOf(leader)
      const revision = leaderStatus(cluster)?.revision ?? null
      if (leader === null || url === null || revision === null) return {wait: `waiting for ${what} to have a leader`}
      found = {revision, keys: await ctx.cluster.countKeys(url), leader: {name: displayName(leader), url}}
      return {done: ''}
    },
    observe,
  )
  if (found === null) throw new Error('unreachable: converge returned without a count')
  return found
}
