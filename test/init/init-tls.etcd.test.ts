// `etcdplan init` against a real 3-member etcd 3.4.23 cluster with TLS on every URL and
// client-cert-auth (a throwaway PKI made with openssl at run time, test/fixtures/test-pki.ts): with
// --cacert --cert --key it reads the cluster and writes cluster.tls (absolute paths), memberTLS and
// peerTLS; the user's edit of the target validates and plans live; without --cert/--key the member refuses the
// handshake, and init says so in plain words (no OpenSSL text), exit 1, nothing written. Every etcd
// is stopped in `after`, whatever happened.
import {after, before, describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {Document, isMap, isSeq, parse} from 'yaml'
import {startSourceCluster} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {loadSpecFile} from '../../src/spec/load-spec.js'
import type {Spec} from '../../src/spec/types.js'
import {removeLab} from '../fixtures/lab-cluster.js'
import {runCli} from '../fixtures/run-cli.js'
import {makeTestPki, type TestPki} from '../fixtures/test-pki.js'

let dir = ''
let spec: Spec | null = null
let pki: TestPki | undefined
let hosts: string[] = []
const names = ['etcd1', 'etcd2', 'etcd3']

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etcdplan-init-tls-'))
  hosts = await pickLoopbackHosts(4)
  // One peer certificate for every member (cluster.peerTLS is one for all): valid for every member's
  // address and for 127.0.0.1, the source address of connections between loopback addresses, which
  // etcd checks a peer's client certificate against (peer-client-cert-auth: "certificate is valid for
  // 127.A.B.1, not 127.0.0.1").
  pki = await makeTestPki(join(dir, 'pki'), [...names.map((name, i) => ({name, hosts: [hosts[i]!]})), {name: 'members', hosts: [...hosts.slice(0, 3), '127.0.0.1']}])
  const thePki = pki
  // The running cluster, as its operator set it up: https everywhere, client-cert-auth on client and
  // peer URLs. Each member's server certificate goes in its config (the supported way before memberTLS).
  const doc = new Document({
    apiVersion: 'etcdplan/v1',
    kind: 'Migration',
    name: 'init-tls-lab',
    cluster: {token: 'init-tls-token', tls: {ca: thePki.ca, ...thePki.client}, peerTLS: {ca: thePki.ca, ...thePki.peer('members')}},
    source: {
      members: names.map((name, i) => ({
        name,
        peerURL: `https://${hosts[i]}:2380`,
        clientURL: `https://${hosts[i]}:2379`,
        config: {'client-transport-security': {'cert-file': thePki.server(name).cert, 'key-file': thePki.server(name).key, 'trusted-ca-file': thePki.ca, 'client-cert-auth': true}},
      })),
    },
    target: {members: [{name: 'etcd1', peerURL: `https://${hosts[0]}:2380`, clientURL: `https://${hosts[0]}:2379`}]},
    nodes: {provider: 'local', local: {workDir: join(dir, 'nodes')}},
  })
  for (const side of ['source', 'target']) {
    const list = doc.getIn([side, 'members'], true)
    if (isSeq(list)) for (const item of list.items) if (isMap(item)) item.flow = true
  }
  const labSpec = join(dir, 'lab.yaml')
  await writeFile(labSpec, doc.toString({lineWidth: 0}))
  const loaded = await loadSpecFile(labSpec)
  assert.ok(loaded.spec, loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'))
  spec = loaded.spec
  await startSourceCluster(spec)
})
after(() => removeLab(dir, spec))

