// What `init` says when the cluster cannot be read. The shared explanation (src/cluster/
// explain-unreachable.ts) tells nobody-answers from a lost quorum; init adds what its user can act
// on: the endpoints are flags here, not a spec, so a TLS handshake failure (src/cluster/tls-failure.ts,
// which side refused and why) is answered with the flag to change.
import {unreachable} from '../cluster/explain-unreachable.js'
import type {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import {ETCDCTL_TLS_FLAGS, tlsFailureHint, tlsFailureOf} from '../cluster/tls-failure.js'
import type {TlsFiles} from '../spec/types.js'
import {UserError} from '../user-error.js'

export function explainInitUnreachable(error: ClusterUnreachableError, tls: TlsFiles | undefined): UserError {
  const shared = unreachable(error)
  const failures = error.errors.map((e) => tlsFailureOf(e))
  const tlsFailure = failures.find((f) => f !== null)
  if (tlsFailure !== undefined && tlsFailure !== null) {
    const where = error.endpoints.join(', ')
    const which = tlsFailure.kind === 'server-not-trusted' && tls?.ca !== undefined ? ` (--cacert ${tls.ca})` : ''
    return new UserError(`cannot read the cluster at ${where}: the TLS handshake failed: ${tlsFailure.message}${which}; nothing was written`, tlsFailureHint(tlsFailure.kind, ETCDCTL_TLS_FLAGS, tls?.cert !== undefined), 1, 'tls-handshake-failed', shared.data)
  }
  if (shared.code !== 'cluster-unreachable') return new UserError(`${shared.message} Nothing was written.`, shared.hint, shared.exitCode, shared.code, shared.data)
  const each = error.endpoints.map((e, i) => `${e} (${error.errors[i]})`).join(', ')
  return new UserError(`cannot reach the cluster: no endpoint answered: ${each}; nothing was written`, 'check that the members run and that --endpoints names their client URLs (as `etcdctl --endpoints URL member list` takes them); https endpoints need --cacert, and --cert/--key when the members check client certificates', 1, 'cluster-unreachable', shared.data)
}
