// The version rules of a join migration, checked at plan time when the versions were observed
// (observe-versions.ts): etcd lets members one minor apart run in one cluster, takes the lowest
// member version as the cluster version, and raises it — asynchronously, from the leader's
// monitorVersions loop (every 4 s: rafthttp.ConnWriteTimeout - 1 s, server/etcdserver/server.go in
// release-3.4 and -3.5) — once every member runs the newer release. A member whose binary is older
// than the cluster version, or more than one minor ahead of it, exits at start with `incompatible
// with current running cluster`: after `member add` (etcd-version-skew.ts has the rule). So:
// - each new member's binary must join at the cluster version of the moment (one minor step at a
//   time, never a downgrade: a 3.4 member cannot join a cluster whose cluster version is 3.5);
// - the cluster version at the end is the lowest version among the target members; verify waits for it.
// Where a version was not learned (exec, manual, a host that did not answer), the preflight checks it.
import {clusterVersionOf, compareMajorMinor, joinRefusal, type MajorMinor} from '../cluster/etcd-version-skew.js'
import type {Observation} from '../cluster/observation.js'
import {parseServerVersion} from '../nodes/parse-etcd-version.js'
import type {Spec} from '../spec/types.js'
import type {MembershipDiff} from './match-members.js'
import type {PlanWarning} from './types.js'
import type {UnsafeReason} from './unsafe-plan-error.js'

export interface VersionSkewPlan {
  readonly refusals: readonly UnsafeReason[]
  readonly warnings: readonly PlanWarning[]
  /** major.minor the cluster version reaches at the end; null when a target member's version is not known. */
  readonly finalClusterVersion: string | null
}

const NONE: VersionSkewPlan = {refusals: [], warnings: [], finalClusterVersion: null}

export function planVersionSkew(spec: Spec, observation: Observation, diff: MembershipDiff): VersionSkewPlan {
  const versions = observation.versions
  if (versions === undefined || spec.strategy !== 'join') return NONE
  const memberVersion = new Map(versions.members.map((m) => [m.id, m.version]))
  const binaryVersion = new Map(versions.binaries.map((b) => [b.member, b.version]))
  const decided = versions.cluster === null ? null : parseServerVersion(versions.cluster)
  const current: MajorMinor | null = decided ?? clusterVersionOf(versions.members.map((m) => m.version))
  const refusals: UnsafeReason[] = []
  const warnings: PlanWarning[] = []
  const joining = diff.targets.filter((t) => t.observed === null)
  if (current === null) {
    if (joining.length > 0) {
      warnings.push({code: 'cluster-version-unknown', message: `The cluster version could not be read (no member answered /version or Status), so the planner could not check that the new members' etcd can join; the preflight checks it again before the first add.`})
    }
  } else {
    const cv = text(current)
    for (const t of joining) {
      const binary = binaryVersion.get(t.spec.name) ?? null
      const v = binary === null ? null : parseServerVersion(binary)
      if (v === null) continue
      const why = joinRefusal(v, current)
      if (why === null) continue
      const older = v.major === current.major && v.minor < current.minor
      refusals.push({
        code: 'etcd-version-skew',
        message: `${t.spec.name}'s etcd binary is ${v.text}, but the cluster version is ${cv}: ${older ? `a ${v.major}.${v.minor} member cannot join a cluster whose cluster version is ${cv} (etcd does not downgrade a cluster version; ` : '('}${why}).`,
        hint: older
          ? `give ${t.spec.name} an etcd ${cv} binary (its \`etcd:\`, or the node provider's \`etcd\`), then plan again: etcdplan migrates at the cluster's version or one minor up, never down`
          : `upgrade one minor at a time: give ${t.spec.name} an etcd ${cv} or ${current.major}.${current.minor + 1} binary, then plan again`,
        path: ['target', 'members', spec.target.members.indexOf(t.spec)],
      })
    }
  }
  // The version each target member runs: a kept member's own (Status), a new member's binary.
  const targetVersions = diff.targets.map((t) => (t.observed === null ? (binaryVersion.get(t.spec.name) ?? null) : t.observed.id === null ? null : (memberVersion.get(t.observed.id) ?? null)))
  const final = targetVersions.includes(null) ? null : clusterVersionOf(targetVersions)
  if (final !== null && current !== null && compareMajorMinor(final, current) > 0 && refusals.length === 0) {
    warnings.push({
      code: 'cluster-version-rises',
      message: `The cluster version rises from ${text(current)} to ${text(final)} once every member runs etcd ${text(final)} (etcd raises it within seconds of the last ${text(current)} member leaving). It never goes back: afterwards no etcd ${text(current)} member can join this cluster.`,
    })
  }
  return {refusals, warnings, finalClusterVersion: final === null ? null : text(final)}
}

function text(v: MajorMinor): string {
  return `${v.major}.${v.minor}`
}
