// End to end, against real etcd (3.4.23 and 3.5.x, one describe each) on loopback: `etcdplan apply SPEC --auto-approve` changes
// the size of a cluster and replaces one member, keeping the members the spec keeps — scale out
// 1 → 3, scale in 5 → 3, replace one member of 3. Proves for each: exit 0; the membership is exactly
// the target (names and peer URLs), all started voters; keys written before are all readable; and a
// second apply right after has nothing to do (exit 0, the same member IDs). Every etcd started here
// is stopped in `finally`, and each test's temp dir removed.
import {test} from 'node:test'
import {forEachEtcdVersion, type EtcdUnderTest} from '../fixtures/etcd-versions.js'
import assert from 'node:assert/strict'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import type {Spec} from '../../src/spec/types.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, type LabMember} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, removeLab, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain, observeLive} from './migration-assertions.js'

const KEYS = {count: 300, valueBytes: 256, prefix: '/e2e/scale/keys/'}

forEachEtcdVersion((version) => {
  test('scale out 1 → 3 keeps etcd1 and adds etcd2, etcd3', {timeout: 180_000}, async (t) => {
  await migrate(t, version, 'scale-out', 3, (m) => ({source: [m[0]!], target: [m[0]!, m[1]!, m[2]!]}))
})

test('scale in 5 → 3 keeps etcd1..etcd3 and removes etcd4, etcd5', {timeout: 180_000}, async (t) => {
  await migrate(t, version, 'scale-in', 5, (m) => ({source: m.slice(0, 5), target: m.slice(0, 3)}))
})

test('replace one member of 3: etcd3 leaves, etcd4 joins', {timeout: 180_000}, async (t) => {
  await migrate(t, version, 'replace-one', 4, (m) => ({source: m.slice(0, 3), target: [m[0]!, m[1]!, m[3]!]}))
  })
})

interface Diagnostics {
  diagnostic(message: string): void
}

async function migrate(t: Diagnostics, version: EtcdUnderTest, name: string, hostCount: number, shape: (members: LabMember[]) => {source: LabMember[]; target: LabMember[]}): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `etcdplan-e2e-${name}-`))
  let spec: Spec | null = null
  try {
    const {source, target} = shape(namedMembers('etcd', await pickLoopbackHosts(hostCount)))
    const started = await startedSpecCluster({name, dir, source, target, timeouts: E2E_TIMEOUTS, etcd: version.etcd}, KEYS)
    spec = started.spec
    const s = spec
    const targetURLs = s.target.members.map((m) => m.clientURL)

    const applied = await runCliAsync(['apply', started.path, '--auto-approve'], {cwd: dir, timeoutMs: 150_000})
    t.diagnostic(`${name}: apply took ${Math.round(applied.durationMs)} ms`)
    assert.equal(applied.status, 0, explain(applied))

    const after = await assertExactMembership(targetURLs, s.target.members)
    await assertDataIntact(targetURLs, KEYS)

    // Applied again at once: nothing to do, and nothing done.
    const again = await runCliAsync(['apply', started.path, '--auto-approve'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(again.status, 0, explain(again))
    assert.match(again.stdout, /No changes/, explain(again))
    assert.doesNotMatch(again.stdout, /Applying/, explain(again))
    const unchanged = await observeLive(targetURLs)
    assert.equal(unchanged.clusterId, after.clusterId)
    assert.deepEqual(idsOf(unchanged), idsOf(after))
  } finally {
    await removeLab(dir, spec)
  }
}

function idsOf(cluster: LiveCluster): string[] {
  return cluster.members.map((m) => `${m.name}=${m.id}`).sort()
}
