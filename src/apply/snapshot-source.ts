// The member a snapshot is saved from: the leader for `snapshot.from: auto`, else the named source
// member (matched by the plan's peer URL); null while there is no leader to pick. Shared by the
// snapshot-save step and its member-caught-up gate, so both look at the same member.
import type {LiveCluster} from '../cluster/live-cluster.js'
import type {ObservedMember} from '../cluster/observation.js'
import {leaderMember} from './cluster-gates.js'
import {plannedMemberOf, type StepContext} from './step-context.js'

/** undefined: the named member is not in the cluster. */
export function snapshotSource(ctx: StepContext, cluster: LiveCluster, from: string): ObservedMember | null | undefined {
  if (from === 'auto') return leaderMember(cluster)
  return cluster.members.find((m) => m.peerURLs.includes(plannedMemberOf(ctx, from).peerURL))
}
