// The data-dir-empty gate of start-member on what a failed first start of etcd leaves (member/snap/db
// and directories, no WAL: failed-start-debris.ts), with a fake cluster and provider: for a member the
// cluster lists as never started, that data dir is moved aside through the provider (never deleted)
// and etcd is started, the outcome saying where it went; anything more (a WAL file, even unreadable,
// in its WAL dir; a snapshot file; a stray file) is refused as before and nothing is moved; a member
// that has published its name keeps its data dir untouched.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {isFailedStartDebris} from '../../src/apply/gates/failed-start-debris.js'
import {runStartMember} from '../../src/apply/steps/start-member.js'
import type {DataDirContents} from '../../src/nodes/node-provider.js'
import type {FakeMemberState} from '../fixtures/fake-cluster.js'
import {fakeCluster, joinMigration, plannedConfig, stepOf} from '../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../fixtures/step-context.js'

const {spec, plan} = joinMigration()
const start = stepOf(plan, 'start-member/etcd4', 'start-member')
const config = plannedConfig(plan, 'etcd4')
const DATA = '/data/etcd4'

/** What etcd 3.4.23 left after `member count is unequal` (test/fixtures/etcd-logs/README.md). */
const DEBRIS: DataDirContents = {path: DATA, exists: true, isDirectory: true, entries: ['member'], wal: null, files: ['member/snap/db'], walDirEntries: []}

function harness(dataDir: DataDirContents, etcd4: Partial<FakeMemberState> = {learner: true, started: false}) {
  const h = stepHarness({spec, plan, step: start, cluster: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3', 'etcd4'], {leader: 'etcd1'}, {etcd4})})
  h.provider.configs.set(config.path, config.content)
  h.provider.dataDirs.set('etcd4', dataDir)
  return h
}

describe('failed-start debris', {concurrency: true}, () => {
  it('is member/snap/db and directories, with no WAL anywhere', () => {
    assert.equal(isFailedStartDebris(DEBRIS), true)
    assert.equal(isFailedStartDebris({...DEBRIS, files: []}), true, 'empty directories only')
    assert.equal(isFailedStartDebris({...DEBRIS, walDirEntries: ['0000000000000000-0000000000000000.wal']}), false, 'a WAL file it could not read')
    assert.equal(isFailedStartDebris({...DEBRIS, walDirEntries: ['0.tmp']}), false, 'anything in the WAL dir')
    assert.equal(isFailedStartDebris({...DEBRIS, wal: {memberId: '1', clusterId: '2'}}), false)
    assert.equal(isFailedStartDebris({...DEBRIS, files: ['member/snap/db', 'member/snap/0000000000000002-0000000000000001.snap']}), false, 'a raft snapshot: a member that ran')
    assert.equal(isFailedStartDebris({...DEBRIS, entries: ['member', 'notes.txt'], files: ['member/snap/db', 'notes.txt']}), false)
    assert.equal(isFailedStartDebris({...DEBRIS, isDirectory: false, entries: [], files: []}), false)
  })

  it('of a never-started member is moved aside through the provider, then etcd starts; the outcome says where it went', async () => {
    const h = harness(DEBRIS)
    const outcome = await runStartMember(h.ctx, start)
    assert.equal(outcome, `${DATA} held only what a failed start of etcd leaves (member/snap/db) and was moved aside to ${DATA}.failed-start-20260102T030405Z; etcd4 started and published its name`)
    assert.deepEqual(h.provider.movedAside.get('etcd4'), {path: `${DATA}.failed-start-20260102T030405Z`, contents: DEBRIS})
    assert.deepEqual(h.log.filter((l) => l.startsWith('provider.')), ['provider.moveDataDirAside etcd4', 'provider.start etcd4'])
  })

  it('with more than a failed start leaves is refused as before, and nothing is moved', async () => {
    for (const dir of [
      {...DEBRIS, walDirEntries: ['0000000000000000-0000000000000000.wal']},
      {...DEBRIS, files: ['member/snap/db', 'member/snap/0000000000000002-0000000000000001.snap']},
      {...DEBRIS, entries: ['member', 'notes.txt'], files: ['member/snap/db', 'notes.txt']},
    ]) {
      const h = harness(dir)
      const error = await stepFailure(runStartMember(h.ctx, start))
      assert.match(error.reason, /^precondition data-dir-empty \(".*"\) does not hold: the data dir \/data\/etcd4 of etcd4 is not empty \(it holds member/, JSON.stringify(dir))
      assert.deepEqual(h.provider.callsOf('moveDataDirAside'), [])
      assert.deepEqual(h.provider.callsOf('start'), [])
    }
  })

  it('of a member that has published its name is its own: not moved', async () => {
    const h = harness(DEBRIS, {learner: true, started: true, running: false})
    await runStartMember(h.ctx, start)
    assert.deepEqual(h.provider.callsOf('moveDataDirAside'), [])
    assert.equal(h.provider.callsOf('start').length, 1)
  })
})
