// snapshot-verify: the snapshot tool reads the whole file on the member's host (its precondition:
// the file is there), so a truncated or corrupt snapshot is caught before anything is restored from
// it. etcdctl 3.4's `snapshot status` checks the database's structure, not the sha256 appended to a
// saved snapshot; restore checks that (docs/etcd-facts.md, "Snapshot").
import type {SnapshotVerifyStep} from '../../plan/types.js'
import {StepGates} from '../gates/registry.js'
import {snapshotStatusOnHost} from '../snapshot-host.js'
import type {StepContext} from '../step-context.js'

export async function runSnapshotVerify(ctx: StepContext, step: SnapshotVerifyStep): Promise<string> {
  await new StepGates(ctx).require(null)
  const status = await snapshotStatusOnHost(ctx, step.path)
  return `hash ${status.hash.toString(16)}, revision ${status.revision}, ${status.totalKey} keys, ${status.totalSize} bytes (${status.tool} snapshot status)`
}
