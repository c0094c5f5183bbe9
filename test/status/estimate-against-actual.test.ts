import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {estimateAgainstActual} from '../../src/status/estimate-against-actual.js'
import {describeTiming} from '../../src/render/render-status.js'
import type {Journal, StepRecord} from '../../src/apply/journal.js'

const record = (id: string, change: Partial<StepRecord>): StepRecord => ({id, status: 'pending', attempts: 0, startedAt: null, finishedAt: null, outcome: null, error: null, ...change})
const journal = (steps: StepRecord[]): Journal => ({kind: 'etcdplan-journal', formatVersion: 1, name: 'm', planHash: 'p', specHash: 's', status: 'in-progress', createdAt: '', updatedAt: '', memberIds: {}, steps})

describe('status: estimate against actual', () => {
  it('compares the steps done whose estimate is known, and keeps the whole plan\'s estimate', () => {
    const timing = estimateAgainstActual(journal([
      record('preflight', {status: 'done', estimatedMs: 300, durationMs: 200}),
      // An older record without durationMs: from its timestamps.
      record('add-learner/etcd4', {status: 'done', estimatedMs: 5000, startedAt: '2026-12-01T10:00:00.000Z', finishedAt: '2026-12-01T10:00:06.000Z'}),
      record('switch-dns', {status: 'done', estimatedMs: null, durationMs: 60_000}),
      record('verify', {estimatedMs: 100}),
    ]))!
    assert.equal(timing.actualMs, 6200)
    assert.equal(timing.estimatedMs, 5300)
    assert.equal(timing.plannedMs, 5400)
    assert.deepEqual(timing.steps.map((s) => s.actualMs), [200, 6000, 60_000, null])
    const line = describeTiming({status: 'in-progress', done: 3, total: 4, next: null, failed: null, timing})
    assert.equal(line, '2 steps done took 6.2 s, estimated 5.3 s (1.17× the estimate); the whole plan is estimated at about 5.4 s')
  })

  it('is absent for a journal made without estimates', () => {
    assert.equal(estimateAgainstActual(journal([record('preflight', {status: 'done', durationMs: 10})])), null)
  })
})
