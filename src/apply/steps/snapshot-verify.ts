// snapshot-verify: `etcdctl snapshot status` reads the whole file and checks its integrity hash, so
// a truncated or corrupt snapshot is caught before anything is restored from it.
import {readSnapshotStatus} from '../../cluster/snapshot-file.js'
import {etcdctlBeside} from '../../nodes/etcdctl-path.js'
import type {SnapshotVerifyStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {StepGates} from '../gates/registry.js'
import type {StepContext} from '../step-context.js'

export async function runSnapshotVerify(ctx: StepContext, step: SnapshotVerifyStep): Promise<string> {
  await new StepGates(ctx).require(null)
  try {
    const status = await readSnapshotStatus(step.path, etcdctlBeside(ctx.spec.nodes.local.etcd))
    return `hash ${status.hash.toString(16)}, revision ${status.revision}, ${status.totalKey} keys, ${status.totalSize} bytes`
  } catch (error) {
    const stderr = ((error as {stderr?: string}).stderr ?? (error as Error).message).trim()
    throw new StepFailedError(step.id, `the snapshot ${step.path} does not verify: ${stderr}`, 'the snapshot is corrupt or missing: delete it and run the same apply again after marking snapshot-save to run (re-plan with `etcdplan plan`)')
  }
}
