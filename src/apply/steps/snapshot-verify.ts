// snapshot-verify: the snapshot tool reads the whole file on the member's host (its precondition:
// the file is there), so a truncated or corrupt snapshot is caught before the restored cluster
// counts: it runs beside the restores (each checks etcd's sha256 trailer itself) and verify waits
// for it (plan-snapshot.ts). etcdctl 3.4's `snapshot status` checks the database's structure, not the sha256 appended to a
// saved snapshot; restore checks that (docs/etcd-facts.md, "Snapshot"). The only run of the tool in
// an apply: what it says is journaled for verify-data.
import type {SnapshotVerifyStep} from '../../plan/types.js'
import {StepGates} from '../gates/registry.js'
import {snapshotStatusOnHost} from '../snapshot-host.js'
import {snapshotRecordOf} from '../snapshot-record.js'
import type {StepContext} from '../step-context.js'

export async function runSnapshotVerify(ctx: StepContext, step: SnapshotVerifyStep): Promise<string> {
  await new StepGates(ctx).require(null)
  const status = await snapshotStatusOnHost(ctx, step.path)
  // Journaled with the sha256 from the save: verify-data compares the new cluster with this
  // revision instead of running the tool (and reading the whole file) again.
  const record = snapshotRecordOf(ctx, step.path)
  if (record !== null) await ctx.recordSnapshot({...record, status: {hash: status.hash, revision: status.revision, totalKey: status.totalKey, totalSize: status.totalSize, tool: status.tool}})
  return `hash ${status.hash.toString(16)}, revision ${status.revision}, ${status.totalKey} keys, ${status.totalSize} bytes (${status.tool} snapshot status)`
}