describe('etcdplan init, TLS cluster with client-cert-auth', () => {
  it('with --cacert --cert --key: source as the cluster lists it, cluster.tls by absolute paths, memberTLS and peerTLS', () => {
    const thePki = pki!
    // Relative flags, as a user types them: the spec must name the same files from anywhere.
    const rel = (path: string) => relative(dir, path)
    const r = runCli(['init', '--endpoints', `https://${hosts[1]}:2379`, '--cacert', rel(thePki.ca), '--cert', rel(thePki.client.cert), '--key', rel(thePki.client.key), '-o', 'tls.yaml'], {cwd: dir})
    assert.equal(r.status, 0, r.stderr)
    const text = readFileSync(join(dir, 'tls.yaml'), 'utf8')
    const written = parse(text) as {cluster: {tls: unknown; memberTLS: Record<string, unknown>; peerTLS: Record<string, unknown>}; source: {members: unknown[]}; target: {members: unknown}}
    assert.deepEqual(written.cluster.tls, {ca: thePki.ca, cert: thePki.client.cert, key: thePki.client.key})
    assert.deepEqual(written.cluster.memberTLS, {ca: '/etc/etcd/pki/ca.pem', cert: '/etc/etcd/pki/{name}.pem', key: '/etc/etcd/pki/{name}-key.pem', clientCertAuth: true})
    assert.deepEqual(written.cluster.peerTLS, {ca: '/etc/etcd/pki/ca.pem', cert: '/etc/etcd/pki/{name}-peer.pem', key: '/etc/etcd/pki/{name}-peer-key.pem', clientCertAuth: true})
    assert.match(text, /# CHECK: init cannot see where the members' certificates are on their hosts/)
    assert.deepEqual(written.source.members, names.map((name, i) => ({name, peerURL: `https://${hosts[i]}:2380`, clientURL: `https://${hosts[i]}:2379`})))
    assert.equal((text.match(/, etcd 3\.4\.23/g) ?? []).length, 3)
  })

  it("the user's edit of the target validates, and plan reads the cluster over TLS", () => {
    const path = join(dir, 'tls.yaml')
    const edited = readFileSync(path, 'utf8')
      .replace(/^ {4}# (- \{name: etcd[23], .*# keep)$/gm, '    $1')
      .replace(/^ {4}# - \{name: etcd4, (.*)$/m, (_line, rest: string) => `    - {name: etcd4, ${rest.replaceAll('<host-of-etcd4>', hosts[3]!)}`)
    assert.match(edited, /^ {4}- \{name: etcd4, peerURL: https:\/\/[\d.]+:2380, clientURL: https:\/\/[\d.]+:2379\}/m)
    writeFileSync(path, edited)
    const validated = runCli(['validate', 'tls.yaml'], {cwd: dir})
    assert.equal(validated.status, 0, validated.stdout + validated.stderr)
    // And plan reads the cluster over TLS with the identity init wrote into cluster.tls.
    const planned = runCli(['plan', 'tls.yaml', '--json'], {cwd: dir})
    assert.equal(planned.status, 0, planned.stderr)
    const plan = JSON.parse(planned.stdout) as {observation: {mode: string}; summary: unknown}
    assert.equal(plan.observation.mode, 'live')
    assert.deepEqual(plan.summary, {add: 1, change: 1, remove: 1, configRewrites: 1, restarts: 1})
  })

  it('without --cert/--key: exit 1, the handshake failure in plain words, no file', () => {
    const r = runCli(['init', '--endpoints', `https://${hosts[0]}:2379`, '--cacert', pki!.ca, '-o', 'no-cert.yaml'], {cwd: dir})
    assert.equal(r.status, 1)
    assert.match(r.stderr, /the TLS handshake failed: the member refused etcdplan's client certificate \(TLS alert 42: bad certificate\).*; nothing was written/)
    assert.match(r.stderr, /require a client certificate \(client-cert-auth\) and none was given: set --cert and --key/)
    assert.doesNotMatch(r.stderr, /SSL routines|ssl3_|alert number|\.c:\d+/, 'no raw OpenSSL text')
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
    assert.equal(existsSync(join(dir, 'no-cert.yaml')), false)
  })

  it('a --cacert that did not sign the members: exit 1, says which CA, no file', () => {
    // etcd1's server certificate is no CA: the chain cannot be verified against it.
    const r = runCli(['init', '--endpoints', `https://${hosts[0]}:2379`, '--cacert', pki!.server('etcd1').cert, '--cert', pki!.client.cert, '--key', pki!.client.key, '-o', 'wrong-ca.yaml'], {cwd: dir})
    assert.equal(r.status, 1)
    assert.match(r.stderr, /the member's certificate is not signed by the CA etcdplan was given .*\(--cacert .*etcd1\.pem\)/)
    assert.match(r.stderr, /set --cacert/)
    assert.equal(existsSync(join(dir, 'wrong-ca.yaml')), false)
  })
})
