// findStartFailure against real etcd 3.4.23 and 3.5.16 logs (test/fixtures/etcd-logs/, README there): each failed
// start is read as the line that says why, rendered as etcd's message and error (a long struct cut
// out), preferring a named cause over the fatal line that only says something failed; a start that
// went well, and lines that healthy members write too, give null.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'
import {findStartFailure} from '../../src/apply/etcd-start-failure.js'
import {repoRoot} from '../fixtures/repo-root.js'

function captured(name: string): string {
  return readFileSync(join(repoRoot, 'test/fixtures/etcd-logs', name), 'utf8')
}

function textOf(name: string): string | null {
  return findStartFailure(captured(name))?.text ?? null
}

test('a port in use: the warning that names the address', () => {
  assert.equal(textOf('client-port-in-use.log'), 'failed to start etcd: listen tcp 127.0.77.2:2379: bind: address already in use')
  assert.equal(textOf('peer-port-in-use.log'), 'failed to start etcd: listen tcp 127.0.77.2:2380: bind: address already in use')
})

test('an initial-cluster the cluster does not match: the cause, with the cluster struct etcd prints cut out', () => {
  assert.equal(textOf('member-count-unequal.log'), 'failed to start etcd: error validating peerURLs {…}: member count is unequal')
  assert.equal(textOf('local-name-missing.log'), 'failed to start etcd: couldn\'t find local name "b" in the initial cluster configuration')
  assert.match(textOf('peer-urls-no-match.log') ?? '', /^failed to start etcd: error validating peerURLs \{…\}: PeerURLs: no match found for existing member \(114334fed0b2934e, \[http:\/\/127\.0\.77\.2:2380\]\), last resolver error/)
})

test('a peer certificate that does not verify: the x509 warning, not the fatal line after it that only says discovery failed', () => {
  const found = findStartFailure(captured('x509-peer-certificate.log'))
  assert.equal(found?.text, 'failed to get cluster response: Get "https://127.0.77.5:2380/members": x509: certificate is valid for 127.0.77.99, not 127.0.77.5')
  assert.match(found?.line ?? '', /^\{"level":"warn",.*"msg":"failed to get cluster response"/)
})

test('no peer answers: the fatal line (connection refused alone is not a cause: a peer may be restarting)', () => {
  assert.equal(textOf('peers-unreachable.log'), 'discovery failed: cannot fetch cluster info from peer urls: could not retrieve cluster information from the given URLs')
  assert.equal(findStartFailure(captured('peers-unreachable.log').split('\n').filter((l) => !l.includes('"level":"fatal"')).filter((l) => !l.includes('failed to start etcd')).join('\n')), null)
})

test('flags and config etcd refuses: the warning it exits after, and the plain-text lines written before its logger runs', () => {
  assert.equal(textOf('election-timeout-refused.log'), 'failed to verify flags: --election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[500ms]')
  assert.equal(textOf('unknown-flag.log'), 'flag provided but not defined: -bogus-flag')
  assert.equal(textOf('config-file-yaml.log'), 'etcdmain: error verifying flags, error converting YAML to JSON: yaml: line 3: did not find expected \',\' or \']\'. See \'etcd --help\'.')
})

test('an etcd that keeps running in another cluster: the cluster ID mismatch it repeats', () => {
  assert.equal(textOf('cluster-id-mismatch.log'), 'request sent was ignored by remote peer due to cluster ID mismatch: cluster ID mismatch')
})

test('a start that went well gives null, its warnings included (failed to find remote peer, lost streams at shutdown)', () => {
  const healthy = captured('healthy-join.log')
  assert.match(healthy, /"level":"warn".*failed to find remote peer in cluster/)
  assert.equal(findStartFailure(healthy), null)
  assert.equal(findStartFailure(''), null)
})

test('a rejected client connection is not this member\'s failure, even with a certificate error', () => {
  const line = '{"level":"warn","ts":"2026-12-01T11:12:00.000Z","caller":"embed/config_logging.go:279","msg":"rejected connection","remote-addr":"127.0.0.1:50000","server-name":"","error":"tls: failed to verify certificate: x509: certificate signed by unknown authority"}'
  assert.equal(findStartFailure(line), null)
  const fatal = '{"level":"fatal","ts":"2026-12-01T11:12:00.000Z","caller":"etcdmain/etcd.go:271","msg":"discovery failed","error":"boom"}'
  assert.equal(findStartFailure(`${line}\n${fatal}`)?.text, 'discovery failed: boom')
})

// etcd 3.5.16 (Debian trixie) writes the same messages (test/fixtures/etcd-logs/3.5/, README there).
test('etcd 3.5.16: the same causes, read from its own logs; a healthy 3.5 join gives null', () => {
  assert.equal(textOf('3.5/client-port-in-use.log'), 'failed to start etcd: listen tcp 127.0.78.2:2379: bind: address already in use')
  assert.equal(textOf('3.5/member-count-unequal.log'), 'failed to start etcd: error validating peerURLs {…}: member count is unequal')
  assert.equal(textOf('3.5/local-name-missing.log'), 'failed to start etcd: couldn\'t find local name "b" in the initial cluster configuration')
  assert.equal(findStartFailure(captured('3.5/healthy-join.log')), null)
})

test('a 3.4.23 member started against a 3.5 cluster (what the version preflight prevents): incompatible with current running cluster', () => {
  assert.equal(textOf('3.5/v34-joining-v35-cluster.log'), 'failed to start etcd: incompatible with current running cluster')
})
