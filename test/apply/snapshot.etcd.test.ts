// End to end, against real etcd (3.4.23 and 3.5.x, one describe each) on loopback: strategy snapshot (the runbook's approach 2).
// `etcdplan apply SPEC --auto-approve` saves a snapshot from the source leader, verifies it, restores
// it into three fresh members, starts them, checks the new cluster holds the source's keys at the
// snapshot's revision, and stops the old members. Proves: exit 0; the new cluster is exactly the
// target with a new cluster ID; every key is there; the old members are stopped and their data dirs
// kept; applying the same plan again does nothing; the snapshot is checked and restored by the
// member's own release's tool (etcdutl on 3.5, etcdctl on 3.4, find-snapshot-tool.ts). Every etcd started here is stopped in `finally`.
import {test} from 'node:test'
import {forEachEtcdVersion} from '../fixtures/etcd-versions.js'
import {RESTORED_MARK} from '../../src/nodes/node-provider.js'
import assert from 'node:assert/strict'
import {access, mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import {localProvider} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, removeLab, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain, observeLive} from './migration-assertions.js'

const KEYS = {count: 2000, valueBytes: 512, prefix: '/e2e/snapshot/keys/'}

forEachEtcdVersion((version) => {
test('snapshot and restore 3 → 3 into a new cluster', {timeout: 180_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-snapshot-'))
  let spec: Spec | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const started = await startedSpecCluster({name: 'snap', dir, strategy: 'snapshot', source: members.slice(0, 3), target: members.slice(3), timeouts: E2E_TIMEOUTS, etcd: version.etcd}, KEYS)
    spec = started.spec
    const s = spec
    const sourceURLs = s.source.members.map((m) => m.clientURL)
    const targetURLs = s.target.members.map((m) => m.clientURL)
    const before = await observeLive(sourceURLs)

    const applied = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 150_000})
    t.diagnostic(`snapshot apply took ${Math.round(applied.durationMs)} ms`)
    assert.equal(applied.status, 0, explain(applied))
    const done = jsonEvents(applied.stdout).filter((e) => e.type === 'step-done').map((e) => e.id)
    for (const id of ['snapshot-save', 'snapshot-verify', 'restore-member/etcd4', 'verify-data', 'stop-member/etcd1']) assert.ok(done.includes(id), `${id} ran: ${done.join(', ')}`)
    // Which tool ran: etcdutl where the release ships it (3.5), etcdctl otherwise (3.4).
    const tool = version.etcdutl === null ? 'etcdctl' : 'etcdutl'
    const verified = jsonEvents(applied.stdout).find((e) => e.type === 'step-done' && e.id === 'snapshot-verify')
    assert.match(String(verified?.outcome), new RegExp(`\\(${tool} snapshot status\\)`), explain(applied))
    for (const m of s.target.members) assert.match(await readFile(join(m.dataDir, RESTORED_MARK), 'utf8'), new RegExp(`^tool:${tool}$`, 'm'), `${m.name} restored with ${tool}`)

    const after = await assertExactMembership(targetURLs, s.target.members)
    assert.notEqual(after.clusterId, before.clusterId, 'a restored cluster has a new cluster ID')
    await assertDataIntact(targetURLs, KEYS)
    const provider = localProvider(s)
    for (const old of s.source.members) {
      assert.equal(await provider.isRunning(old), false, `${old.name} was stopped`)
      await access(old.dataDir) // kept as a fallback, never deleted
    }

    const again = await runCliAsync(['apply', '.etcdplan/snap/plan.json'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(again.status, 0, explain(again))
    const unchanged = await observeLive(targetURLs)
    assert.equal(unchanged.clusterId, after.clusterId, 'the same cluster after a second apply')
  } finally {
    await removeLab(dir, spec)
  }
})
})
