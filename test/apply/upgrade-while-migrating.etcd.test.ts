// End to end, against real etcd on loopback: upgrading while migrating. The source runs Debian's
// 3.4.23, the new members run 3.5 (each member's own `etcd:`; binaries from lab/etcd-versions.ts).
// 1. 3.4 ×3 → 3.5 ×3 (disjoint, the runbook's join) with a writer on every endpoint: exit 0, exactly
//    the target, every key and acknowledged write kept, and the cluster version etcd decided is 3.5
//    at the end (verify waits for it). Also measures how long after the last 3.4 member left the
//    cluster version rose.
// 2. 3.5 ×3 → 3.4 targets: refused by `plan` and by `apply` (non-zero exit, the reason: a 3.4 member
//    cannot join a cluster whose cluster version is 3.5), and nothing changed: the same member IDs
//    and the same revision.
// 3. A member upgraded in place between `plan -o` and `apply PLAN` (etcd1 restarted on 3.5): the saved
//    plan is stale, naming etcd1 and both versions; nothing changed. Every etcd started here is
//    stopped in `finally`.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import {readClusterVersion} from '../../src/cluster/read-cluster-version.js'
import {clusterEndpoints} from '../../lab/local-cluster.js'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import {waitForHealth} from '../fixtures/wait-for-health.js'
import {ETCD_34, etcd35} from '../../lab/etcd-versions.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {startWriter, type Writer} from '../../lab/writer.js'
import {E2E_TIMEOUTS, removeLab, RUNBOOK_JOIN, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain, membersOf, observeLive} from './migration-assertions.js'

const V35 = etcd35()
const KEYS = {count: 2000, valueBytes: 512, prefix: '/e2e/upgrade/keys/'}

test('3.4 ×3 → 3.5 ×3 under a writer: exact target, nothing lost, cluster version 3.5 at the end', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-upgrade-'))
  let spec: Spec | null = null
  let writer: Writer | null = null
  let polling = true
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const target = members.slice(3).map((m) => ({...m, etcd: V35.etcd}))
    const started = await startedSpecCluster({name: 'upgrade', dir, source: members.slice(0, 3), target, join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS, etcd: ETCD_34.etcd}, KEYS)
    spec = started.spec
    const s = spec
    const sourcePeers = s.source.members.map((m) => m.peerURL)
    const targetURLs = s.target.members.map((m) => m.clientURL)

    // The plan says what the cluster version will be at the end.
    const planned = await runCliAsync(['plan', started.path, '--no-color'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(planned.status, 0, explain(planned))
    assert.match(planned.stdout, /etcd versions: etcd1 3\.4\.23, etcd2 3\.4\.23, etcd3 3\.4\.23 · cluster version 3\.4\.0 · joining: etcd4 3\.5\.\d+, etcd5 3\.5\.\d+, etcd6 3\.5\.\d+ · cluster version at the end 3\.5/, explain(planned))

    // When the last 3.4 member left the membership, and when the cluster version became 3.5.
    let lastSourceGone: number | null = null
    let rose: number | null = null
    const poller = (async () => {
      while (polling && rose === null) {
        try {
          if (lastSourceGone === null) {
            const live = await observeLive(targetURLs)
            if (!live.members.some((m) => m.peerURLs.some((u) => sourcePeers.includes(u)))) lastSourceGone = Date.now()
          }
          const answer = await readClusterVersion(targetURLs[0]!, {timeoutMs: 500})
          if (answer.cluster?.startsWith('3.5.') === true) rose = Date.now()
        } catch {
          // a target member not started yet, or restarting
        }
        await new Promise((r) => setTimeout(r, 100))
      }
    })()

    writer = startWriter(clusterEndpoints(s), {intervalMs: 20, prefix: '/e2e/upgrade/writer/'})
    const result = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 240_000})
    const figures = await writer.stop()
    writer = null
    polling = false
    await poller
    t.diagnostic(`apply took ${Math.round(result.durationMs)} ms; writer: ${figures.acknowledged} acknowledged, max stall ${Math.round(figures.maxStallMs)} ms`)
    if (lastSourceGone !== null && rose !== null) t.diagnostic(`cluster version rose to 3.5 ${rose - lastSourceGone} ms after the last 3.4 member was removed`)
    assert.equal(result.status, 0, explain(result))
    const verify = jsonEvents(result.stdout).find((e) => e.type === 'step-done' && e.id === 'verify')
    assert.match(String(verify?.outcome), /cluster version 3\.5\.0$/, explain(result))

    await assertExactMembership(targetURLs, s.target.members)
    await assertDataIntact(targetURLs, KEYS, figures)
    for (const url of targetURLs) {
      const answer = await readClusterVersion(url, {timeoutMs: 2000})
      assert.match(answer.server, /^3\.5\./, `${url} runs 3.5`)
      assert.equal(answer.cluster, '3.5.0', `${url}: cluster version`)
    }
    assert.ok(rose !== null, 'the cluster version rose to 3.5 during the apply')
    // status shows each member's version and the cluster version.
    const status = await runCliAsync(['status', started.path, '--no-color'], {cwd: dir, timeoutMs: 30_000})
    assert.equal(status.status, 0, explain(status))
    assert.match(status.stdout, /Cluster version: 3\.5\.0$/m, explain(status))
    for (const m of s.target.members) assert.match(status.stdout, new RegExp(`\\| ${m.name} +\\|[^\\n]*\\| 3\\.5\\.\\d+ +\\|`), explain(status))
  } finally {
    polling = false
    try {
      if (writer !== null) await writer.stop()
    } finally {
      await removeLab(dir, spec)
    }
  }
})

