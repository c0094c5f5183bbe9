// What the user reads when the cluster cannot be read: nobody answers (check the spec's URLs), or some
// members answer but the cluster has lost its quorum (etcd's disaster recovery is the way out).
import type {ClusterUnreachableError} from './observe-cluster.js'
import {QUORUM_RECOVERY_HINT} from './quorum-recovery.js'
import {quorumOf} from '../plan/quorum.js'
import {UserError} from '../user-error.js'
import {tlsFailureHint, tlsFailureOf} from './tls-failure.js'

export function unreachable(error: ClusterUnreachableError): UserError {
  const answering = error.statuses.filter((s) => s.error === null)
  if (answering.length > 0) return quorumLost(error, answering.map((s) => s.endpoint))
  const tls = error.errors.map((e) => (e === undefined || e === null ? null : tlsFailureOf(e))).find((f) => f !== null)
  if (tls !== undefined && tls !== null) {
    // The cluster runs; etcdplan's TLS settings do not fit it. --offline would only hide that.
    return new UserError(`cannot reach the cluster over TLS: ${error.message}`, tlsFailureHint(tls.kind), 1, 'tls-handshake-failed', {endpoints: error.endpoints.map((endpoint, i) => ({endpoint, error: error.errors[i] ?? null}))})
  }
  return new UserError(`cannot reach the cluster: ${error.message}`, 'check that the members in the spec run and that their clientURLs are right (`etcdplan status`), or plan with --offline', 1, 'cluster-unreachable', {endpoints: error.endpoints.map((endpoint, i) => ({endpoint, error: error.errors[i] ?? null}))})
}

/**
 * Some members answer Status (each serves it alone) but the cluster cannot be read through raft (the
 * member list on 3.5, the alarms on 3.4): it has lost its quorum, and etcd changes no membership
 * without one. With the member list (3.4) the voters are counted; otherwise the endpoints asked.
 */
function quorumLost(error: ClusterUnreachableError, answering: readonly string[]): UserError {
  const silent = error.statuses.filter((s) => s.error !== null)
  const them = silent.map((s) => `${s.endpoint} (${s.error})`).join(', ')
  const voters = error.members?.filter((m) => !m.isLearner) ?? null
  const count =
    voters === null
      ? `only ${answering.length} of the ${error.statuses.length} endpoints asked ${answering.length === 1 ? 'answers' : 'answer'} (${answering.join(', ')})`
      : `only ${voters.filter((m) => error.statuses.some((s) => s.error === null && s.memberId === m.id)).length} of its ${voters.length} voters answer${` (${answering.join(', ')})`}, quorum needs ${quorumOf(voters.length)}`
  return new UserError(
    `the cluster has lost its quorum: ${count}; not answering: ${them}. Every membership change, and reading the cluster through raft, needs a quorum of the voters, so etcdplan can neither plan nor change anything. Nothing was changed.`,
    QUORUM_RECOVERY_HINT,
    1,
    'quorum-lost',
    {answering, endpoints: error.statuses.map((s) => ({endpoint: s.endpoint, error: s.error}))},
  )
}
