// The etcd versions a live plan is made against: each member's server version (its Status), the
// cluster version etcd decided (HTTP /version on a member's client URL), and the etcd binary on the
// host of each target member not in the cluster yet (the node provider's probe, as the preflight runs
// it). With them the planner refuses a version skew etcd would refuse — after `member add`, at the
// new member's start — before anything changes, and knows the cluster version the target ends at.
import {statusOf, type LiveCluster} from '../cluster/live-cluster.js'
import type {ObservedVersions} from '../cluster/observation.js'
import {firstClusterVersion} from '../cluster/read-cluster-version.js'
import type {NodeProvider} from '../nodes/node-provider.js'
import type {MemberSpec, Spec} from '../spec/types.js'

const VERSION_TIMEOUT_MS = 2000

/** The etcd binary's version on each probed member's host (null: not observable or unreachable), by member name. */
export type BinaryProbes = ReadonlyMap<string, Promise<string | null>>

/**
 * Starts probing the etcd binary on the hosts of the target members the spec does not list as source
 * members: in the usual migration these are the ones that join, so the probes (an `etcd --version`,
 * an ssh round trip) run while the cluster is still being observed instead of after it.
 */
export function startBinaryProbes(spec: Spec, provider: NodeProvider): BinaryProbes {
  const source = new Set(spec.source.members.map((m) => m.peerURL))
  return new Map(spec.target.members.filter((m) => !source.has(m.peerURL)).map((m) => [m.name, probeBinary(provider, m)]))
}

async function probeBinary(provider: NodeProvider, member: MemberSpec): Promise<string | null> {
  try {
    // Only the binary: the ports and files are the preflight's (binding ports at plan time is not the planner's business).
    return (await provider.probeHost(member, {files: [], listen: []})).binary.version
  } catch {
    // Not observable (exec, manual) or unreachable: the preflight checks it before the first add.
    return null
  }
}

export async function observeVersions(spec: Spec, cluster: LiveCluster, provider: NodeProvider, started: BinaryProbes = new Map()): Promise<ObservedVersions> {
  const members = cluster.members.flatMap((m) => (m.id === null ? [] : [{id: m.id, version: statusOf(cluster, m.id)?.version ?? null}]))
  const clientURLs = cluster.members.flatMap((m) => m.clientURLs)
  const inCluster = new Set(cluster.members.flatMap((m) => m.peerURLs))
  const joining = spec.target.members.filter((m) => !inCluster.has(m.peerURL))
  // The members that really join, as the cluster says: probed early when the spec foresaw them.
  const probing = Promise.all(joining.map(async (member) => ({member: member.name, version: await (started.get(member.name) ?? probeBinary(provider, member))})))
  // Independent reads, asked together: a live plan waits for the slower of the two, not their sum.
  const [clusterVersion, binaries] = await Promise.all([firstClusterVersion(clientURLs, {timeoutMs: VERSION_TIMEOUT_MS, ...(spec.cluster.tls === undefined ? {} : {tls: spec.cluster.tls})}), probing])
  return {members, cluster: clusterVersion, binaries}
}
