import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {allCases} from '../../lab/bench/cases.js'
import {catchUpRates, floorsOf, runRate} from '../../lab/bench/case-summary.js'
import {floorOf, HEALTH_WINDOW_MS, rateOf} from '../../lab/bench/floor.js'
import type {RunResult} from '../../lab/bench/run-once.js'

const MB = 1e6

function run(contender: RunResult['contender'], fields: Partial<RunResult>): RunResult {
  return {
    round: 1, caseId: 'join-300m-3.4', contender, ok: true, error: null, exitCode: 0, sourceLeader: 'etcd1', wallMs: 20_000, loadMs: 0, dbBytes: 300 * MB, writer: null,
    keysLost: 0, writesLost: 0, peakRssBytes: null, steps: [], applyElapsedMs: null, healthWindows: [], catchUpMs: {}, restartsMs: [], figures: {}, logFile: '', estimate: null,
    ...fields,
  }
}

describe('the floor etcd imposes', () => {
  it('adds 5 s per health window, the catch-up at the rate and every measured restart', () => {
    const floor = floorOf({healthWindows: 2, catchUpBytes: [30 * MB, 30 * MB, 30 * MB], transferBytesPerSecond: 150 * MB, restartsMs: [400, 500, 600]})
    assert.equal(floor.catchUpMs, 600)
    // Each window overlaps the catch-up of the member before it: 5 s - 0.2 s beyond it.
    assert.equal(floor.windowsMs, 2 * (HEALTH_WINDOW_MS - 200))
    assert.equal(floor.restartsMs, 1500)
    assert.equal(floor.totalMs, 2 * HEALTH_WINDOW_MS + 200 + 1500)
  })

  it('a catch-up longer than 5 s hides the window after it; without windows (3.5.30+) only catch-ups count', () => {
    const big = floorOf({healthWindows: 2, catchUpBytes: [900 * MB, 900 * MB, 900 * MB], transferBytesPerSecond: 150 * MB, restartsMs: []})
    assert.equal(big.windowsMs, 0)
    assert.equal(big.totalMs, 18_000)
    assert.equal(floorOf({healthWindows: 0, catchUpBytes: [150 * MB, 150 * MB], transferBytesPerSecond: 150 * MB, restartsMs: []}).totalMs, 2000)
  })

  it('counts no catch-up without a measured rate, and no rate from nothing', () => {
    assert.equal(floorOf({healthWindows: 1, catchUpBytes: [MB], transferBytesPerSecond: null, restartsMs: []}).totalMs, 5000)
    assert.equal(rateOf(MB, 0), null)
    assert.equal(rateOf(0, 1000), null)
    assert.equal(rateOf(300 * MB, 2000), 150 * MB)
  })

  it("a run's rate is every new member's DB over their catch-up times together", () => {
    assert.equal(runRate({dbBytes: 300 * MB, catchUpMs: {etcd4: 1000, etcd5: 2000, etcd6: 3000}}), (900 * MB) / 6)
    assert.equal(runRate({dbBytes: 300 * MB, catchUpMs: {}}), null)
  })

  it("charges etcdplan's own windows and restarts, and its catch-ups at the case's best rate", () => {
    const join = allCases().find((c) => c.id === 'join-300m-3.4')!
    const runs = [
      run('expert', {catchUpMs: {etcd4: 3000, etcd5: 3000, etcd6: 3000}}), // 100 MB/s
      run('etcdplan', {catchUpMs: {etcd4: 2000, etcd5: 2000, etcd6: 2000}, healthWindows: [{step: 'add-learner/etcd5', waitedMs: 4900}], restartsMs: [300, 300, 400]}), // 150 MB/s
      run('etcdplan', {ok: false, healthWindows: [{step: 'x', waitedMs: 1}, {step: 'y', waitedMs: 1}]}),
    ]
    const rates = catchUpRates(runs)
    assert.equal(rates.etcdBytesPerSecond, 100 * MB)
    assert.equal(rates.etcdplanBytesPerSecond, 150 * MB)
    assert.equal(rates.bestBytesPerSecond, 150 * MB)
    const floors = floorsOf(join, runs)
    assert.equal(floors.length, 1, 'only the successful etcdplan run has a floor')
    // One window after etcd4 (2 s of catch-up at 150 MB/s): 3 s beyond it; 3 × 2 s of catch-up; 1 s of restarts.
    assert.equal(floors[0]!.floor.totalMs, 3000 + 6000 + 1000)
    assert.deepEqual(floorsOf(allCases().find((c) => c.id === 'snapshot-300m-3.4')!, runs), [], 'no floor for a snapshot case')
  })
})
