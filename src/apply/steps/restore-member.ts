// restore-member (runbook approach 2, step 3): the snapshot restored into the member's fresh data
// dir with the new cluster's initial-cluster and token, identical for every member (etcd-facts.md).
import {NodeProviderError} from '../../nodes/node-provider.js'
import type {RestoreMemberStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {memberSpecOf, type StepContext} from '../step-context.js'

export async function runRestoreMember(ctx: StepContext, step: RestoreMemberStep): Promise<string> {
  const member = memberSpecOf(ctx, step.member)
  if (member === null) throw new StepFailedError(step.id, `the spec does not list ${step.member}`, 'apply the plan with the spec it was made from')
  try {
    const result = await ctx.provider.restore(member, {
      snapshotPath: step.snapshotPath,
      dataDir: step.dataDir,
      initialCluster: step.initialCluster,
      initialClusterToken: step.initialClusterToken,
      peerURL: step.peerURL,
    })
    return result === 'restored' ? `restored into ${step.dataDir}` : `${step.dataDir} already holds the restored member`
  } catch (error) {
    if (error instanceof NodeProviderError) throw new StepFailedError(step.id, error.message, 'fix the cause, then run the same apply again', error.logTail)
    throw error
  }
}
