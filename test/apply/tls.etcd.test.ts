// End to end over TLS, against real etcd (3.4 and 3.5) on loopback: the source cluster runs https client and peer
// URLs with client-cert-auth and peer-client-cert-auth, each member with its own server and peer
// certificate (lab/test-pki.ts, made here, removed afterwards), and is migrated 3 → 3 with join (a
// writer connected over TLS puts a key every 20 ms) and with snapshot. Proves: exit 0; exactly the
// target; no key and no acknowledged write lost; each new member's config holds its own certificate
// paths in client- and peer-transport-security; `status` works over TLS; no file etcdplan wrote holds
// a PEM block (plans and journals hold paths, never key material). Every etcd is stopped in `finally`.
import {test} from 'node:test'
import {forEachEtcdVersion, type EtcdUnderTest} from '../fixtures/etcd-versions.js'
import assert from 'node:assert/strict'
import {mkdtemp, readdir, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'yaml'
import type {Spec} from '../../src/spec/types.js'
import {clusterEndpoints} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, type LabMember} from '../../lab/migration-spec.js'
import {makeTestPki} from '../../lab/test-pki.js'
import {startWriter, type Writer} from '../../lab/writer.js'
import {E2E_TIMEOUTS, removeLab, RUNBOOK_JOIN, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, explain, observeLive, readSavedPlan} from './migration-assertions.js'

const KEYS = {count: 2000, valueBytes: 512, prefix: '/e2e/tls/keys/'}

async function tlsLab(prefix: string): Promise<{dir: string; pkiDir: string; members: LabMember[]}> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  const members = namedMembers('etcd', await pickLoopbackHosts(6))
  const pkiDir = join(dir, 'pki')
  // 127.0.0.1 too: with peer-client-cert-auth etcd checks the dialling peer's address against its
  // certificate's SANs, and on loopback every connection comes from 127.0.0.1 (docs/etcd-facts.md).
  await makeTestPki(pkiDir, members.map((m) => ({name: m.name, hosts: [m.host, '127.0.0.1']})))
  return {dir, pkiDir, members}
}

/** Every file under dir except the PKI itself: none may hold a PEM block. */
async function filesWithPem(dir: string, except: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    if (path.startsWith(except + '/')) continue
    if ((await readFile(path)).includes('-----BEGIN')) found.push(path)
  }
  return found
}

forEachEtcdVersion((version: EtcdUnderTest) => {
  test('TLS join 3 → 3 with client-cert-auth on both listeners, under a TLS writer', {timeout: 300_000}, async (t) => {
    const {dir, pkiDir, members} = await tlsLab('etcdplan-e2e-tls-join-')
    let spec: Spec | null = null
    let writer: Writer | null = null
    try {
      const started = await startedSpecCluster({name: 'tls-join', dir, source: members.slice(0, 3), target: members.slice(3), join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS, tls: {pkiDir}, etcd: version.etcd}, KEYS)
      spec = started.spec
      const s = spec
      const tls = s.cluster.tls!
      const targetURLs = s.target.members.map((m) => m.clientURL)
      assert.ok(targetURLs.every((u) => u.startsWith('https://')))

      const status = await runCliAsync(['status', started.path, '--json'], {cwd: dir, timeoutMs: 30_000})
      assert.equal(status.status, 0, explain(status))

      writer = startWriter(clusterEndpoints(s), {intervalMs: 20, prefix: '/e2e/tls/writer/', tls})
      const result = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 240_000})
      const figures = await writer.stop()
      writer = null
      t.diagnostic(`TLS join took ${Math.round(result.durationMs)} ms; writer: ${figures.acknowledged} acknowledged, ${figures.failedAttempts} failed attempts, max stall ${Math.round(figures.maxStallMs)} ms`)
      assert.equal(result.status, 0, explain(result))
      assert.equal(jsonEvents(result.stdout).at(-1)?.type, 'apply-done', explain(result))

      await assertExactMembership(targetURLs, s.target.members, 'is a learner', tls)
      await assertDataIntact(targetURLs, {...KEYS, tls}, figures)
      const plan = await readSavedPlan(dir, 'tls-join')
      await assertConfigsMatchPlan(plan, s.target.members)
      for (const m of s.target.members) {
        const config = parse(await readFile(m.configFile, 'utf8'))
        assert.deepEqual(config['client-transport-security'], {'cert-file': join(pkiDir, `${m.name}.pem`), 'key-file': join(pkiDir, `${m.name}-key.pem`), 'trusted-ca-file': join(pkiDir, 'ca.pem'), 'client-cert-auth': true}, m.name)
        assert.deepEqual(config['peer-transport-security'], {'cert-file': join(pkiDir, `${m.name}-peer.pem`), 'key-file': join(pkiDir, `${m.name}-peer-key.pem`), 'trusted-ca-file': join(pkiDir, 'ca.pem'), 'client-cert-auth': true}, m.name)
      }

      const after = await runCliAsync(['status', started.path, '--json'], {cwd: dir, timeoutMs: 30_000})
      assert.equal(after.status, 0, explain(after))
      assert.deepEqual(await filesWithPem(dir, pkiDir), [])
    } finally {
      try {
        if (writer !== null) await writer.stop()
      } finally {
        await removeLab(dir, spec)
      }
    }
  })

  test('TLS snapshot 3 → 3: restored members serve https with their own certificates', {timeout: 240_000}, async (t) => {
    const {dir, pkiDir, members} = await tlsLab('etcdplan-e2e-tls-snapshot-')
    let spec: Spec | null = null
    try {
      const started = await startedSpecCluster({name: 'tls-snap', dir, strategy: 'snapshot', source: members.slice(0, 3), target: members.slice(3), timeouts: E2E_TIMEOUTS, tls: {pkiDir}, etcd: version.etcd}, KEYS)
      spec = started.spec
      const s = spec
      const tls = s.cluster.tls!
      const targetURLs = s.target.members.map((m) => m.clientURL)
      const before = await observeLive(s.source.members.map((m) => m.clientURL), tls)

      const applied = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 150_000})
      t.diagnostic(`TLS snapshot apply took ${Math.round(applied.durationMs)} ms`)
      assert.equal(applied.status, 0, explain(applied))

      const after = await assertExactMembership(targetURLs, s.target.members, 'is a learner', tls)
      assert.notEqual(after.clusterId, before.clusterId)
      await assertDataIntact(targetURLs, {...KEYS, tls})
      assert.deepEqual(await filesWithPem(dir, pkiDir), [])
    } finally {
      await removeLab(dir, spec)
    }
  })
})
