// verify-data against fake clusters and a fake provider: the snapshot's revision is the one
// snapshot-verify journaled (the snapshot tool runs on the first target member's host only when the
// journal has none); the keys are counted at each cluster's leader, and HashKV at the snapshot's
// revision is asked of every new member and the source's leader. Done when the new cluster is at the
// snapshot's revision with the source's key count and hash and the source has not moved since (or
// does not answer any more: then the new members' hashes must agree); refused when the source moved
// on, when the key counts differ, when a hash differs (naming the member), or when the new cluster is
// behind the snapshot. Hashes under different compaction revisions are not compared, and say so. An
// empty store's snapshot (revision 0) matches a fresh cluster's revision 1.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import {runVerifyData} from '../../../src/apply/steps/verify-data.js'
import {fakeCluster, memberOf, snapshotMigration, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'
import {tempDir} from '../../fixtures/temp-dir.js'

const {spec, plan} = snapshotMigration(tempDir('etcdplan-verify-data-'))
const step = stepOf(plan, 'verify-data', 'verify-data')
writeFileSync(step.snapshotPath, 'a snapshot')
const url = (name: string) => memberOf(spec, name).clientURL
const hashKV = (name: string, revision = 100) => ({method: 'hashKV', endpoint: url(name), args: [String(revision)]})
const HASH = '00005eed'

/** The new cluster (led by etcd5) and the source (led by etcd2), both at revision 100 with 10 keys. */
function harness() {
  const target = fakeCluster(spec, ['etcd4', 'etcd5', 'etcd6'], {leader: 'etcd5', clusterId: '88', revision: 100, keys: 10})
  const source = fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd2', revision: 100, keys: 10})
  const h = stepHarness({spec, plan, step, cluster: target, source})
  h.provider.snapshot = {...h.provider.snapshot, revision: 100}
  return h
}

describe('verify-data', {concurrency: true}, () => {
  it('is done when the new cluster holds the source\'s keys at the snapshot\'s revision, counted at each leader', async () => {
    const h = harness()
    assert.equal(await runVerifyData(h.ctx, step), `the new cluster holds the source's 10 keys at revision 100, HashKV ${HASH} on all 3 new members as on the source; the source has not moved since the snapshot`)
    assert.deepEqual(h.client.calls, [
      {method: 'countKeys', endpoint: url('etcd5'), args: []},
      {method: 'countKeys', endpoint: url('etcd2'), args: []},
      hashKV('etcd2'),
      hashKV('etcd4'),
      hashKV('etcd5'),
      hashKV('etcd6'),
    ])
    assert.deepEqual(
      h.provider.calls.map((c) => [c.method, c.member]),
      [
        ['putFile', 'etcd4'],
        ['snapshotStatus', 'etcd4'],
      ],
    )
  })

  it('refuses when the source moved on after the snapshot: those writes are not in the new cluster', async () => {
    const h = harness()
    h.source.revision = 105
    const error = await stepFailure(runVerifyData(h.ctx, step))
    assert.equal(error.reason, 'the source cluster moved from revision 100 to 105 after the snapshot: those writes are not in the new cluster')
  })

  it('refuses when the key counts differ at the same revision', async () => {
    const h = harness()
    h.cluster.keys = 9
    const error = await stepFailure(runVerifyData(h.ctx, step))
    assert.equal(error.reason, 'the new cluster has 9 keys, the source 10 at the same revision')
  })

  it('refuses when the new cluster is behind the snapshot', async () => {
    const h = harness()
    h.cluster.revision = 1
    const error = await stepFailure(runVerifyData(h.ctx, step))
    assert.equal(error.reason, 'the new cluster is at revision 1, the snapshot at 100')
  })

  it('is done when the source does not answer any more: it took no writes after the snapshot', async () => {
    const h = harness()
    h.source.unreachable = 'connect ECONNREFUSED 127.0.1.1:2379'
    assert.equal(await runVerifyData(h.ctx, step), `the new cluster holds 10 keys at revision 100 (snapshot revision 100), HashKV ${HASH} on all 3 new members; the source does not answer, so it took no writes after the snapshot`)
    assert.deepEqual(h.client.calls, [{method: 'countKeys', endpoint: url('etcd5'), args: []}, hashKV('etcd4'), hashKV('etcd5'), hashKV('etcd6')])
  })

  it('takes an empty store\'s snapshot (revision 0) to match a fresh cluster at revision 1', async () => {
    const h = harness()
    h.provider.snapshot = {...h.provider.snapshot, revision: 0}
    h.cluster.revision = 1
    h.source.revision = 1
    h.cluster.keys = 0
    h.source.keys = 0
    assert.equal(await runVerifyData(h.ctx, step), `the new cluster holds the source's 0 keys at revision 1, HashKV ${HASH} on all 3 new members as on the source; the source has not moved since the snapshot`)
    assert.ok(h.client.calls.some((c) => c.method === 'hashKV' && c.args[0] === '1'), 'hashed at revision 1')
  })

  it('waits for the new cluster to have a leader before it counts', async () => {
    const h = harness()
    h.cluster.leader = null
    h.cluster.then(
      () => {},
      (c) => (c.leader = 'etcd6'),
    )
    await runVerifyData(h.ctx, step)
    assert.deepEqual(h.waits(), ['waiting for the new cluster to have a leader'])
    assert.equal(h.client.calls[0]?.endpoint, url('etcd6'))
  })

  it('takes the snapshot revision snapshot-verify journaled, without running the snapshot tool again', async () => {
    const h = harness()
    h.provider.snapshot = {...h.provider.snapshot, revision: 7}
    await h.ctx.recordSnapshot({path: step.snapshotPath, sha256: 'b'.repeat(64), bytes: 4096, status: {hash: 1, revision: 100, totalKey: 10, totalSize: 4064, tool: 'etcdctl'}})
    await runVerifyData(h.ctx, step)
    assert.deepEqual(h.provider.calls, [], 'no putFile, no snapshot status')
  })

  it('refuses when the new cluster\'s HashKV differs from the source\'s at the snapshot revision, naming both', async () => {
    const h = harness()
    h.source.kvHash = 0xbad
    const error = await stepFailure(runVerifyData(h.ctx, step))
    assert.equal(error.reason, `the new cluster's data differs from the source's at revision 100: HashKV ${HASH} on etcd4, etcd5, etcd6, 00000bad on the source's etcd2`)
    assert.match(error.hint ?? '', /^do not move clients/)
  })

  it('refuses when one restored member differs from the others, naming it', async () => {
    const h = harness()
    h.cluster.memberKvHash = {etcd6: 0x1234}
    const error = await stepFailure(runVerifyData(h.ctx, step))
    assert.equal(error.reason, `the restored members differ at revision 100: HashKV ${HASH} on etcd4, 00001234 on etcd6`)
  })

  it('does not compare hashes under different compaction revisions, and says the key count decided', async () => {
    const h = harness()
    h.source.compactRevision = 90
    h.source.kvHash = 0xbad
    assert.equal(await runVerifyData(h.ctx, step), "the new cluster holds the source's 10 keys at revision 100 (HashKV not comparable: the source's compaction revision is 90, the new cluster's -1; key count and revision checked); the source has not moved since the snapshot")
  })
})
