// The observation's fingerprint: what must not change between plan and apply. It covers the
// cluster ID, member IDs, peer URLs, learner flags and (live) the etcd versions — a member upgraded
// between plan and apply changes which versions may join and the cluster version the target ends at
// (not names or health, which change without
// invalidating the plan's steps: a member recorded down that answers again is still removed as
// planned, and one that went down since is caught by the gates).
import {hashOf} from '../canonical-json.js'
import {downMembersOf} from '../cluster/down-members.js'
import type {Observation, ObservedVersions} from '../cluster/observation.js'
import type {PlanObservation} from './types.js'

/** The record of an observation in a plan: everything the planner reads, in canonical order. */
export function summariseObservation(observation: Observation): PlanObservation {
  const members = sortedMembers(observation).map((m) => ({id: m.id, name: m.name, peerURLs: m.peerURLs, clientURLs: m.clientURLs, isLearner: m.isLearner, started: m.started}))
  return {mode: observation.mode, clusterId: observation.clusterId, leaderId: observation.leaderId, members, down: downMembersOf(observation), configs: configsOf(observation), ...versionsOf(observation), ...dbSizeOf(observation), fingerprint: fingerprintOf(observation)}
}

/**
 * The observation a plan records, as the planner takes it. The planner plans from this canonical
 * form (members by peer URL), so planning again from a plan's record gives the same plan.
 */
export function observationOf(recorded: PlanObservation): Observation {
  return {mode: recorded.mode, clusterId: recorded.clusterId, leaderId: recorded.leaderId, members: recorded.members.map((m) => ({...m})), down: recorded.down.map((d) => ({...d})), configs: recorded.configs.map((c) => ({...c})), ...versionsOf(recorded), ...dbSizeOf(recorded)}
}

/** The observation in canonical order (members by peer URL, peer URLs sorted): what the planner plans from. */
export function canonicalObservation(observation: Observation): Observation {
  return {mode: observation.mode, clusterId: observation.clusterId, leaderId: observation.leaderId, members: sortedMembers(observation), down: downMembersOf(observation), configs: configsOf(observation), ...versionsOf(observation), ...dbSizeOf(observation)}
}

export function fingerprintOf(observation: Observation): string {
  const members = sortedMembers(observation).map((m) => ({id: m.id, peerURLs: m.peerURLs, isLearner: m.isLearner}))
  // Left out when not observed (offline), so offline fingerprints are what they were before versions existed.
  return hashOf({mode: observation.mode, clusterId: observation.clusterId, members, ...versionsOf(observation)})
}

/** The versions in canonical order (members by ID, binaries by member), as `{versions}` or nothing. */
function versionsOf(observation: {readonly versions?: ObservedVersions}): {versions?: ObservedVersions} {
  const v = observation.versions
  if (v === undefined) return {}
  return {
    versions: {
      members: [...v.members].map((m) => ({...m})).sort((a, b) => a.id.localeCompare(b.id)),
      cluster: v.cluster,
      binaries: [...v.binaries].map((b) => ({...b})).sort((a, b) => a.member.localeCompare(b.member)),
    },
  }
}

/** The leader's DB size as `{leaderDbSize}` or nothing (offline, or the leader did not answer). */
function dbSizeOf(observation: {readonly leaderDbSize?: number}): {leaderDbSize?: number} {
  return observation.leaderDbSize === undefined ? {} : {leaderDbSize: observation.leaderDbSize}
}

/** The configs read from the hosts, by member name. */
function configsOf(observation: Observation) {
  return [...(observation.configs ?? [])].map((c) => ({...c})).sort((a, b) => a.member.localeCompare(b.member))
}

/** Members in a stable order (by peer URL), each with its peer URLs sorted. */
function sortedMembers(observation: Observation) {
  return observation.members
    .map((m) => ({...m, peerURLs: [...m.peerURLs].sort()}))
    .sort((a, b) => (a.peerURLs[0] ?? '').localeCompare(b.peerURLs[0] ?? ''))
}
