// The lab itself, against real etcd (Debian's 3.4.23) on random loopback addresses: a spec written by
// writeMigrationSpec starts as a 3-member cluster through the local provider, keys load and verify,
// and the writer keeps being acknowledged when the member it writes to is stopped. Every etcd this
// file starts is stopped in `after`, whatever happened, and the temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import {observeCluster} from '../../src/cluster/observe-cluster.js'
import {clusterEndpoints, localProvider, startSourceCluster, stopAllMembers} from '../../lab/local-cluster.js'
import {loadKeys, verifyKeys} from '../../lab/load-keys.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {startWriter, verifyAcknowledged} from '../../lab/writer.js'
import {isAlive, useLabCluster} from '../fixtures/lab-cluster.js'

const lab = useLabCluster(
  'etcdplan-lab-',
  async (dir) => {
    const hosts = await pickLoopbackHosts(4)
    // etcd1..3 run today; the target keeps etcd2 and etcd3 and adds etcd4 (never started here).
    const members = namedMembers('etcd', hosts)
    return {name: 'lab-test', dir, source: members.slice(0, 3), target: members.slice(1), timeouts: {health: '20s'}}
  },
  {start: false},
)

const theSpec = () => lab.spec
const sourceURLs = () => lab.sourceURLs()

test('writeMigrationSpec writes a spec with kept members and the lab workDir', () => {
  const s = theSpec()
  assert.deepEqual(s.source.members.map((m) => m.name), ['etcd1', 'etcd2', 'etcd3'])
  assert.deepEqual(s.target.members.map((m) => m.name), ['etcd2', 'etcd3', 'etcd4'])
  assert.equal(s.cluster.token, 'lab-test-token')
  assert.equal(s.nodes.local.workDir, join(lab.dir, 'nodes'))
  assert.equal(s.source.members[0]!.dataDir, join(lab.dir, 'nodes', 'etcd1', 'data'))
  assert.equal(s.timeouts.healthMs, 20_000)
  assert.equal(clusterEndpoints(s).length, 4)
})

test('startSourceCluster starts 3 started voters that agree on the leader', async () => {
  const started = await startSourceCluster(theSpec())
  assert.notEqual(started.leaderId, null)
  const endpoints = new EtcdEndpoints({callTimeoutMs: 2000})
  try {
    const cluster = await observeCluster(endpoints, sourceURLs(), {statusTimeoutMs: 2000})
    assert.equal(cluster.members.length, 3)
    assert.deepEqual(cluster.members.map((m) => [m.name, m.started, m.isLearner]).sort(), [['etcd1', true, false], ['etcd2', true, false], ['etcd3', true, false]])
    assert.equal(cluster.statuses.length, 3)
    for (const status of cluster.statuses) {
      assert.equal(status.error, null)
      assert.equal(status.leaderId, cluster.leaderId)
    }
  } finally {
    endpoints.close()
  }
})

test('loadKeys writes 2,000 keys that verifyKeys finds intact', async () => {
  const options = {count: 2000, valueBytes: 1024, prefix: '/lab/keys/'}
  const loaded = await loadKeys(sourceURLs(), options)
  assert.equal(loaded.keys, 2000)
  assert.deepEqual(await verifyKeys(sourceURLs(), options), {missing: [], wrong: []})
  // A key that is not there and one overwritten are reported as such.
  const check = await verifyKeys(sourceURLs(), {...options, count: 2001})
  assert.deepEqual(check.missing, ['/lab/keys/00002000'])
  const otherValues = await verifyKeys(sourceURLs(), {...options, valueBytes: 1000})
  assert.deepEqual([otherValues.missing.length, otherValues.wrong.length], [0, 2000])
})

test('the writer keeps being acknowledged when the member it writes to stops', async () => {
  const s = theSpec()
  const writer = startWriter(sourceURLs(), {intervalMs: 20, prefix: '/lab/writer/'})
  let figures
  try {
    await sleep(1000)
    const before = writer.progress()
    assert.ok(before.acknowledged > 0, `no write acknowledged in 1 s: ${JSON.stringify(before)}`)
    // The writer starts on the first endpoint: stop that member by pid, through the provider.
    await localProvider(s).stop(s.source.members[0]!, 10_000)
    const deadline = Date.now() + 15_000
    while (writer.progress().acknowledged < before.acknowledged + 10 && Date.now() < deadline) await sleep(100)
    assert.ok(writer.progress().acknowledged >= before.acknowledged + 10, `writes stopped after the member stopped: ${JSON.stringify(writer.progress())}`)
  } finally {
    figures = await writer.stop()
  }
  assert.ok(figures.failedAttempts >= 1, 'the writer never saw its member fail')
  assert.equal(figures.attempted, figures.acknowledged + figures.failedAttempts)
  assert.ok(figures.maxStallMs > 0)
  assert.equal(figures.acked.size, figures.acknowledged)
  assert.deepEqual(await verifyAcknowledged(sourceURLs().slice(1), figures.acked), [])
  // A lost write is reported.
  const tampered = new Map(figures.acked).set('/lab/writer/99999999', 'never written')
  assert.deepEqual(await verifyAcknowledged(sourceURLs().slice(1), tampered), ['/lab/writer/99999999'])
})

test('stopAllMembers leaves no etcd running, also for members that never started', async () => {
  const s = theSpec()
  await stopAllMembers(s)
  await stopAllMembers(s)
  const provider = localProvider(s)
  for (const m of [...s.source.members, ...s.target.members]) {
    assert.equal(await provider.isRunning(m), false, m.name)
    const pid = await readFile(provider.pidFile(m), 'utf8').then((text) => Number.parseInt(text, 10), () => null)
    if (pid !== null) assert.equal(isAlive(pid), false, `${m.name}: pid ${pid} is still alive`)
  }
})

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
