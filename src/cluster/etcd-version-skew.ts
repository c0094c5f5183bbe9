// Whether an etcd binary can join a running cluster, by etcd's own rule. When a member starts with
// `initial-cluster-state: existing`, etcd (etcdserver/server.go NewServer, v3.4.23; bootstrap.go from
// 3.6) asks every peer for its cluster version and refuses to start unless
//     MinClusterVersion <= cluster version <= the binary's major.minor
// (cluster_util.go isCompatibleWithCluster / isCompatibleWithVers, identical in release-3.4, -3.5 and
// -3.6; MinClusterVersion is "3.0.0" in version/version.go of every 3.x release). Otherwise it exits
// with `incompatible with current running cluster` — but only when it starts, after `member add`:
// a 3.4 binary joining a 3.5 cluster leaves a learner that never starts. (3.5's downgrade mode shifts
// the range by one minor; etcdplan does not plan downgrades.)
// The cluster version is decided by the leader as the lowest version among the members
// (decideClusterVersion), so here it is the lowest major.minor the members report in Status. Members
// further apart than one minor are outside what etcd supports (upgrades go one minor at a time, e.g.
// 3.5 → 3.6 only from 3.5), so a binary more than one minor ahead is refused too.
import {parseServerVersion, type EtcdVersion} from '../nodes/parse-etcd-version.js'

export interface MajorMinor {
  readonly major: number
  readonly minor: number
}

/** MinClusterVersion of every etcd 3.x binary (version/version.go). */
const MIN_CLUSTER_VERSION_3: MajorMinor = {major: 3, minor: 0}

/** The cluster version the members' Status versions imply: the lowest major.minor; null when none can be read. */
export function clusterVersionOf(serverVersions: readonly (string | null)[]): MajorMinor | null {
  let lowest: MajorMinor | null = null
  for (const text of serverVersions) {
    const v = text === null ? null : parseServerVersion(text)
    if (v === null) continue
    if (lowest === null || compareMajorMinor(v, lowest) < 0) lowest = {major: v.major, minor: v.minor}
  }
  return lowest
}

/** null when the binary can join a cluster at this cluster version; otherwise why etcd would refuse it. */
export function joinRefusal(binary: EtcdVersion, cluster: MajorMinor): string | null {
  const mm = `${binary.major}.${binary.minor}`
  const cv = `${cluster.major}.${cluster.minor}`
  if (binary.major !== 3) return `etcdplan knows the version rules of etcd 3.x only, and this binary is ${binary.text}`
  if (compareMajorMinor(cluster, MIN_CLUSTER_VERSION_3) < 0) return `the cluster version ${cv} is below ${MIN_CLUSTER_VERSION_3.major}.${MIN_CLUSTER_VERSION_3.minor}, the lowest etcd ${mm} can join (MinClusterVersion)`
  if (compareMajorMinor(binary, cluster) < 0) return `etcd refuses a member older than the cluster version: it would exit at start with \`incompatible with current running cluster\`, after it was added`
  if (binary.major === cluster.major && binary.minor > cluster.minor + 1) return `etcd supports members at most one minor version apart (upgrades go one minor at a time)`
  return null
}

/** Negative when a is older, 0 when the same major.minor, positive when newer. */
export function compareMajorMinor(a: MajorMinor, b: MajorMinor): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor
}
