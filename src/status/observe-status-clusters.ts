// What status observes: for strategy join, the one cluster through every source and target client
// URL (as plan and apply do); for strategy snapshot, the source and the target each through its
// own members' client URLs only, in parallel, because the restore makes a second cluster with its
// own cluster ID and leader (etcd-facts.md, "Snapshot") and asking both through one member list
// would mix them. A cluster that does not answer is recorded as such, never thrown.
import type {LiveCluster} from '../cluster/live-cluster.js'
import {ClusterUnreachableError, observeCluster} from '../cluster/observe-cluster.js'
import {endpointsFor, observeSpecCluster, STATUS_TIMEOUT_MS} from '../cluster/observe-spec-cluster.js'
import type {EtcdEndpoints} from '../cluster/etcd-endpoints.js'
import type {Spec} from '../spec/types.js'
import {firstClusterVersion} from '../cluster/read-cluster-version.js'
import type {Observed, StatusObservation} from './build-status-report.js'

export async function observeStatusClusters(spec: Spec): Promise<StatusObservation> {
  if (spec.strategy !== 'snapshot') return {strategy: 'join', cluster: await orUnreachable(observeSpecCluster(spec), spec.cluster.tls)}
  const endpoints = endpointsFor(spec)
  try {
    const [source, target] = await Promise.all([observeSide(endpoints, spec.source.members, spec.cluster.tls), observeSide(endpoints, spec.target.members, spec.cluster.tls)])
    return {strategy: 'snapshot', source, target}
  } finally {
    endpoints.close()
  }
}

function observeSide(endpoints: EtcdEndpoints, members: Spec['source']['members'], tls: Spec['cluster']['tls']): Promise<Observed> {
  return orUnreachable(observeCluster(endpoints, members.map((m) => m.clientURL), {statusTimeoutMs: STATUS_TIMEOUT_MS}), tls)
}

async function orUnreachable(observing: Promise<LiveCluster>, tls: Spec['cluster']['tls']): Promise<Observed> {
  try {
    const cluster = await observing
    // The cluster version is not in Status: read from a member's /version (read-cluster-version.ts).
    const clusterVersion = await firstClusterVersion(cluster.members.flatMap((m) => m.clientURLs), {timeoutMs: STATUS_TIMEOUT_MS, ...(tls === undefined ? {} : {tls})})
    return {...cluster, clusterVersion}
  } catch (error) {
    if (error instanceof ClusterUnreachableError) return error
    throw error
  }
}
