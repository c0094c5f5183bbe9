// snapshot-save against a fake source cluster: with from: auto the snapshot is saved once, from the
// leader, to the plan's path; with a named member it waits until that member has applied everything
// the leader committed (member-caught-up), then saves from that member; a learner is refused. It acts
// on the source cluster only, and journals the file's sha256 as the save computed it.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runSnapshotSave} from '../../../src/apply/steps/snapshot-save.js'
import {fakeCluster, memberOf, snapshotMigration, stepOf, type MemberStates} from '../../fixtures/migration-plans.js'
import {FAKE_SNAPSHOT_SHA256} from '../../fixtures/fake-cluster-client.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'
import {tempDir} from '../../fixtures/temp-dir.js'

const dir = tempDir('etcdplan-snapshot-save-')

function harness(from: string, states: MemberStates = {}) {
  const {spec, plan} = snapshotMigration(dir, from)
  const step = stepOf(plan, 'snapshot-save', 'snapshot-save')
  const down = {running: false}
  const target = fakeCluster(spec, ['etcd4', 'etcd5', 'etcd6'], {leader: null}, {etcd4: down, etcd5: down, etcd6: down})
  const source = fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd2', revision: 321}, states)
  return {step, url: (name: string) => memberOf(spec, name).clientURL, ...stepHarness({spec, plan, step, cluster: target, source})}
}

describe('snapshot-save', {concurrency: true}, () => {
  it('saves once from the leader (from: auto), to the plan\'s path', async () => {
    const h = harness('auto')
    assert.equal(h.step.path, `${dir}/test-migration.db`)
    assert.equal(await runSnapshotSave(h.ctx, h.step), `saved 4096 bytes from etcd2 at revision 321 to ${h.step.path} (sha256 ${FAKE_SNAPSHOT_SHA256})`)
    assert.deepEqual(h.client.calls, [{method: 'saveSnapshot', endpoint: h.url('etcd2'), args: [h.step.path]}])
    // The sha256 taken while saving is journaled for the steps that copy and restore the file.
    assert.deepEqual(h.ctx.savedSnapshot(), {path: h.step.path, sha256: FAKE_SNAPSHOT_SHA256, bytes: 4096})
    assert.equal(h.cluster.observations, 0, 'the new cluster was observed')
  })

  it('waits until the named member has applied everything the leader committed, then saves from it', async () => {
    const h = harness('etcd3', {etcd3: {applied: 499}})
    h.source.then(
      () => {},
      (c) => c.update('etcd3', {applied: 500}),
    )
    assert.equal(await runSnapshotSave(h.ctx, h.step), `saved 4096 bytes from etcd3 at revision 321 to ${h.step.path} (sha256 ${FAKE_SNAPSHOT_SHA256})`)
    assert.deepEqual(h.waits(), ['waiting for etcd3 to apply everything the leader committed'])
    assert.deepEqual(h.client.calls, [{method: 'saveSnapshot', endpoint: h.url('etcd3'), args: [h.step.path]}])
  })

  it('refuses a learner as the member to save from, naming member-caught-up', async () => {
    const h = harness('etcd3', {etcd3: {learner: true}})
    const error = await stepFailure(runSnapshotSave(h.ctx, h.step))
    assert.match(error.reason, /^precondition member-caught-up \(".*"\) does not hold: etcd3 is a learner, and learners do not send snapshots$/)
    assert.deepEqual(h.client.calls, [])
  })

  it('waits for the source cluster to have a leader', async () => {
    const h = harness('auto')
    h.source.leader = null
    h.source.then(
      () => {},
      (c) => (c.leader = 'etcd1'),
    )
    assert.match(await runSnapshotSave(h.ctx, h.step), /^saved 4096 bytes from etcd1 /)
    assert.deepEqual(h.waits(), ['waiting for the source cluster to have a leader'])
  })
})
