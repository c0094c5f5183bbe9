// End to end, against real etcd (3.4.23) over TLS on loopback, local provider: cluster.distribute
// copies each new member's certificates to its host before it is added. The runbook's 3 → 3 join
// (etcd1..etcd3 replaced by etcd4..etcd6), every member with its own "host" directory for its PKI
// (hosts/<name>/pki, standing for its /etc/etcd/pki); the new members' certificate files exist only in
// distribute.from (the test PKI's directory on the apply machine) until the plan copies them.
// Proves:
// - the plan shows a copy-certificates step per new member, before its write-config, with paths only;
// - apply ends at the target with every key, each copied file at its host path with mode 0600 and the
//   source's bytes; a second apply changes nothing;
// - no PEM block in any file etcdplan wrote (plan file, journal and state in .etcdplan, rendered
//   configs, logs) except the copied certificate and key files at their host paths.
// Every etcd started here is stopped in `after`.
import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {copyFile, mkdir, mkdtemp, readdir, readFile, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {Etcd3} from 'etcd3'
import {startSourceCluster} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, type LabMember} from '../../lab/migration-spec.js'
import type {Plan} from '../../src/plan/types.js'
import type {Spec} from '../../src/spec/types.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {makeTestPki, type TestPki} from '../fixtures/test-pki.js'
import {writeAndLoadSpec} from '../fixtures/lab-cluster.js'
import {cleanUpLab} from './faults-fixture.js'
import {explain} from './migration-assertions.js'

const KEYS = 40
let dir = ''
let pki: TestPki
let spec: Spec | null = null
let specPath = ''
let members: LabMember[] = []

const hostPki = (name: string): string => join(dir, 'hosts', name, 'pki')
const memberFiles = (name: string): string[] => ['ca.pem', `${name}.pem`, `${name}-key.pem`, `${name}-peer.pem`, `${name}-peer-key.pem`]

function client(urls: readonly string[]): Etcd3 {
  return new Etcd3({hosts: [...urls], credentials: {rootCertificate: Buffer.from(pkiText.ca), certChain: Buffer.from(pkiText.cert), privateKey: Buffer.from(pkiText.key)}})
}
const pkiText = {ca: '', cert: '', key: ''}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-distribute-'))
  members = namedMembers('etcd', await pickLoopbackHosts(6))
  // 127.0.0.1 too: on loopback peers dial from it, and with peer client-cert-auth etcd checks it against the dialer's IP SANs.
  pki = await makeTestPki(join(dir, 'certs'), members.map((m) => ({name: m.name, hosts: [m.host, '127.0.0.1']})))
  pkiText.ca = await readFile(pki.ca, 'utf8')
  pkiText.cert = await readFile(pki.client.cert, 'utf8')
  pkiText.key = await readFile(pki.client.key, 'utf8')
  const written = await writeAndLoadSpec({
    name: 'distribute', dir,
    tls: {pkiDir: pki.dir, memberDir: join(dir, 'hosts', '{name}', 'pki'), cluster: {distribute: {from: pki.dir}}},
    source: members.slice(0, 3),
    target: members.slice(3),
    join: {learner: true, rollingRestart: false},
    timeouts: {health: '20s', step: '60s', catchUp: '60s'},
  })
  spec = written.spec
  specPath = written.path
  // The source members' hosts have their certificates already (the operator's, not etcdplan's doing).
  for (const m of members.slice(0, 3)) {
    await mkdir(hostPki(m.name), {recursive: true})
    for (const f of memberFiles(m.name)) await copyFile(join(pki.dir, f), join(hostPki(m.name), f))
  }
  await startSourceCluster(spec)
  const etcd = client(spec.source.members.map((m) => m.clientURL))
  try {
    for (let i = 0; i < KEYS; i++) await etcd.put(`/e2e/distribute/${String(i).padStart(3, '0')}`).value(`value-${i}`)
  } finally {
    etcd.close()
  }
})

after(async () => {
  await cleanUpLab({diagnostic: () => {}}, dir, spec)
})

