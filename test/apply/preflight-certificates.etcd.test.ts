// End to end, against real etcd (3.4.23) over TLS on loopback: a new member's certificates are checked
// in the preflight, on its host through the local provider, before the first `member add` — etcd
// itself would find a bad one only at start or at the first TLS connection, after the member was
// added. One TLS source cluster (etcd1..etcd3, certificates from a test PKI made at run time) serves
// every case; each case is a 3 → 3 migration (etcd3 replaced by etcd4) whose etcd4 has its own `tls`
// pointing at a wrong file:
// - a certificate issued for another address (etcd1's): `valid for <etcd1's address>, not <etcd4's>`;
// - etcd4's certificate with the key of another certificate;
// - a certificate issued by a foreign CA;
// - a certificate file that does not exist;
// - a certificate expiring in 10 days: a warning only, the preflight goes on (to a data dir left
//   non-empty on purpose, so that the case stops there without migrating).
// Proves, for each: `etcdplan apply` exits 1 at preflight (no step after it started), the message
// names etcd4, the file and the fix, and says nothing was changed; the member list and the revision
// are what they were before any case ran. Every etcd started here is stopped in `after`.
import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdir, mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {isMap, isSeq, parseDocument} from 'yaml'
import {startSourceCluster, stopAllMembers} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, writeMigrationSpec, type LabMember} from '../../lab/migration-spec.js'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import {observeCluster} from '../../src/cluster/observe-cluster.js'
import type {Spec} from '../../src/spec/types.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {issueCert, makeCa, makeTestPki, type TestPki} from '../fixtures/test-pki.js'
import {writeAndLoadSpec} from '../fixtures/lab-cluster.js'
import {loadSpecFile} from '../../src/spec/load-spec.js'
import {assertFailedAt, cleanUpLab, membership, memberOf} from './faults-fixture.js'

let dir = ''
let pki: TestPki
let source: Spec | null = null
let members: LabMember[] = []
const caseSpecs: Spec[] = []
let before_: {membership: ReturnType<typeof membership>; revision: number | null} | null = null

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-preflight-certs-'))
  members = namedMembers('etcd', await pickLoopbackHosts(4))
  // 127.0.0.1 too: on loopback a peer dials from 127.0.0.1, and with peer client-cert-auth etcd checks
  // the dialing peer's IP SANs against that source address (`rejected connection ... certificate is
  // valid for 127.x.y.2, not 127.0.0.1`, seen with 3.4.23).
  pki = await makeTestPki(join(dir, 'pki'), members.map((m) => ({name: m.name, hosts: [m.host, '127.0.0.1']})))
  source = (await writeAndLoadSpec({name: 'preflight-certs', dir, tls: {pkiDir: pki.dir}, source: members.slice(0, 3), target: members.slice(0, 3), timeouts: {health: '20s', step: '30s'}})).spec
  await startSourceCluster(source)
  before_ = await cluster()
})

after(async () => {
  for (const spec of caseSpecs) await stopAllMembers(spec)
  await cleanUpLab({diagnostic: () => {}}, dir, source)
})

async function cluster(): Promise<{membership: ReturnType<typeof membership>; revision: number | null}> {
  const endpoints = new EtcdEndpoints({callTimeoutMs: 5000, tls: {ca: pki.ca, cert: pki.client.cert, key: pki.client.key}})
  try {
    const observed = await observeCluster(endpoints, source!.source.members.map((m) => m.clientURL), {statusTimeoutMs: 3000})
    const revisions = [...new Set(observed.statuses.map((s) => s.revision))]
    assert.equal(revisions.length, 1, `members disagree on the revision: ${revisions.join(', ')}`)
    assert.equal(observed.members.length, 3)
    return {membership: membership(observed), revision: revisions[0] ?? null}
  } finally {
    endpoints.close()
  }
}

/** A case's TLS spec in its own directory: etcd1, etcd2 kept, etcd3 replaced by etcd4, whose own tls is `tls`. */
async function caseSpec(name: string, tls: {cert: string; key: string}): Promise<{path: string; spec: Spec; cwd: string}> {
  const cwd = join(dir, name)
  const written = await writeMigrationSpec({
    name, dir: cwd,
    tls: {pkiDir: pki.dir},
    source: members.slice(0, 3),
    target: [members[0]!, members[1]!, members[3]!],
    join: {learner: true, rollingRestart: false},
    timeouts: {health: '20s', step: '30s'},
  })
  const doc = parseDocument(written.text)
  const list = doc.getIn(['target', 'members'], true)
  assert.ok(isSeq(list))
  const etcd4 = list.items.find((i) => isMap(i) && i.get('name') === 'etcd4')
  assert.ok(isMap(etcd4))
  etcd4.set('tls', doc.createNode(tls))
  await writeFile(written.path, doc.toString({lineWidth: 0}))
  const loaded = await loadSpecFile(written.path)
  assert.ok(loaded.spec, loaded.diagnostics.map((d) => d.message).join('\n'))
  caseSpecs.push(loaded.spec)
  return {path: written.path, spec: loaded.spec, cwd}
}

