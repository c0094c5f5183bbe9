// What `init` says when the cluster cannot be read. The shared explanation (src/cluster/
// explain-unreachable.ts) tells nobody-answers from a lost quorum; init adds what its user can act
// on: the endpoints are flags here, not a spec, and a TLS handshake failure is named as such (which
// side refused and why) instead of grpc's and OpenSSL's words.
import {unreachable} from '../cluster/explain-unreachable.js'
import type {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import type {TlsFiles} from '../spec/types.js'
import {UserError} from '../user-error.js'
import {tlsProblem} from './tls-problem.js'

export function explainInitUnreachable(error: ClusterUnreachableError, tls: TlsFiles | undefined): UserError {
  const shared = unreachable(error)
  if (shared.code !== 'cluster-unreachable') return new UserError(`${shared.message} Nothing was written.`, shared.hint, shared.exitCode, shared.code, shared.data)
  const errors = error.errors.map(withoutTimestamp)
  const problems = errors.map((e) => tlsProblem(e, tls))
  const tlsFailures = problems.filter((p) => p !== null)
  if (tlsFailures.length > 0 && tlsFailures.length === problems.length) {
    const first = tlsFailures[0]!
    const where = error.endpoints.join(', ')
    return new UserError(`cannot read the cluster at ${where}: the TLS handshake failed: ${first.problem}; nothing was written`, first.hint, 1, 'cluster-unreachable', {
      endpoints: error.endpoints.map((endpoint, i) => ({endpoint, error: problems[i]?.problem ?? errors[i] ?? null})),
    })
  }
  const each = error.endpoints.map((e, i) => `${e} (${problems[i]?.problem ?? errors[i]})`).join(', ')
  return new UserError(`cannot reach the cluster: no endpoint answered: ${each}; nothing was written`, 'check that the members run and that --endpoints names their client URLs (as `etcdctl --endpoints URL member list` takes them); https endpoints need --cacert, and --cert/--key when the members check client certificates', 1, 'cluster-unreachable', shared.data)
}

/** grpc-js appends the time to its connection errors ("Failed to connect (2026-12-01T14:57:30.043Z)"). */
function withoutTimestamp(text: string): string {
  return text.replace(/\s*\(\d{4}-\d\d-\d\dT[\d:.]+Z\)/g, '').trim()
}