test('3.5 ×3 → 3.4 targets: plan and apply refuse (a 3.4 member cannot join a 3.5 cluster), nothing changed', {timeout: 180_000}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-downgrade-'))
  let spec: Spec | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const target = members.slice(3).map((m) => ({...m, etcd: ETCD_34.etcd}))
    const started = await startedSpecCluster({name: 'downgrade', dir, source: members.slice(0, 3), target, timeouts: E2E_TIMEOUTS, etcd: V35.etcd}, {count: 50, valueBytes: 64, prefix: '/e2e/downgrade/'})
    spec = started.spec
    const sourceURLs = spec.source.members.map((m) => m.clientURL)
    const before = await observeLive(sourceURLs)
    const revision = (c: typeof before) => Math.max(...c.statuses.map((st) => st.revision ?? 0))

    const reason = /etcd4's etcd binary is 3\.4\.23, but the cluster version is 3\.5: a 3\.4 member cannot join a cluster whose cluster version is 3\.5/
    const planned = await runCliAsync(['plan', started.path, '--no-color'], {cwd: dir, timeoutMs: 60_000})
    assert.notEqual(planned.status, 0, explain(planned))
    assert.match(planned.stdout + planned.stderr, reason, explain(planned))
    assert.doesNotMatch(planned.stderr, /\n\s+at /, 'no stack trace')

    const applied = await runCliAsync(['apply', started.path, '--auto-approve'], {cwd: dir, timeoutMs: 60_000})
    assert.notEqual(applied.status, 0, explain(applied))
    assert.match(applied.stdout + applied.stderr, reason, explain(applied))

    const after = await observeLive(sourceURLs)
    assert.deepEqual(membersOf(after), membersOf(before), 'the member list is unchanged')
    assert.equal(after.clusterId, before.clusterId)
    assert.equal(revision(after), revision(before), 'no write happened')
  } finally {
    await removeLab(dir, spec)
  }
})

test('a member upgraded between plan and apply makes the saved plan stale, naming it; nothing changed', {timeout: 180_000}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-upgraded-since-'))
  let spec: Spec | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const target = members.slice(3).map((m) => ({...m, etcd: V35.etcd}))
    const started = await startedSpecCluster({name: 'upgraded', dir, source: members.slice(0, 3), target, timeouts: E2E_TIMEOUTS, etcd: ETCD_34.etcd})
    spec = started.spec
    const sourceURLs = spec.source.members.map((m) => m.clientURL)
    const planned = await runCliAsync(['plan', started.path, '-o', 'plan.json'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(planned.status, 0, explain(planned))

    // etcd1 restarted on 3.5, same data dir and config (the operator upgraded it in place).
    const etcd1 = spec.source.members[0]!
    const local = spec.nodes.local
    await new LocalNodeProvider(local).stop(etcd1, 10_000)
    await new LocalNodeProvider({...local, etcd: V35.etcd}).start(etcd1, etcd1.configFile)
    await waitForHealth(etcd1.clientURL, 20_000)
    const before = await observeLive(sourceURLs)
    assert.match(before.statuses.find((st) => st.endpoint === etcd1.clientURL)?.version ?? '', /^3\.5\./)

    const applied = await runCliAsync(['apply', 'plan.json'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(applied.status, 1, explain(applied))
    assert.match(applied.stderr, /stale/i, explain(applied))
    assert.match(applied.stderr, /etcd1 runs etcd 3\.5\.\d+, the plan was made when it ran 3\.4\.23/, explain(applied))
    const after = await observeLive(sourceURLs)
    assert.deepEqual(membersOf(after), membersOf(before), 'the member list is unchanged')
  } finally {
    await removeLab(dir, spec)
  }
})
