// The member a precondition is about: the one it names, else the step's own member.
import type {LiveCluster} from '../../cluster/live-cluster.js'
import type {ObservedMember} from '../../cluster/observation.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import {plannedMemberOf} from '../step-context.js'
import type {GateInput} from './gate.js'

/** The name of the member the precondition is about; null for a cluster-wide one. */
export function subjectName(input: GateInput): string | null {
  return input.precondition.member ?? ('member' in input.step ? input.step.member : null)
}

/** That member as the cluster lists it (matched by the plan's peer URL); null when it is not a member. */
export function observedSubject(input: GateInput, cluster: LiveCluster | null = input.observed): ObservedMember | null {
  const name = subjectName(input)
  if (name === null || cluster === null) return null
  return memberWithPeerURL(cluster, plannedMemberOf(input.ctx, name).peerURL)
}
