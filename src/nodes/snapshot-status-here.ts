// snapshotStatus for the providers that cannot run a tool on the member's host (exec, manual): the
// snapshot is checked where it is, on the apply machine, with the snapshot tool beside the apply
// machine's etcd (nodes.local.etcd: etcdutl on 3.5+, etcdctl on 3.4), before anything copies it to
// a host. The copy itself is then the restore command's (exec) or the operator's (manual) to check,
// by the sha256 they are given.
import {NodeProviderError, type HostSnapshotStatus} from './node-provider.js'
import {findSnapshotTool} from './find-snapshot-tool.js'
import {runSnapshotStatus} from './run-snapshot-status.js'
import {summarizeToolError} from './summarize-tool-error.js'

export async function snapshotStatusHere(memberName: string, path: string, etcd: string, provider: string): Promise<HostSnapshotStatus> {
  const tool = await findSnapshotTool(etcd)
  const outcome = await runSnapshotStatus(tool, path)
  if (!outcome.ok) {
    throw new NodeProviderError(
      `the snapshot ${path} does not verify (${tool.name} snapshot status on the apply machine, before it goes to ${memberName}'s host: nodes.provider ${provider} runs no tool there): ${summarizeToolError(outcome.stderr)}`,
      memberName,
      '',
      outcome.stderr,
    )
  }
  return outcome.status
}
