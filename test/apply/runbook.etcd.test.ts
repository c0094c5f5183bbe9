// End to end, against real etcd (3.4.23 and 3.5.x, one describe each) on loopback: the runbook's migration — 3 members replaced by
// 3 others (disjoint), learners, add-first, rolling restart — run by `etcdplan apply SPEC
// --auto-approve --json` as a child process while 20,000 keys of 1 KiB sit in the cluster and a
// writer puts a key every 20 ms on every source and target endpoint. Proves: exit 0; the cluster is
// exactly the 3 target members, all started voters; no key and no acknowledged write is lost; every
// target member's config file holds the last config the saved plan writes to it; the journal is
// complete; the old members' etcd processes have exited. Every etcd started here is stopped in
// `finally`, and the temp dir removed.
import {test} from 'node:test'
import {forEachEtcdVersion} from '../fixtures/etcd-versions.js'
import assert from 'node:assert/strict'
import {mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import {clusterEndpoints, localProvider} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {startWriter, type Writer, type WriterFigures} from '../../lab/writer.js'
import {E2E_TIMEOUTS, isAlive, removeLab, RUNBOOK_JOIN, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, assertJournalComplete, explain, readJournal, readSavedPlan} from './migration-assertions.js'

const NAME = 'runbook'
const KEYS = {count: 20_000, valueBytes: 1024, prefix: '/e2e/runbook/keys/'}

forEachEtcdVersion((version) => {
test('the runbook 3 → 3 (disjoint) applies under load: exact target, no data lost, journal complete', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-runbook-'))
  let spec: Spec | null = null
  let writer: Writer | null = null
  try {
    const hosts = await pickLoopbackHosts(6)
    const members = namedMembers('etcd', hosts)
    const started = await startedSpecCluster(
      {
        name: NAME,
        dir,
        source: members.slice(0, 3),
        target: members.slice(3),
        join: RUNBOOK_JOIN,
        timeouts: E2E_TIMEOUTS,
        etcd: version.etcd,
      },
      KEYS,
    )
    spec = started.spec
    const s = spec
    const targetURLs = s.target.members.map((m) => m.clientURL)
    const provider = localProvider(s)
    const sourcePids = await Promise.all(s.source.members.map(async (m) => Number.parseInt(await readFile(provider.pidFile(m), 'utf8'), 10)))
    const loadedKeys = started.keysLoaded!
    t.diagnostic(`loaded ${loadedKeys.keys} keys (${loadedKeys.bytes} bytes) in ${Math.round(loadedKeys.durationMs)} ms`)

    writer = startWriter(clusterEndpoints(s), {intervalMs: 20, prefix: '/e2e/runbook/writer/'})
    const result = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 240_000})
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
    await assertExactMembership(targetURLs, s.target.members)

    // Data: every loaded key and every acknowledged write, read from the target members.
    await assertDataIntact(targetURLs, KEYS, figures)

    // Config files: each target member's file holds the last config the saved plan writes to its path.
    const plan = await readSavedPlan(dir, NAME)
    await assertConfigsMatchPlan(plan, s.target.members)

    // Journal: complete, every step of the plan done.
    assertJournalComplete(await readJournal(dir, NAME), plan)

    // The old members' etcd processes have exited.
    for (const [i, m] of s.source.members.entries()) {
      assert.equal(await provider.isRunning(m), false, `${m.name} still runs`)
      assert.equal(isAlive(sourcePids[i]!), false, `${m.name}: pid ${sourcePids[i]} is still alive`)
    }
  } finally {
    try {
      if (writer !== null) await writer.stop()
    } finally {
      await removeLab(dir, spec)
    }
  }
})
})
