// The live cluster a spec describes, observed once: every source and target client URL is asked
// (sources first: before a migration they are the ones that answer). Used by `plan` and `apply`.
import type {Spec} from '../spec/types.js'
import {EtcdEndpoints} from './etcd-endpoints.js'
import type {LiveCluster} from './live-cluster.js'
import {observeCluster} from './observe-cluster.js'

/** Deadline of one Status or MemberList call: a member that is down costs at most this. */
export const STATUS_TIMEOUT_MS = 2000
/** Deadline of a membership change or leader transfer; longer than etcd's own 7 s request timeout would be pointless. */
export const CALL_TIMEOUT_MS = 8000

export function specClientURLs(spec: Spec): string[] {
  return [...new Set([...spec.source.members, ...spec.target.members].map((m) => m.clientURL))]
}

export function endpointsFor(spec: Spec): EtcdEndpoints {
  return new EtcdEndpoints({callTimeoutMs: CALL_TIMEOUT_MS, ...(spec.cluster.tls === undefined ? {} : {tls: spec.cluster.tls})})
}

export async function observeSpecCluster(spec: Spec): Promise<LiveCluster> {
  const endpoints = endpointsFor(spec)
  try {
    return await observeCluster(endpoints, specClientURLs(spec), {statusTimeoutMs: STATUS_TIMEOUT_MS})
  } finally {
    endpoints.close()
  }
}
