// The observation's fingerprint: what must not change between plan and apply. It covers the
// cluster ID, member IDs, peer URLs and learner flags (not names or health, which change without
// invalidating the plan's steps).
import {hashOf} from '../canonical-json.js'
import type {Observation} from '../cluster/observation.js'
import type {PlanObservation} from './types.js'

export function summariseObservation(observation: Observation): PlanObservation {
  const members = sortedMembers(observation).map((m) => ({id: m.id, name: m.name, peerURLs: m.peerURLs, isLearner: m.isLearner}))
  return {mode: observation.mode, clusterId: observation.clusterId, members, fingerprint: fingerprintOf(observation)}
}

export function fingerprintOf(observation: Observation): string {
  const members = sortedMembers(observation).map((m) => ({id: m.id, peerURLs: m.peerURLs, isLearner: m.isLearner}))
  return hashOf({mode: observation.mode, clusterId: observation.clusterId, members})
}

/** Members in a stable order (by peer URL), each with its peer URLs sorted. */
function sortedMembers(observation: Observation) {
  return observation.members
    .map((m) => ({...m, peerURLs: [...m.peerURLs].sort()}))
    .sort((a, b) => (a.peerURLs[0] ?? '').localeCompare(b.peerURLs[0] ?? ''))
}
