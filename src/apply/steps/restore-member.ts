// restore-member (runbook approach 2, step 3): the snapshot restored into the member's fresh data
// dir with the new cluster's initial-cluster and token, identical for every member (docs/etcd-facts.md).
// Its precondition: the data dir is absent, empty, or a restore etcdplan completed (then it is done).
import type {RestoreMemberStep} from '../../plan/types.js'
import {knownSha256} from '../snapshot-record.js'
import {StepGates} from '../gates/registry.js'
import {confirmedByOperator, onHost, requireMemberSpec, type StepContext} from '../step-context.js'

export async function runRestoreMember(ctx: StepContext, step: RestoreMemberStep): Promise<string> {
  const member = requireMemberSpec(ctx, step.member)
  await new StepGates(ctx).require(null)
  const {snapshotPath, dataDir, initialCluster, initialClusterToken, peerURL} = step
  // The snapshot is on the apply machine; the provider puts it on the member's host (same path) first,
  // checked against the sha256 taken at its save (journaled), so the apply machine's copy is not read
  // to learn it; the restore itself checks etcd's sha256 trailer. Restores of different members run
  // at the same time (parallel-steps.ts).
  const result = await onHost(ctx, () => ctx.provider.restore(member, {snapshotPath, localSnapshotPath: snapshotPath, ...knownSha256(ctx, snapshotPath), dataDir, initialCluster, initialClusterToken, peerURL}))
  if (confirmedByOperator(ctx)) return `the operator restored the snapshot into ${step.dataDir} (confirmed; etcdplan cannot check the data dir: the start will show it)`
  return result === 'restored' ? `restored into ${step.dataDir}` : `${step.dataDir} already holds the restored member`
}
