// snapshot-save (runbook approach 2, step 1): stream a snapshot from one source voter. The stream is
// that member's applied state, not a linearizable read (etcd-facts.md, "Snapshot"), so it is taken
// from the leader, or from the named member once its applied index equals the leader's committed
// index; learners refuse to send one on 3.4.
import {leaderStatus, statusOf} from '../../cluster/live-cluster.js'
import {saveSnapshot} from '../../cluster/snapshot-file.js'
import type {SnapshotSaveStep} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {clientURLOf, displayName, leaderMember} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {plannedMemberOf, type StepContext} from '../step-context.js'

export async function runSnapshotSave(ctx: StepContext, step: SnapshotSaveStep): Promise<string> {
  return converge(
    ctx,
    ctx.spec.timeouts.stepMs,
    async (cluster) => {
      const leader = leaderMember(cluster)
      if (leader === null) return {wait: 'waiting for the source cluster to have a leader'}
      const from = step.from === 'auto' ? leader : cluster.members.find((m) => m.peerURLs.includes(plannedMemberOf(ctx, step.from).peerURL))
      if (from === undefined) throw new StepFailedError(step.id, `${step.from} is not a member of the source cluster`, 'set snapshot.from to a source member, or auto')
      if (from.isLearner) throw new StepFailedError(step.id, `${displayName(from)} is a learner, and learners do not send snapshots`, 'set snapshot.from to a voter, or auto')
      const own = statusOf(cluster, from.id)
      const leaderIndex = leaderStatus(cluster)?.raftIndex ?? null
      if (own === null || own.raftAppliedIndex === null || leaderIndex === null || own.raftAppliedIndex < leaderIndex) {
        return {wait: `waiting for ${displayName(from)} to apply everything the leader committed`}
      }
      const url = clientURLOf(from)
      if (url === null) throw new StepFailedError(step.id, `${displayName(from)} advertises no client URL`, "check the member's advertise-client-urls")
      const bytes = await saveSnapshot(ctx.endpoints.get(url), step.path)
      return {done: `saved ${bytes} bytes from ${displayName(from)} at revision ${own.revision ?? '?'} to ${step.path}`}
    },
    ctx.observeSource,
  )
}
