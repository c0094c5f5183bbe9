// The rule that picks a snapshot migration's serving cluster, and the journal facts it reads:
// with a journal, the target once the journal is complete or its verify step is done, else the
// source; with none, the source if it answers, else the target.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import type {Journal, StepStatus} from '../../src/apply/journal.js'
import {chooseServingCluster} from '../../src/status/choose-serving-cluster.js'
import {NO_PROGRESS, readMigrationProgress} from '../../src/status/migration-progress.js'

function journalOf(steps: ReadonlyArray<[string, StepStatus]>, status: Journal['status'] = 'in-progress'): Journal {
  return {
    kind: 'etcdplan-journal', formatVersion: 1, name: 'm', planHash: 'sha256:0', specHash: 'sha256:0', status,
    createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', memberIds: {},
    steps: steps.map(([id, s]) => ({id, status: s, attempts: 1, startedAt: null, finishedAt: null, outcome: null, error: null})),
  }
}

describe('readMigrationProgress', () => {
  it('reads the members removed and started by done steps only, and whether verify is done', () => {
    const p = readMigrationProgress(journalOf([['remove-member/etcd1', 'done'], ['remove-member/etcd2', 'failed'], ['start-member/etcd4', 'done'], ['start-member/etcd5', 'running'], ['verify', 'pending']]))
    assert.deepEqual([[...p.removed], [...p.started], p.pastVerify], [['etcd1'], ['etcd4'], false])
    assert.equal(readMigrationProgress(journalOf([['verify', 'done'], ['verify-data', 'pending']])).pastVerify, true)
    assert.equal(readMigrationProgress(journalOf([], 'complete')).pastVerify, true)
    assert.equal(readMigrationProgress(null), NO_PROGRESS)
  })
})

describe('chooseServingCluster', () => {
  const past = {...NO_PROGRESS, pastVerify: true}
  it('with a journal: the target once past verify, else the source, whether or not the source answers', () => {
    assert.deepEqual(chooseServingCluster({present: true, progress: past}, true), {side: 'target', reason: 'the journal is past verify'})
    assert.deepEqual(chooseServingCluster({present: true, progress: NO_PROGRESS}, false), {side: 'source', reason: 'the journal is not past verify yet'})
  })
  it('with no journal: the source if it answers, else the target', () => {
    assert.equal(chooseServingCluster({present: false, progress: NO_PROGRESS}, true).side, 'source')
    assert.equal(chooseServingCluster({present: false, progress: NO_PROGRESS}, false).side, 'target')
  })
})
