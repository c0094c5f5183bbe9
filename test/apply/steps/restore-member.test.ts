// restore-member against a fake provider: the snapshot is restored once into the member's data dir,
// with the plan's initial cluster, token and peer URL, the snapshot put on the member's host from the
// same path; a data dir that holds a restore etcdplan completed is done ("already holds"); one that
// holds anything else is refused naming data-dir-empty and never touched; a failure on the host
// stops the step with the host's log. It neither observes nor calls the cluster.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runRestoreMember} from '../../../src/apply/steps/restore-member.js'
import {NodeProviderError} from '../../../src/nodes/node-provider.js'
import {RESTORED_MARK} from '../../../src/nodes/node-provider.js'
import {fakeCluster, snapshotMigration, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'
import {tempDir} from '../../fixtures/temp-dir.js'

const {spec, plan} = snapshotMigration(tempDir('etcdplan-restore-'))
const restore = stepOf(plan, 'restore-member/etcd4', 'restore-member')

function harness() {
  const down = {running: false}
  const target = fakeCluster(spec, ['etcd4', 'etcd5', 'etcd6'], {leader: null}, {etcd4: down, etcd5: down, etcd6: down})
  return stepHarness({spec, plan, step: restore, cluster: target, source: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd1'})})
}

describe('restore-member', {concurrency: true}, () => {
  it('restores once into the fresh data dir, with the plan\'s initial cluster, token and peer URL', async () => {
    const h = harness()
    assert.equal(await runRestoreMember(h.ctx, restore), `restored into ${restore.dataDir}`)
    assert.deepEqual(h.provider.callsOf('restore'), [
      {
        method: 'restore',
        member: 'etcd4',
        args: [
          {
            snapshotPath: restore.snapshotPath,
            localSnapshotPath: restore.snapshotPath,
            dataDir: '.etcdplan/local/etcd4/data',
            initialCluster: 'etcd4=http://127.0.2.1:2380,etcd5=http://127.0.2.2:2380,etcd6=http://127.0.2.3:2380',
            initialClusterToken: 'test-token',
            peerURL: 'http://127.0.2.1:2380',
          },
        ],
      },
    ])
    assert.equal(h.cluster.observations + h.source.observations, 0)
    assert.deepEqual(h.client.calls, [])
  })

  it('is done when the data dir holds a restore etcdplan completed (the provider finds it restored)', async () => {
    const h = harness()
    h.provider.dataDirs.set('etcd4', {path: restore.dataDir, exists: true, isDirectory: true, entries: ['member', RESTORED_MARK], wal: null, files: [RESTORED_MARK, 'member/snap/db'], walDirEntries: ['0000000000000000-0000000000000000.wal']})
    h.provider.restoreResult = 'already-restored'
    assert.equal(await runRestoreMember(h.ctx, restore), `${restore.dataDir} already holds the restored member`)
  })

  it('refuses a data dir it did not restore, naming data-dir-empty, and never touches it', async () => {
    const h = harness()
    h.provider.dataDirs.set('etcd4', {path: restore.dataDir, exists: true, isDirectory: true, entries: ['member'], wal: null, files: ['member/snap/db'], walDirEntries: []})
    const error = await stepFailure(runRestoreMember(h.ctx, restore))
    assert.match(error.reason, /^precondition data-dir-empty \(".*"\) does not hold: the data dir \.etcdplan\/local\/etcd4\/data of etcd4 already exists and was not restored by etcdplan$/)
    assert.deepEqual(h.provider.callsOf('restore'), [])
  })

  it('stops with the host\'s log when the restore fails there', async () => {
    const h = harness()
    h.provider.fail('restore', new NodeProviderError('etcdutl snapshot restore failed: snapshot file integrity check failed', 'etcd4', 'the log tail'))
    const error = await stepFailure(runRestoreMember(h.ctx, restore))
    assert.equal(error.reason, 'etcdutl snapshot restore failed: snapshot file integrity check failed')
    assert.equal(error.detail, 'the log tail')
  })
})
