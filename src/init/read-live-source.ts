// What `etcdplan init` reads from a running cluster: the member list, each member's own Status (its
// version, whether it leads) asked at each of its client URLs separately, and the cluster ID. It goes
// through the project's client layer (EtcdEndpoints: deadlines on every call, no library retries, IDs
// as decimal strings, docs/etcd-facts.md "The etcd3 npm client") and observeCluster, so init sees the
// cluster exactly as `plan` and `apply` will.
import {clusterVersionOf} from '../cluster/etcd-version-skew.js'
import {EtcdEndpoints} from '../cluster/etcd-endpoints.js'
import {hexId, statusOf, type LiveCluster} from '../cluster/live-cluster.js'
import {observeCluster} from '../cluster/observe-cluster.js'
import type {TlsFiles} from '../spec/types.js'

/** Deadline of each call: a member that is down must not hold init up for long (2 s, as `status`). */
const CALL_TIMEOUT_MS = 2000

export interface FoundMember {
  /** Decimal member ID (64-bit: never a JS number). */
  readonly id: string
  /** Hex, as etcdctl shows it. */
  readonly hexId: string
  /** Empty for a member that was added but never started: it has published no name yet. */
  readonly name: string
  readonly peerURLs: readonly string[]
  readonly clientURLs: readonly string[]
  readonly isLearner: boolean
  readonly started: boolean
  /** The server version its own Status reported; null when it answered at none of its client URLs. */
  readonly version: string | null
  readonly isLeader: boolean
  /** Why it did not answer Status (the error at its first client URL); null when it did. */
  readonly statusError: string | null
}

export interface FoundCluster {
  /** Decimal cluster ID. */
  readonly clusterId: string
  readonly clusterIdHex: string
  /** "3.4": the lowest major.minor the members report, the version etcd's leader sets for the cluster; null when no member told its version. */
  readonly clusterVersion: string | null
  /** In the cluster's own order (member list order). */
  readonly members: readonly FoundMember[]
  /** The endpoint whose member list this is. */
  readonly answeredBy: string
}

/** Throws ClusterUnreachableError (from observeCluster) when no endpoint gives a member list. */
export async function readLiveSource(endpointURLs: readonly string[], tls: TlsFiles | undefined): Promise<FoundCluster> {
  const endpoints = new EtcdEndpoints({callTimeoutMs: CALL_TIMEOUT_MS, ...(tls === undefined ? {} : {tls})})
  try {
    return foundCluster(await observeCluster(endpoints, endpointURLs, {statusTimeoutMs: CALL_TIMEOUT_MS}))
  } finally {
    endpoints.close()
  }
}

export function foundCluster(cluster: LiveCluster): FoundCluster {
  const members = cluster.members.map((m): FoundMember => {
    // observeCluster asks every client URL the members list, each alone; a member's status is the one
    // whose header names its own ID.
    const status = statusOf(cluster, m.id)
    const failed = cluster.statuses.find((s) => m.clientURLs.includes(s.endpoint) && s.error !== null)
    return {
      id: m.id ?? '0',
      hexId: hexId(m.id),
      name: m.name,
      peerURLs: m.peerURLs,
      clientURLs: m.clientURLs,
      isLearner: m.isLearner,
      started: m.started,
      version: status?.version ?? null,
      isLeader: m.id !== null && m.id === cluster.leaderId,
      statusError: status === null ? (failed?.error ?? (m.clientURLs.length === 0 ? 'it advertises no client URL' : 'not asked')) : null,
    }
  })
  const version = clusterVersionOf(members.map((m) => m.version))
  return {
    clusterId: cluster.clusterId ?? '0',
    clusterIdHex: hexId(cluster.clusterId),
    clusterVersion: version === null ? null : `${version.major}.${version.minor}`,
    members,
    answeredBy: cluster.answeredBy,
  }
}
