// End to end, against real etcd (3.4.23) on loopback: `etcdplan apply SPEC --auto-approve` changes
// the size of a cluster and replaces one member, keeping the members the spec keeps — scale out
// 1 → 3, scale in 5 → 3, replace one member of 3. Proves for each: exit 0; the membership is exactly
// the target (names and peer URLs), all started voters; keys written before are all readable; and a
// second apply right after has nothing to do (exit 0, the same member IDs). Every etcd started here
// is stopped in `finally`, and each test's temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import {observeCluster} from '../../src/cluster/observe-cluster.js'
import {loadSpecFile} from '../../src/spec/load-spec.js'
import type {Spec} from '../../src/spec/types.js'
import {startSourceCluster, stopAllMembers} from '../../lab/local-cluster.js'
import {loadKeys, verifyKeys} from '../../lab/load-keys.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, writeMigrationSpec, type LabMember} from '../../lab/migration-spec.js'
import {runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'

const KEYS = {count: 300, valueBytes: 256, prefix: '/e2e/scale/keys/'}

test('scale out 1 → 3 keeps etcd1 and adds etcd2, etcd3', {timeout: 180_000}, async (t) => {
  await migrate(t, 'scale-out', 3, (m) => ({source: [m[0]!], target: [m[0]!, m[1]!, m[2]!]}))
})

test('scale in 5 → 3 keeps etcd1..etcd3 and removes etcd4, etcd5', {timeout: 180_000}, async (t) => {
  await migrate(t, 'scale-in', 5, (m) => ({source: m.slice(0, 5), target: m.slice(0, 3)}))
})

test('replace one member of 3: etcd3 leaves, etcd4 joins', {timeout: 180_000}, async (t) => {
  await migrate(t, 'replace-one', 4, (m) => ({source: m.slice(0, 3), target: [m[0]!, m[1]!, m[3]!]}))
})

interface Diagnostics {
  diagnostic(message: string): void
}

async function migrate(t: Diagnostics, name: string, hostCount: number, shape: (members: LabMember[]) => {source: LabMember[]; target: LabMember[]}): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `etcdplan-e2e-${name}-`))
  let spec: Spec | null = null
  try {
    const {source, target} = shape(namedMembers('etcd', await pickLoopbackHosts(hostCount)))
    const written = await writeMigrationSpec({name, dir, source, target, timeouts: {catchUp: '2m', health: '30s', step: '60s'}})
    const loaded = await loadSpecFile(written.path)
    assert.ok(loaded.spec, `the written spec does not load:\n${loaded.diagnostics.map((d) => d.message).join('\n')}`)
    spec = loaded.spec
    const s = spec
    const sourceURLs = s.source.members.map((m) => m.clientURL)
    const targetURLs = s.target.members.map((m) => m.clientURL)

    await startSourceCluster(s)
    await loadKeys(sourceURLs, KEYS)

    const applied = await runCliAsync(['apply', written.path, '--auto-approve'], {cwd: dir, timeoutMs: 150_000})
    t.diagnostic(`${name}: apply took ${Math.round(applied.durationMs)} ms`)
    assert.equal(applied.status, 0, explain(applied))

    const after = await observe(targetURLs)
    assert.deepEqual(membersOf(after), s.target.members.map((m) => [m.name, m.peerURL]).sort())
    for (const m of after.members) {
      assert.equal(m.started, true, `${m.name} is not started`)
      assert.equal(m.isLearner, false, `${m.name} is a learner`)
    }
    assert.deepEqual(await verifyKeys(targetURLs, KEYS), {missing: [], wrong: []})

    // Applied again at once: nothing to do, and nothing done.
    const again = await runCliAsync(['apply', written.path, '--auto-approve'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(again.status, 0, explain(again))
    assert.match(again.stdout, /No changes/, explain(again))
    assert.doesNotMatch(again.stdout, /Applying/, explain(again))
    const unchanged = await observe(targetURLs)
    assert.equal(unchanged.clusterId, after.clusterId)
    assert.deepEqual(idsOf(unchanged), idsOf(after))
  } finally {
    try {
      if (spec !== null) await stopAllMembers(spec)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  }
}

async function observe(urls: readonly string[]): Promise<LiveCluster> {
  const endpoints = new EtcdEndpoints({callTimeoutMs: 5000})
  try {
    return await observeCluster(endpoints, urls, {statusTimeoutMs: 3000})
  } finally {
    endpoints.close()
  }
}

function membersOf(cluster: LiveCluster): Array<[string, string]> {
  return cluster.members.map((m): [string, string] => [m.name, m.peerURLs[0] ?? '']).sort()
}

function idsOf(cluster: LiveCluster): string[] {
  return cluster.members.map((m) => `${m.name}=${m.id}`).sort()
}

function explain(result: AsyncCliResult): string {
  const tail = result.stdout.trimEnd().split('\n').slice(-25).join('\n')
  return `exit ${result.status} (signal ${result.signal}${result.timedOut ? ', timed out' : ''})\n--- stderr:\n${result.stderr}\n--- stdout (last 25 lines):\n${tail}`
}
