// The observation's fingerprint: what must not change between plan and apply. It covers the
// cluster ID, member IDs, peer URLs and learner flags (not names or health, which change without
// invalidating the plan's steps).
import {hashOf} from '../canonical-json.js'
import type {Observation} from '../cluster/observation.js'
import type {PlanObservation} from './types.js'

export function summariseObservation(observation: Observation): PlanObservation {
  const members = observation.members
    .map((m) => ({id: m.id, name: m.name, peerURLs: [...m.peerURLs].sort(), isLearner: m.isLearner}))
    .sort((a, b) => (a.peerURLs[0] ?? '').localeCompare(b.peerURLs[0] ?? ''))
  return {mode: observation.mode, clusterId: observation.clusterId, members, fingerprint: fingerprintOf(observation)}
}

export function fingerprintOf(observation: Observation): string {
  const members = observation.members
    .map((m) => ({id: m.id, peerURLs: [...m.peerURLs].sort(), isLearner: m.isLearner}))
    .sort((a, b) => (a.peerURLs[0] ?? '').localeCompare(b.peerURLs[0] ?? ''))
  return hashOf({mode: observation.mode, clusterId: observation.clusterId, members})
}
