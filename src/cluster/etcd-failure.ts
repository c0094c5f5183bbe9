// What an error from etcd means for the step that got it. The strings are etcd's own
// (etcd-facts.md, "Membership gates"); the etcd3 client's error classes carry no code, so they are
// matched by class name and message.

import {tlsFailureOf} from './tls-failure.js'

export type FailureKind =
  /** A condition that passes by itself soon: re-check with backoff within the step's deadline. */
  | 'not-yet'
  /** The call may or may not have been applied (deadline, lost connection): observe, never blindly retry. */
  | 'ambiguous'
  /** etcd refused for a reason that waiting does not fix: stop and tell the operator. */
  | 'refused'

export interface EtcdFailure {
  readonly kind: FailureKind
  /** etcd's error text, as the operator would see it from etcdctl. */
  readonly message: string
}

const NOT_YET = [
  // After any member starts or restarts, etcd refuses reconfiguration until every voter has been
  // connected for 5 s (HealthInterval, --strict-reconfig-check).
  'etcdserver: unhealthy cluster',
  // A promote before the learner's match index reaches 90% of the leader's.
  'can only promote a learner member which is in sync with leader',
  'etcdserver: not leader',
  'etcdserver: leader changed',
  'etcdserver: no leader',
  // A member that has just started may not have published its name yet.
  're-configuration failed due to not enough started members',
  'etcdserver: too many requests',
]

const AMBIGUOUS = ['etcdserver: request timed out', 'deadline exceeded', 'DEADLINE_EXCEEDED', 'Connection dropped', 'UNAVAILABLE', 'No connection established', 'connect ECONNREFUSED', 'etcdserver: Peer URLs already exists', 'member ID already exist']

export function classifyEtcdError(error: unknown): EtcdFailure {
  const message = messageOf(error)
  const name = error instanceof Error ? error.constructor.name : ''
  if (NOT_YET.some((text) => message.includes(text))) return {kind: 'not-yet', message}
  if (name === 'GRPCDeadlineExceededError' || name === 'GRPCUnavailableError' || name === 'GRPCCancelledError') return {kind: 'ambiguous', message}
  if (AMBIGUOUS.some((text) => message.includes(text))) return {kind: 'ambiguous', message}
  return {kind: 'refused', message}
}

/**
 * etcd's (or the connection's) words without gRPC's wrapping: "9 FAILED_PRECONDITION: ", "No
 * connection established. Last error: ...". A failed TLS handshake is told in the spec's terms
 * instead of OpenSSL's (src/cluster/tls-failure.ts).
 */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const message = error.message
    .replace(/^\d+ [A-Z_]+: /, '')
    .replace(/^No connection established\. Last error: (Error: )?/, '')
    .replace(/\.?\s*Resolution note:.*$/s, '')
    .trim()
  const tls = tlsFailureOf(message)
  return tls === null ? message : `TLS: ${tls.message}`
}