test('the plan copies each new member\'s certificates before its config is written, paths only', {timeout: 60_000}, async () => {
  const planPath = join(dir, 'distribute.plan.json')
  const result = await runCliAsync(['plan', specPath, '-o', planPath, '--no-color'], {cwd: dir, timeoutMs: 30_000})
  assert.equal(result.status, 0, explain(result))
  const plan = JSON.parse(await readFile(planPath, 'utf8')) as Plan
  const ids = plan.steps.map((s) => s.id)
  for (const m of members.slice(3)) {
    const copy = plan.steps.find((s) => s.id === `copy-certificates/${m.name}`)
    assert.ok(copy !== undefined && copy.kind === 'copy-certificates', `no copy step for ${m.name}: ${ids.join(', ')}`)
    assert.ok(ids.indexOf(copy.id) < ids.indexOf(`write-config/${m.name}`), 'copied before its config is written')
    assert.ok(ids.indexOf(copy.id) > ids.indexOf('preflight'))
    assert.deepEqual(copy.files, memberFiles(m.name).map((f) => ({from: join(pki.dir, f), to: join(hostPki(m.name), f)})))
    const check = plan.steps[0]!.preconditions.find((p) => p.check === 'certificates-valid' && p.member === m.name)
    assert.match(check?.description ?? '', new RegExp(`in distribute\\.from ${pki.dir}.*server certificate ${join(pki.dir, `${m.name}.pem`)}`))
  }
  assert.match(result.stdout, /copy-certificates\/etcd4/)
})

test('apply copies the certificates, joins over TLS and ends at the target with every key; no PEM anywhere else', {timeout: 300_000}, async () => {
  const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 280_000})
  assert.equal(result.status, 0, explain(result))
  const done = jsonEvents(result.stdout).filter((e) => e.type === 'step-done' && String(e.id).startsWith('copy-certificates/')).map((e) => e.id)
  assert.deepEqual(done.sort(), members.slice(3).map((m) => `copy-certificates/${m.name}`))
  for (const m of members.slice(3)) {
    for (const f of memberFiles(m.name)) {
      const copied = join(hostPki(m.name), f)
      assert.equal((await stat(copied)).mode & 0o777, 0o600, `${copied} has mode 0600`)
      assert.equal(await readFile(copied, 'utf8'), await readFile(join(pki.dir, f), 'utf8'))
    }
  }
  const etcd = client(members.slice(3).map((m) => `https://${m.host}:2379`))
  try {
    const list = await etcd.cluster.memberList({linearizable: true})
    assert.deepEqual(list.members.map((m) => m.name).sort(), members.slice(3).map((m) => m.name))
    assert.equal((await etcd.getAll().prefix('/e2e/distribute/').keys()).length, KEYS)
    assert.equal(await etcd.get('/e2e/distribute/007').string(), 'value-7')
  } finally {
    etcd.close()
  }

  // No PEM block in anything etcdplan wrote, but the copies the operator asked for.
  const allowed = new Set(members.flatMap((m) => memberFiles(m.name).map((f) => join(hostPki(m.name), f))))
  const offenders: string[] = []
  let walked = 0
  for (const file of await walk(dir)) {
    if (file.startsWith(`${pki.dir}/`) || allowed.has(file)) continue // the operator's PKI, and the certificate copies
    walked++
    if ((await readFile(file)).includes('-----BEGIN')) offenders.push(relative(dir, file))
  }
  assert.deepEqual(offenders, [], 'files holding a PEM block')
  assert.ok(walked > 10, `walked the plan, journal, configs and logs (${walked} files)`)
})

test('a second apply copies nothing and changes nothing', {timeout: 120_000}, async () => {
  const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 100_000})
  assert.equal(result.status, 0, explain(result))
  const started = jsonEvents(result.stdout).filter((e) => e.type === 'step-start').map((e) => String(e.id))
  assert.deepEqual(started.filter((id) => id.startsWith('copy-certificates/')), [], `nothing to copy again: ${started.join(', ')}`)
})

async function walk(root: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(root, {withFileTypes: true})) {
    const path = join(root, entry.name)
    if (entry.isDirectory()) out.push(...(await walk(path)))
    else if (entry.isFile()) out.push(path)
  }
  return out
}
