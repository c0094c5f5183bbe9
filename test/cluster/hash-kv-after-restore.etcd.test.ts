// Against real etcd on loopback: a member restored from a snapshot answers Maintenance.HashKV at the
// snapshot's revision exactly as the member the snapshot was saved from — etcd 3.4 → 3.4, 3.5 → 3.5
// and 3.4 → 3.5 (etcdutl restoring a 3.4 snapshot) — when the store has history: keys overwritten,
// deleted (tombstones), attached to a lease, and a compaction at a tombstone's revision (3.5.30
// leaves that tombstone out of the hash, 3.4.23's compaction deletes it: etcd-facts.md, "Snapshot").
// This is the rule verify-data relies on: each migration here is `etcdplan apply` with strategy
// snapshot, and its verify-data reports the new member's HashKV equal to the source's; the test reads
// the new member's HashKV at the snapshot revision itself and finds the hash verify-data reported,
// with the compaction revision kept. Every etcd started here is stopped in `finally`.
import {describe, test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Etcd3} from 'etcd3'
import type {Spec} from '../../src/spec/types.js'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import {Etcd3ClusterClient} from '../../src/cluster/cluster-client.js'
import {ETCD_34, etcd35, type EtcdUnderTest} from '../../lab/etcd-versions.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, removeLab, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {explain} from '../apply/migration-assertions.js'

/** Puts, overwrites, deletes, a lease, and a compaction at a delete's revision; returns the compaction revision. */
async function writeHistory(url: string): Promise<number> {
  const client = new Etcd3({hosts: [url]})
  try {
    for (let i = 0; i < 50; i++) await client.put(`/history/${i}`).value(`first ${i}`)
    for (let i = 0; i < 10; i++) await client.put(`/history/${i}`).value(`second ${i}`)
    const deleted = await client.delete().key('/history/5').exec()
    const tombstone = Number(deleted.header.revision)
    await client.put('/history/after-tombstone').value('x')
    await client.kv.compact({revision: String(tombstone), physical: true})
    const lease = client.lease(600, {autoKeepAlive: false})
    await lease.put('/history/leased').value('with a lease')
    await client.delete().key('/history/6').exec()
    for (let i = 50; i < 60; i++) await client.put(`/history/${i}`).value(`late ${i}`)
    lease.release()
    return tombstone
  } finally {
    client.close()
  }
}

function hashCase(source: () => EtcdUnderTest, target: () => EtcdUnderTest): void {
  test('the restored member\'s HashKV at the snapshot revision is the source\'s', {timeout: 120_000}, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'etcdplan-hashkv-'))
    let spec: Spec | null = null
    const endpoints = new EtcdEndpoints({callTimeoutMs: 10_000})
    try {
      const [from, to] = namedMembers('etcd', await pickLoopbackHosts(2))
      const started = await startedSpecCluster({name: 'hashkv', dir, strategy: 'snapshot', source: [{...from!, etcd: source().etcd}], target: [{...to!, etcd: target().etcd}], timeouts: E2E_TIMEOUTS, etcd: source().etcd})
      spec = started.spec
      const compacted = await writeHistory(spec.source.members[0]!.clientURL)

      const applied = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 90_000})
      assert.equal(applied.status, 0, explain(applied))
      const outcome = String(jsonEvents(applied.stdout).find((e) => e.type === 'step-done' && e.id === 'verify-data')?.outcome)
      t.diagnostic(outcome)
      const reported = /HashKV ([0-9a-f]{8}) on the new member as on the source/.exec(outcome)
      assert.ok(reported !== null, `verify-data compared HashKV with the source: ${outcome}`)
      const revision = Number(/at revision (\d+)/.exec(outcome)?.[1])

      const hashed = await new Etcd3ClusterClient(endpoints).hashKV(spec.target.members[0]!.clientURL, revision)
      assert.equal((hashed.hash >>> 0).toString(16).padStart(8, '0'), reported[1], 'the hash verify-data reported is the new member\'s at the snapshot revision')
      assert.equal(hashed.compactRevision, compacted, 'the restore keeps the compaction revision')
    } finally {
      endpoints.close()
      await removeLab(dir, spec)
    }
  })
}

describe('etcd 3.4 → 3.4', () => hashCase(() => ETCD_34, () => ETCD_34))
describe('etcd 3.5 → 3.5', () => hashCase(etcd35, etcd35))
describe('etcd 3.4 → 3.5', () => hashCase(() => ETCD_34, etcd35))
