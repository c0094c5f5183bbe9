// An offline plan has no cluster to ask, so it assumes the spec's `source` is exactly what runs:
// every source member started and voting. The plan marks this (mode: 'offline') and apply checks the
// live cluster against it before changing anything.
import type {Spec} from '../spec/types.js'
import type {Observation} from './observation.js'

export function observeFromSpec(spec: Spec): Observation {
  return {
    mode: 'offline',
    clusterId: null,
    leaderId: null,
    members: spec.source.members.map((m) => ({
      id: null,
      name: m.name,
      peerURLs: [m.peerURL],
      clientURLs: [m.clientURL],
      isLearner: false,
      started: true,
    })),
  }
}
