// Where a snapshot is checked on a member's host: the snapshot tool runs where etcd will read the
// snapshot (etcdutl beside the member's etcd on 3.5+, etcdctl on 3.4), through the node provider —
// the first target member's host, to which the snapshot file is put (checked against the sha256 taken
// at its save) first, at the path
// the restore reads it from there (snapshotPathOnHost: nodes.ssh.snapshotDir for ssh).
import type {HostSnapshotStatus} from '../nodes/node-provider.js'
import {NodeProviderError} from '../nodes/node-provider.js'
import {NotObservableError} from '../nodes/not-observable.js'
import {snapshotPathOnHost} from '../nodes/snapshot-path-on-host.js'
import {StepFailedError} from './apply-errors.js'
import {knownSha256} from './snapshot-record.js'
import {requireMemberSpec, type StepContext} from './step-context.js'

export async function snapshotStatusOnHost(ctx: StepContext, snapshotPath: string): Promise<HostSnapshotStatus> {
  const first = ctx.spec.target.members[0]
  if (first === undefined) throw new StepFailedError(ctx.step.id, 'the spec has no target member to check the snapshot on', 'add target members to the spec and plan again')
  const member = requireMemberSpec(ctx, first.name)
  const onHost = snapshotPathOnHost(ctx.spec.nodes, member, snapshotPath)
  try {
    try {
      await ctx.provider.putFile(member, {localPath: snapshotPath, remotePath: onHost, ...knownSha256(ctx, snapshotPath)})
    } catch (error) {
      // exec and manual put no file on a host: their snapshotStatus checks the apply machine's copy,
      // and the restore (command or operator) checks the host's copy by its sha256.
      if (!(error instanceof NotObservableError)) throw error
    }
    return await ctx.provider.snapshotStatus(member, onHost)
  } catch (error) {
    if (error instanceof NodeProviderError) {
      throw new StepFailedError(ctx.step.id, error.message, 'the snapshot is corrupt or missing: re-plan with `etcdplan plan` to take a new snapshot', error.stderr === '' ? null : error.stderr)
    }
    throw error
  }
}
