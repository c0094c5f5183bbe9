// etcd's refusals sorted into "not yet" (retry with backoff), "ambiguous" (observe again) and
// "refused" (stop and explain), from the exact strings in etcd-facts.md.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {classifyEtcdError} from '../../src/cluster/etcd-failure.js'

class GRPCFailedPreconditionError extends Error {}
class GRPCDeadlineExceededError extends Error {}

const cases: [Error, string][] = [
  [new GRPCFailedPreconditionError('etcdserver: unhealthy cluster'), 'not-yet'],
  [new GRPCFailedPreconditionError('etcdserver: can only promote a learner member which is in sync with leader'), 'not-yet'],
  [new GRPCFailedPreconditionError('etcdserver: re-configuration failed due to not enough started members'), 'not-yet'],
  [new GRPCFailedPreconditionError('etcdserver: not leader'), 'not-yet'],
  [new GRPCDeadlineExceededError('Deadline exceeded'), 'ambiguous'],
  [new Error('etcdserver: request timed out'), 'ambiguous'],
  [new Error('etcdserver: Peer URLs already exists'), 'ambiguous'],
  [new GRPCFailedPreconditionError('etcdserver: too many learner members in cluster'), 'refused'],
  [new GRPCFailedPreconditionError('etcdserver: bad leader transferee'), 'refused'],
  [new Error('etcdserver: member not found'), 'refused'],
]

for (const [error, kind] of cases) {
  test(`${error.message} → ${kind}`, () => {
    assert.equal(classifyEtcdError(error).kind, kind)
  })
}

test('the gRPC status prefix is dropped from the message', () => {
  assert.equal(classifyEtcdError(new Error('9 FAILED_PRECONDITION: etcdserver: unhealthy cluster')).message, 'etcdserver: unhealthy cluster')
})

test('a refused connection reads as the connection error alone', () => {
  const raw = '14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.1.1:2379. Resolution note: '
  assert.equal(classifyEtcdError(new Error(raw)).message, 'connect ECONNREFUSED 127.0.1.1:2379')
  assert.equal(classifyEtcdError(new Error(raw)).kind, 'ambiguous')
})
