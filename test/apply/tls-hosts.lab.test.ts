// End to end over TLS across the lab's separate hosts (real sshd, real etcd inside network
// namespaces), the runbook's layout: etcd1..3 on host a, etcd4..6 on host b, https client and peer
// URLs with client-cert-auth and peer-client-cert-auth, each member with its own server and peer
// certificate in its host's own /etc/etcd/pki (paths in the spec: /etc/etcd/pki/{name}.pem ...).
// `etcdplan apply` runs outside the hosts with its own client certificate, migrating 3 → 3 with join
// (under a writer that connects over TLS) and with snapshot. Proves: exit 0; exactly the target;
// every key (and acknowledged write); host b's configs name its own certificate files; no file
// etcdplan wrote on this machine holds a PEM block.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parse} from 'yaml'
import {startWriter, type Writer} from '../../lab/writer.js'
import {E2E_TIMEOUTS, RUNBOOK_JOIN} from '../fixtures/lab-cluster.js'
import {HOST_PKI_DIR, startHostsCluster, type HostsCluster} from '../fixtures/hosts-cluster.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, explain, readSavedPlan} from './migration-assertions.js'

const KEYS = {count: 3000, valueBytes: 512, prefix: '/e2e/tls-hosts/keys/'}

/** Files etcdplan wrote under .etcdplan (plan, journal, snapshots' metadata) holding a PEM block. */
async function pemUnder(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(join(dir, '.etcdplan'), {recursive: true, withFileTypes: true})) {
    if (!entry.isFile() || entry.name.endsWith('.db')) continue
    const path = join(entry.parentPath, entry.name)
    if ((await readFile(path)).includes('-----BEGIN')) found.push(path)
  }
  return found
}

test('TLS join across hosts over ssh, under a TLS writer: exact target, nothing lost, own certificates on host b', {timeout: 420_000}, async (t) => {
  let cluster: HostsCluster | null = null
  let writer: Writer | null = null
  try {
    cluster = await startHostsCluster({name: 'tls-hosts', tls: true, spec: {join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS}, keys: KEYS})
    const {spec, lab, specPath, dir} = cluster
    const tls = spec.cluster.tls!
    assert.ok([...spec.source.members, ...spec.target.members].every((m) => m.clientURL.startsWith('https://') && m.peerURL.startsWith('https://')))

    writer = startWriter([...spec.source.members, ...spec.target.members].map((m) => m.clientURL), {intervalMs: 20, prefix: '/e2e/tls-hosts/writer/', tls})
    const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 360_000})
    const figures = await writer.stop()
    writer = null
    t.diagnostic(`TLS join across hosts took ${Math.round(result.durationMs)} ms; writer: ${figures.acknowledged} acknowledged, ${figures.failedAttempts} failed attempts, max stall ${Math.round(figures.maxStallMs)} ms`)
    assert.equal(result.status, 0, explain(result))

    const targetURLs = spec.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, spec.target.members, 'is a learner', tls)
    await assertDataIntact(targetURLs, {...KEYS, tls}, figures)
    const hostB = lab.host('b')
    await assertConfigsMatchPlan(await readSavedPlan(dir, 'tls-hosts'), spec.target.members, (m) => readFile(hostB.rootOf(m.configFile), 'utf8'))
    for (const m of spec.target.members) {
      const config = parse(await readFile(hostB.rootOf(m.configFile), 'utf8'))
      assert.equal(config['client-transport-security']['cert-file'], `${HOST_PKI_DIR}/${m.name}.pem`)
      assert.equal(config['peer-transport-security']['key-file'], `${HOST_PKI_DIR}/${m.name}-peer-key.pem`)
    }
    assert.deepEqual(await pemUnder(dir), [])
  } finally {
    await writer?.stop()
    await cluster?.close()
  }
})

test('TLS snapshot across hosts over ssh: restored on host b with its own certificates, every key', {timeout: 420_000}, async (t) => {
  let cluster: HostsCluster | null = null
  try {
    cluster = await startHostsCluster({name: 'tls-snapshot-hosts', tls: true, spec: {strategy: 'snapshot', timeouts: E2E_TIMEOUTS}, keys: KEYS})
    const {spec, specPath, dir} = cluster
    const tls = spec.cluster.tls!
    const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 360_000})
    t.diagnostic(`TLS snapshot across hosts took ${Math.round(result.durationMs)} ms`)
    assert.equal(result.status, 0, explain(result))
    const targetURLs = spec.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, spec.target.members, 'is a learner', tls)
    await assertDataIntact(targetURLs, {...KEYS, tls})
    assert.deepEqual(await pemUnder(dir), [])
  } finally {
    await cluster?.close()
  }
})
