import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {allCases} from '../../lab/bench/cases.js'
import type {RunResult, WriterResult} from '../../lab/bench/run-once.js'
import {caseTable, describeRun} from '../../lab/bench/tables.js'
import {unionMs} from '../../lab/bench/breakdown.js'

const MB = 1e6
const writer = (fields: Partial<WriterResult> = {}): WriterResult => ({
  acknowledged: 700, failedAttempts: 4, maxLatencyMs: 120, p99LatencyMs: 40, maxStallMs: 120, stallDuring: null, errors: {}, missedWatchEvents: 0, missedWatchRange: null, watcherEndedEarly: null, ...fields,
})

function run(contender: RunResult['contender'], wallMs: number, fields: Partial<RunResult> = {}): RunResult {
  return {
    round: 1, caseId: 'join-300m-3.4', contender, ok: true, error: null, exitCode: 0, sourceLeader: 'etcd1', wallMs, loadMs: 0, dbBytes: 300 * MB, writer: writer(),
    keysLost: 0, writesLost: 0, peakRssBytes: null, steps: [], applyElapsedMs: null, healthWindows: [], catchUpMs: {}, restartsMs: [], figures: {}, logFile: '', estimate: null,
    ...fields,
  }
}

describe('bench tables', () => {
  const join = allCases().find((c) => c.id === 'join-300m-3.4')!
  const runs = [
    run('runbook', 20_000, {writer: writer({maxLatencyMs: 3550, missedWatchEvents: 103})}),
    run('expert', 16_000, {catchUpMs: {etcd4: 2000, etcd5: 2000, etcd6: 2000}}),
    run('etcdplan', 14_000, {peakRssBytes: 125 * MB, catchUpMs: {etcd4: 2000, etcd5: 2000, etcd6: 2000}, healthWindows: [{step: 'add-learner/etcd5', waitedMs: 3000}, {step: 'add-learner/etcd6', waitedMs: 3000}], restartsMs: [500, 500, 500]}),
  ]
  const table = caseTable(join, runs, 'etcd 3.4.23')

  it('one row per contender with wall ÷ expert, latencies, missed watch events and etcdplan’s RSS', () => {
    const row = (label: string): string => table.split('\n').find((l) => l.startsWith(`| ${label} |`)) ?? assert.fail(`no row ${label} in\n${table}`)
    assert.equal(row('runbook script (etcdctl)'), '| runbook script (etcdctl) | 1/1 | 20.0 | 1.25 | 3550 | 40 | 4 | 103 | 0 / 0 | – |')
    assert.equal(row('etcdplan apply'), '| etcdplan apply | 1/1 | 14.0 | 0.88 | 120 | 40 | 4 | 0 | 0 / 0 | 125 |')
    assert.match(table, /^### join-300m-3\.4: .*4,600 × 64 KiB \(DB 300 MB\), etcd 3\.4\.23, 1 round$/m)
    assert.match(table, /wall time etcdplan \/ expert: \*\*0\.88\*\*/)
  })

  it('prints the floor (windows beyond the catch-ups, catch-ups at the best rate, restarts) and the catch-up rates', () => {
    // 150 MB/s for both: 2 s per member; each window 3 s beyond; restarts 1.5 s: 6 + 6 + 1.5 = 13.5 s.
    assert.match(table, /floor .*\*\*13\.5 s\*\* = 2 × 5-s window \(6\.0 s beyond/)
    assert.match(table, /etcdplan \/ floor: \*\*1\.04\*\*/)
    assert.match(table, /etcd alone \(the expert's learners\) 150 MB\/s, etcdplan .* 150 MB\/s, \*\*100 %\*\* of etcd's/)
  })

  it("a run's line says what failed, and a watcher that broke", () => {
    assert.match(describeRun(run('etcdplan', 0, {ok: false, error: 'etcdplan exited with 1'})), /FAILED: etcdplan exited with 1$/)
    assert.match(describeRun(run('runbook', 9000, {writer: writer({missedWatchEvents: 5, watcherEndedEarly: 'etcdctl watch exited (code 1) during the run'})})), /5 missed watch events \(etcdctl watch exited \(code 1\) during the run\)/)
  })

  it('counts parallel steps once in the time some step was running', () => {
    // Three restores side by side from 1 s to 3 s, then a start from 4 s to 5 s.
    const steps = [{startMs: 1000, endMs: 3000}, {startMs: 1000, endMs: 2900}, {startMs: 1100, endMs: 3000}, {startMs: 4000, endMs: 5000}]
    assert.equal(unionMs(steps), 3000)
    assert.equal(unionMs([]), 0)
  })
})
