// snapshot-save (runbook approach 2, step 1): stream a snapshot from one source voter. Its
// precondition: the member saved from (the leader, or the named member) has applied everything the
// leader committed — the stream is that member's applied state, not a linearizable read
// (docs/etcd-facts.md, "Snapshot"); learners refuse to send one on 3.4. The file's sha256, computed
// while it is streamed to disk, is journaled for the steps after it.
import {statusOf} from '../../cluster/live-cluster.js'
import type {SnapshotSaveStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {clientURLOf, displayName} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {StepGates} from '../gates/registry.js'
import {snapshotSource} from '../snapshot-source.js'
import type {StepContext} from '../step-context.js'

export async function runSnapshotSave(ctx: StepContext, step: SnapshotSaveStep): Promise<string> {
  const gates = new StepGates(ctx)
  return converge(
    ctx,
    ctx.spec.timeouts.stepMs,
    async (cluster) => {
      const blocked = await gates.check(cluster)
      if (blocked !== null) return blocked
      const from = snapshotSource(ctx, cluster, step.from)
      if (from === null || from === undefined) return {wait: 'waiting for the source cluster to have a leader'}
      const url = clientURLOf(from)
      if (url === null) throw new StepFailedError(step.id, `${displayName(from)} advertises no client URL`, "check the member's advertise-client-urls")
      const saved = await ctx.cluster.saveSnapshot(url, step.path)
      // The sha256 taken while the file was written is what every later copy and check compares
      // with: the file is not read again to learn it.
      await ctx.recordSnapshot({path: step.path, sha256: saved.sha256, bytes: saved.bytes})
      return {done: `saved ${saved.bytes} bytes from ${displayName(from)} at revision ${statusOf(cluster, from.id)?.revision ?? '?'} to ${step.path} (sha256 ${saved.sha256})`}
    },
    ctx.observeSource,
  )
}
