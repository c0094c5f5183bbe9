// What changed in the cluster each plan was made against: the fingerprint apply checks, and the
// fields behind it a reviewer asks about — members (by ID when the cluster told us, else by peer
// URL), the leader, the members that were down, the etcd versions, the configs found on hosts.
import {sha256Hex} from '../canonical-json.js'
import type {PlanObservation} from '../plan/types.js'
import {formatMemberId} from '../render/describe-plan.js'
import {fieldChanges, sameValue} from './field-changes.js'
import type {Change, FieldChange, ObservationDiff, ObservedMemberRef} from './plan-diff.js'

type Member = PlanObservation['members'][number]

export function diffObservation(before: PlanObservation, after: PlanObservation): ObservationDiff {
  const oldMembers = byKey(before.members)
  const newMembers = byKey(after.members)
  const membersAdded = [...newMembers].filter(([key]) => !oldMembers.has(key)).map(([, m]) => ref(m))
  const membersRemoved = [...oldMembers].filter(([key]) => !newMembers.has(key)).map(([, m]) => ref(m))
  const membersChanged = [...newMembers].flatMap(([key, m]) => {
    const was = oldMembers.get(key)
    if (was === undefined) return []
    const changes = fieldChanges(was, m, '', new Set(['id']))
    return changes.length === 0 ? [] : [{member: ref(m), changes}]
  })
  const oldDown = before.down.map((d) => nameOf(before, d.id))
  const newDown = after.down.map((d) => nameOf(after, d.id))
  return {
    fingerprint: change(before.fingerprint, after.fingerprint),
    mode: change(before.mode, after.mode),
    clusterId: change(before.clusterId, after.clusterId),
    leader: change(before.leaderId === null ? null : nameOf(before, before.leaderId), after.leaderId === null ? null : nameOf(after, after.leaderId)),
    membersAdded,
    membersRemoved,
    membersChanged,
    down: {added: newDown.filter((n) => !oldDown.includes(n)), removed: oldDown.filter((n) => !newDown.includes(n))},
    versions: diffVersions(before, after),
    configsFound: diffConfigsFound(before, after),
  }
}

function change<T>(a: T, b: T): Change<T> | null {
  return sameValue(a, b) ? null : {old: a, new: b}
}

/** A member ID is stable while the member lives; offline observations have none, so the peer URL keys them. */
function byKey(members: readonly Member[]): Map<string, Member> {
  return new Map(members.map((m) => [m.id ?? `peer:${m.peerURLs[0] ?? m.name}`, m]))
}

function ref(m: Member): ObservedMemberRef {
  return {id: m.id, name: m.name, peerURLs: m.peerURLs}
}

/** etcd lists an added member that has not started with an empty name: then the hex ID names it. */
function nameOf(observation: PlanObservation, id: string): string {
  const name = observation.members.find((m) => m.id === id)?.name
  return name === undefined || name === '' ? formatMemberId(id) : name
}

function diffVersions(before: PlanObservation, after: PlanObservation): FieldChange[] {
  // A member with no version on either side (one that never started) is no version change.
  const members = (o: PlanObservation) => new Map((o.versions?.members ?? []).map((v) => [nameOf(o, v.id), v.version]))
  const binaries = (o: PlanObservation) => new Map((o.versions?.binaries ?? []).map((b) => [`binary of ${b.member}`, b.version]))
  const compare = (a: Map<string, string | null>, b: Map<string, string | null>): FieldChange[] =>
    [...new Set([...a.keys(), ...b.keys()])].flatMap((key) => ((a.get(key) ?? null) === (b.get(key) ?? null) ? [] : [{field: key, old: a.get(key) ?? null, new: b.get(key) ?? null}]))
  const cluster = before.versions?.cluster === after.versions?.cluster ? [] : [{field: 'cluster', old: before.versions?.cluster ?? null, new: after.versions?.cluster ?? null}]
  return [...compare(members(before), members(after)), ...cluster, ...compare(binaries(before), binaries(after))]
}

function diffConfigsFound(before: PlanObservation, after: PlanObservation): FieldChange[] {
  const found = (o: PlanObservation) => new Map(o.configs.map((c) => [c.member, c.content === null ? `no file at ${c.path}` : `${c.path} (sha ${shortHash(c.content)})`]))
  const a = found(before)
  const b = found(after)
  return [...new Set([...a.keys(), ...b.keys()])].flatMap((member) => (a.get(member) === b.get(member) ? [] : [{field: member, old: a.get(member) ?? null, new: b.get(member) ?? null}]))
}

/** Enough of the text's sha256 to tell two configs apart in a sentence; the plans hold the texts. */
function shortHash(text: string): string {
  return sha256Hex(text).slice(0, 12)
}
