// snapshot-verify against a fake provider: the snapshot is put on the first target member's host
// (same path) and checked there with that host's snapshot tool, once; the outcome is what the tool
// said (hash, revision, keys, size, which tool); a snapshot missing on the apply machine is refused
// naming snapshot-present before the host is asked; one the tool refuses stops the step with its stderr.
import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import {runSnapshotVerify} from '../../../src/apply/steps/snapshot-verify.js'
import {NodeProviderError} from '../../../src/nodes/node-provider.js'
import {fakeCluster, snapshotMigration, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'
import {tempDir} from '../../fixtures/temp-dir.js'

const present = snapshotMigration(tempDir('etcdplan-snapshot-verify-'))
const missing = snapshotMigration(tempDir('etcdplan-snapshot-missing-'))
const step = stepOf(present.plan, 'snapshot-verify', 'snapshot-verify')
writeFileSync(step.path, 'a snapshot')

function harness(m = present) {
  const s = stepOf(m.plan, 'snapshot-verify', 'snapshot-verify')
  return {step: s, ...stepHarness({...m, step: s, cluster: fakeCluster(m.spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd1'})})}
}

describe('snapshot-verify', {concurrency: true}, () => {
  it('puts the snapshot on the first target member\'s host and checks it there, once', async () => {
    const h = harness()
    h.provider.snapshot = {hash: 0xdeadbeef, revision: 321, totalKey: 17, totalSize: 24576, tool: 'etcdctl'}
    assert.equal(await runSnapshotVerify(h.ctx, h.step), 'hash deadbeef, revision 321, 17 keys, 24576 bytes (etcdctl snapshot status)')
    assert.deepEqual(
      h.provider.calls.map((c) => [c.method, c.member, c.args]),
      [
        ['putFile', 'etcd4', [{localPath: step.path, remotePath: step.path}]],
        ['snapshotStatus', 'etcd4', [step.path]],
      ],
    )
    assert.deepEqual(h.client.calls, [])
  })

  it('refuses a snapshot missing on the apply machine, naming snapshot-present, before the host is asked', async () => {
    const h = harness(missing)
    const error = await stepFailure(runSnapshotVerify(h.ctx, h.step))
    assert.match(error.reason, /^precondition snapshot-present \(".*"\) does not hold: the snapshot .*test-migration\.db is missing$/)
    assert.deepEqual(h.provider.calls, [])
  })

  it('stops with the tool\'s stderr when the snapshot does not check out', async () => {
    const h = harness()
    h.provider.fail('snapshotStatus', new NodeProviderError('etcdutl snapshot status failed: invalid database', 'etcd4', '', 'Error: invalid database\n'))
    const error = await stepFailure(runSnapshotVerify(h.ctx, h.step))
    assert.equal(error.reason, 'etcdutl snapshot status failed: invalid database')
    assert.equal(error.detail, 'Error: invalid database\n')
    assert.match(error.hint ?? '', /^the snapshot is corrupt or missing/)
  })
})
