// A TLS cluster that etcdplan's own TLS settings do not fit, against real etcd on loopback (one member
// with client-cert-auth): no client certificate, one from a foreign CA, the wrong CA for the servers,
// and a server certificate that does not name the member's address. Each `plan` exits 1 with the
// spec's setting to fix (code tls-handshake-failed), no OpenSSL internals and no hint to plan
// --offline, and `status` shows the same words per member. The cluster is stopped in `after`.
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {localProvider, startSourceCluster, stopAllMembers} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {issueCert, makeCa, makeTestPki, type TestPki} from '../../lab/test-pki.js'
import type {Spec} from '../../src/spec/types.js'
import {writeAndLoadSpec} from '../fixtures/lab-cluster.js'
import {runCli} from '../fixtures/run-cli.js'
import {tempDir} from '../fixtures/temp-dir.js'

const OPENSSL_INTERNALS = /ssl3_|rec_layer|SSL routines|alert number/

describe('TLS settings that do not fit the cluster: plan and status say which setting to fix', () => {
  const dir = tempDir('etcdplan-tls-errors-')
  const pkiDir = join(dir, 'pki')
  let spec: Spec | null = null
  let specText = ''
  let pki: TestPki

  before(async () => {
    const [host, spare] = await pickLoopbackHosts(2)
    pki = await makeTestPki(pkiDir, [{name: 'etcd1', hosts: [host!, '127.0.0.1']}, {name: 'etcd2', hosts: [spare!]}])
    const foreign = await makeCa(pkiDir, 'foreign-ca', 'another CA')
    await issueCert(pkiDir, 'foreign-client', {commonName: 'someone', ca: foreign})
    const loaded = await writeAndLoadSpec({name: 'tls-errors', dir, source: [{name: 'etcd1', host: host!}], target: [{name: 'etcd2', host: spare!}], tls: {pkiDir}})
    spec = loaded.spec
    specText = loaded.text
    await startSourceCluster(spec)
  })
  after(async () => {
    if (spec !== null) await stopAllMembers(spec)
  })

  const planWith = (name: string, text: string) => {
    const path = join(dir, `${name}.yaml`)
    writeFileSync(path, text)
    return {plan: runCli(['plan', path, '--json'], {cwd: dir}), text: runCli(['plan', path], {cwd: dir}), status: runCli(['status', path], {cwd: dir})}
  }
  const expectRefusal = (r: ReturnType<typeof planWith>, message: RegExp, hint: RegExp) => {
    assert.equal(r.plan.status, 1, r.plan.stdout + r.plan.stderr)
    const {error} = JSON.parse(r.plan.stdout)
    assert.equal(error.code, 'tls-handshake-failed', r.plan.stdout)
    assert.match(error.message, message)
    assert.match(error.hint, hint)
    assert.equal(r.text.status, 1)
    assert.match(r.text.stderr, message)
    assert.doesNotMatch(r.text.stderr, OPENSSL_INTERNALS)
    assert.doesNotMatch(r.text.stderr, /--offline/)
    assert.doesNotMatch(r.status.stdout + r.status.stderr, OPENSSL_INTERNALS)
    assert.match(r.status.stdout, /TLS: /)
  }

  it('no client certificate: names cluster.tls.cert and key', () => {
    const text = specText.replace(/\n {4}cert: .*etcdplan\.pem\n {4}key: .*etcdplan-key\.pem/, '')
    assert.notEqual(text, specText)
    expectRefusal(planWith('no-client-cert', text), /refused etcdplan's client certificate \(TLS alert 42: bad certificate\)/, /cluster\.tls\.cert and cluster\.tls\.key/)
  })
  it('a client certificate from another CA: the same, with the trusted CA to use', () => {
    const text = specText.replace('etcdplan.pem', 'foreign-client.pem').replace('etcdplan-key.pem', 'foreign-client-key.pem')
    expectRefusal(planWith('foreign-client', text), /refused etcdplan's client certificate/, /signed by the CA in the members' trusted-ca-file/)
  })
  it('the wrong CA for the servers: names cluster.tls.ca', () => {
    const text = specText.replace(/(\n {2}tls:\n {4}ca: .*)\/ca\.pem/, '$1/foreign-ca.pem')
    assert.notEqual(text, specText)
    expectRefusal(planWith('wrong-ca', text), /is not signed by the CA etcdplan was given/, /set cluster\.tls\.ca/)
  })
  it("a server certificate without the member's address: x509's words", async () => {
    const etcd1 = spec!.source.members[0]!
    const host = new URL(etcd1.clientURL).hostname
    await issueCert(pkiDir, 'etcd1', {commonName: 'etcd1', hosts: ['127.0.0.9'], ca: {cert: pki.ca, key: pki.caKey}})
    await localProvider(spec!).restart(etcd1, etcd1.configFile, 10_000)
    expectRefusal(planWith('san', readFileSync(join(dir, 'tls-errors.yaml'), 'utf8')), new RegExp(`certificate is valid for 127\\.0\\.0\\.9, not ${host.replace(/\./g, '\\.')}`), /reissue the certificate with a SAN/)
  })
})