async function applyJson(specPath: string, cwd: string): Promise<Awaited<ReturnType<typeof runCliAsync>>> {
  return runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd, timeoutMs: 90_000})
}

/** apply fails at preflight, with `expected` in the message and the hint, saying nothing changed; the cluster is as before. */
async function assertRefusedAtPreflight(specPath: string, cwd: string, expected: readonly RegExp[], hint?: RegExp): Promise<void> {
  const result = await applyJson(specPath, cwd)
  const refusal = assertFailedAt(result, 'preflight')
  for (const pattern of expected) assert.match(refusal.message, pattern)
  assert.match(refusal.message, /Nothing was changed: the preflight runs before the first change/)
  if (hint !== undefined) assert.match(refusal.hint, hint)
  assert.ok(!/PRIVATE KEY/.test(result.stdout + result.stderr), 'no key material in the output')
  assert.deepEqual(await cluster(), before_, 'the membership or the revision changed')
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

test('a certificate issued for another address is refused at preflight: valid for X, not Y', {timeout: 120_000}, async () => {
  const wrong = pki.server('etcd1')
  const {path, cwd} = await caseSpec('san-mismatch', wrong)
  const etcd4 = members[3]!.host
  await assertRefusedAtPreflight(
    path, cwd,
    [/precondition certificates-valid/, new RegExp(`etcd4's server certificate ${escape(wrong.cert)} is valid for ${escape(members[0]!.host)}, 127\\.0\\.0\\.1, not ${escape(etcd4)} \\(the host of its clientURL https://${escape(etcd4)}:2379\\)`)],
    new RegExp(`reissue it with a SAN for ${escape(etcd4)}`),
  )
})

test("a certificate with another certificate's key is refused at preflight", {timeout: 120_000}, async () => {
  const {path, cwd} = await caseSpec('key-mismatch', {cert: pki.server('etcd4').cert, key: pki.server('etcd1').key})
  await assertRefusedAtPreflight(path, cwd, [new RegExp(`etcd4's server certificate key ${escape(pki.server('etcd1').key)} does not match ${escape(pki.server('etcd4').cert)}`)])
})

test('a certificate from a foreign CA is refused at preflight', {timeout: 120_000}, async () => {
  const foreignDir = join(dir, 'foreign-pki')
  await mkdir(foreignDir, {recursive: true})
  const foreign = await makeCa(foreignDir, 'foreign-ca', 'a foreign CA')
  const cert = await issueCert(foreignDir, 'etcd4', {commonName: 'etcd4', hosts: [members[3]!.host], ca: foreign})
  const {path, cwd} = await caseSpec('foreign-ca', cert)
  await assertRefusedAtPreflight(path, cwd, [new RegExp(`etcd4's server certificate ${escape(cert.cert)} is not issued by the CA in ${escape(pki.ca)} .*signed by unknown authority`)])
})

test('a certificate file that does not exist is refused at preflight, naming it', {timeout: 120_000}, async () => {
  const missing = join(dir, 'nowhere', 'etcd4.pem')
  const {path, cwd} = await caseSpec('missing-cert', {cert: missing, key: pki.server('etcd4').key})
  await assertRefusedAtPreflight(path, cwd, [new RegExp(`etcd4.* ${escape(missing)} \\(no such file\\)|etcd4's server certificate ${escape(missing)} cannot be read: no such file`)])
})

test('a certificate expiring in 10 days is a warning at preflight, not a refusal', {timeout: 120_000}, async () => {
  const soonDir = join(dir, 'soon-pki')
  await mkdir(soonDir, {recursive: true})
  const soon = await issueCert(soonDir, 'etcd4', {commonName: 'etcd4', hosts: [members[3]!.host], days: 10, ca: {cert: pki.ca, key: pki.caKey}})
  const {path, cwd, spec} = await caseSpec('expiring', soon)
  // The case stops after the certificate check, at data-dir-empty: no migration needed to see the warning.
  const dataDir = memberOf(spec, 'etcd4').dataDir
  await mkdir(dataDir, {recursive: true})
  await writeFile(join(dataDir, 'left-over'), 'stops the preflight after the certificate check')
  const result = await applyJson(path, cwd)
  const {message} = assertFailedAt(result, 'preflight')
  assert.match(message, /precondition data-dir-empty/, 'the certificate check passed (it is a warning) and the preflight went on')
  const warnings = jsonEvents(result.stdout).filter((e) => e.type === 'step-warning' && e.id === 'preflight').map((e) => String(e.warning))
  assert.ok(warnings.some((w) => new RegExp(`^etcd4's server certificate ${escape(soon.cert)} expires in (9|10) days, on .*: reissue it soon`).test(w)), warnings.join('\n'))
  assert.deepEqual(await cluster(), before_)
})
