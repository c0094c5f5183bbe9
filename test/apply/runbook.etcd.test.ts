// End to end, against real etcd (3.4.23) on loopback: the runbook's migration — 3 members replaced by
// 3 others (disjoint), learners, add-first, rolling restart — run by `etcdplan apply SPEC
// --auto-approve --json` as a child process while 20,000 keys of 1 KiB sit in the cluster and a
// writer puts a key every 20 ms on every source and target endpoint. Proves: exit 0; the cluster is
// exactly the 3 target members, all started voters; no key and no acknowledged write is lost; every
// target member's config file holds the last config the saved plan writes to it; the journal is
// complete; the old members' etcd processes have exited. Every etcd started here is stopped in
// `finally`, and the temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import {observeCluster} from '../../src/cluster/observe-cluster.js'
import type {Journal} from '../../src/apply/journal.js'
import type {Plan} from '../../src/plan/types.js'
import {loadSpecFile} from '../../src/spec/load-spec.js'
import type {Spec} from '../../src/spec/types.js'
import {clusterEndpoints, localProvider, startSourceCluster, stopAllMembers} from '../../lab/local-cluster.js'
import {loadKeys, verifyKeys} from '../../lab/load-keys.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, writeMigrationSpec} from '../../lab/migration-spec.js'
import {startWriter, verifyAcknowledged, type Writer, type WriterFigures} from '../../lab/writer.js'
import {jsonEvents, runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'

const NAME = 'runbook'
const KEYS = {count: 20_000, valueBytes: 1024, prefix: '/e2e/runbook/keys/'}

test('the runbook 3 → 3 (disjoint) applies under load: exact target, no data lost, journal complete', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-runbook-'))
  let spec: Spec | null = null
  let writer: Writer | null = null
  try {
    const hosts = await pickLoopbackHosts(6)
    const members = namedMembers('etcd', hosts)
    const written = await writeMigrationSpec({
      name: NAME,
      dir,
      source: members.slice(0, 3),
      target: members.slice(3),
      join: {learner: true, order: 'add-first', finalState: 'existing', rollingRestart: true, catchUpTolerance: 100},
      timeouts: {catchUp: '2m', health: '30s', step: '60s'},
    })
    const loaded = await loadSpecFile(written.path)
    assert.ok(loaded.spec, `the written spec does not load:\n${loaded.diagnostics.map((d) => d.message).join('\n')}`)
    spec = loaded.spec
    const s = spec
    const sourceURLs = s.source.members.map((m) => m.clientURL)
    const targetURLs = s.target.members.map((m) => m.clientURL)

    await startSourceCluster(s)
    const provider = localProvider(s)
    const sourcePids = await Promise.all(s.source.members.map(async (m) => Number.parseInt(await readFile(provider.pidFile(m), 'utf8'), 10)))
    const loadedKeys = await loadKeys(sourceURLs, KEYS)
    t.diagnostic(`loaded ${loadedKeys.keys} keys (${loadedKeys.bytes} bytes) in ${Math.round(loadedKeys.durationMs)} ms`)

    writer = startWriter(clusterEndpoints(s), {intervalMs: 20, prefix: '/e2e/runbook/writer/'})
    const result = await runCliAsync(['apply', written.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 240_000})
    const figures: WriterFigures = await writer.stop()
    writer = null
    t.diagnostic(`apply took ${Math.round(result.durationMs)} ms; writer: ${figures.acknowledged} acknowledged, ${figures.failedAttempts} failed attempts, max stall ${Math.round(figures.maxStallMs)} ms`)
    t.diagnostic(`writer errors: ${JSON.stringify([...figures.errors])}`)

    assert.equal(result.status, 0, explain(result))
    const events = jsonEvents(result.stdout)
    assert.equal(events[0]?.type, 'apply-start', explain(result))
    assert.equal(events.at(-1)?.type, 'apply-done', explain(result))
    assert.deepEqual(events.filter((e) => e.type === 'step-failed'), [])

    // Membership: exactly the target, by name and peer URL, all started voters, no learner.
    const cluster = await observe(targetURLs)
    assert.deepEqual(membersOf(cluster), s.target.members.map((m) => [m.name, m.peerURL]).sort())
    for (const m of cluster.members) {
      assert.equal(m.started, true, `${m.name} is not started`)
      assert.equal(m.isLearner, false, `${m.name} is a learner`)
    }

    // Data: every loaded key and every acknowledged write, read from the target members.
    assert.deepEqual(await verifyKeys(targetURLs, KEYS), {missing: [], wrong: []})
    assert.ok(figures.acknowledged > 0, 'the writer never got a write acknowledged')
    assert.deepEqual(await verifyAcknowledged(targetURLs, figures.acked), [])

    // Config files: each target member's file holds the last config the saved plan writes to its path.
    const plan = JSON.parse(await readFile(join(dir, '.etcdplan', NAME, 'plan.json'), 'utf8')) as Plan
    const lastConfig = new Map<string, string>()
    for (const step of plan.steps) if (step.kind === 'write-config' || step.kind === 'rewrite-config') lastConfig.set(step.config.path, step.config.content)
    for (const m of s.target.members) {
      const planned = lastConfig.get(m.configFile)
      assert.ok(planned !== undefined, `the plan writes no config to ${m.configFile} (${m.name})`)
      assert.equal(await readFile(m.configFile, 'utf8'), planned, `${m.name}: ${m.configFile} differs from the plan's last config`)
    }

    // Journal: complete, every step of the plan done.
    const journal = JSON.parse(await readFile(join(dir, '.etcdplan', NAME, 'state.json'), 'utf8')) as Journal
    assert.equal(journal.status, 'complete')
    assert.equal(journal.planHash, plan.contentHash)
    assert.deepEqual(journal.steps.map((step) => step.id), plan.steps.map((step) => step.id))
    assert.deepEqual(journal.steps.filter((step) => step.status !== 'done').map((step) => `${step.id}: ${step.status}`), [])

    // The old members' etcd processes have exited.
    for (const [i, m] of s.source.members.entries()) {
      assert.equal(await provider.isRunning(m), false, `${m.name} still runs`)
      assert.equal(alive(sourcePids[i]!), false, `${m.name}: pid ${sourcePids[i]} is still alive`)
    }
  } finally {
    try {
      if (writer !== null) await writer.stop()
      if (spec !== null) await stopAllMembers(spec)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  }
})

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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function explain(result: AsyncCliResult): string {
  const tail = result.stdout.trimEnd().split('\n').slice(-25).join('\n')
  return `exit ${result.status} (signal ${result.signal}${result.timedOut ? ', timed out' : ''})\n--- stderr:\n${result.stderr}\n--- stdout (last 25 lines):\n${tail}`
}
