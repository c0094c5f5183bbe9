// A case's figures across its runs (medians over the successful runs), as the tables show them:
// per contender; the floor etcd imposes on etcdplan's runs; the catch-up transfer rates.
import type {BenchCase, Contender} from './cases.js'
import {floorOf, rateOf, type Floor} from './floor.js'
import type {RunResult} from './run-once.js'
import {median} from './stats.js'

export interface CatchUpRates {
  /** Bytes per second the expert's learners achieved (etcd alone): each run's total bytes / total time, median. */
  readonly etcdBytesPerSecond: number | null
  readonly etcdplanBytesPerSecond: number | null
  /**
   * The fastest catch-up any run of the case achieved, bytes per second: what etcd can do on this
   * machine at best, so that the floor is a lower bound whichever tool's polling was slower.
   */
  readonly bestBytesPerSecond: number | null
}

/** Bytes per second of one run's catch-ups: every new member received `dbBytes`. */
export function runRate(run: Pick<RunResult, 'dbBytes' | 'catchUpMs'>): number | null {
  const times = Object.values(run.catchUpMs)
  if (times.length === 0) return null
  return rateOf(run.dbBytes * times.length, times.reduce((sum, ms) => sum + ms, 0))
}

function medianRate(runs: readonly RunResult[]): number | null {
  const rates = runs.map(runRate).filter((r): r is number => r !== null)
  return rates.length === 0 ? null : median(rates)
}

export function catchUpRates(runs: readonly RunResult[]): CatchUpRates {
  const ok = (c: Contender): RunResult[] => runs.filter((r) => r.ok && r.contender === c)
  const all = [...ok('expert'), ...ok('etcdplan')].map(runRate).filter((r): r is number => r !== null)
  return {etcdBytesPerSecond: medianRate(ok('expert')), etcdplanBytesPerSecond: medianRate(ok('etcdplan')), bestBytesPerSecond: all.length === 0 ? null : Math.max(...all)}
}

/**
 * The floor of each successful etcdplan join run: its own 5-s windows and restarts, its new members'
 * catch-up at the best rate etcd achieved in this case (the expert's learners or etcdplan's).
 */
export function floorsOf(benchCase: BenchCase, runs: readonly RunResult[]): {run: RunResult; floor: Floor}[] {
  if (benchCase.kind !== 'join') return []
  const rate = catchUpRates(runs).bestBytesPerSecond
  return runs
    .filter((r) => r.ok && r.contender === 'etcdplan')
    .map((run) => ({
      run,
      floor: floorOf({
        healthWindows: run.healthWindows.length,
        catchUpBytes: Object.keys(run.catchUpMs).map(() => run.dbBytes),
        transferBytesPerSecond: rate,
        restartsMs: run.restartsMs,
      }),
    }))
}
