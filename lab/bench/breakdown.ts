// Where etcdplan's time goes in a case (its step-done events summed by step kind), the scripts'
// phases, and the plan's estimates against the real runs (from the journal).
import {LABEL, type BenchCase} from './cases.js'
import type {RunResult} from './run-once.js'
import {median, spread} from './stats.js'

const seconds = (ms: number): string => (ms / 1000).toFixed(1)

/** How long at least one of the steps was running: the length of the union of their intervals. */
export function unionMs(steps: readonly {readonly startMs: number; readonly endMs: number}[]): number {
  let total = 0
  let reach = -Infinity
  for (const step of [...steps].sort((a, b) => a.startMs - b.startMs)) {
    if (step.endMs <= reach) continue
    total += step.endMs - Math.max(step.startMs, reach)
    reach = step.endMs
  }
  return total
}

export function breakdown(benchCase: BenchCase, results: readonly RunResult[]): string {
  const lines: string[] = []
  const plans = results.filter((r) => (r.contender === 'etcdplan' || r.contender === 'etcdplan-snapshot') && r.ok && r.steps.length > 0)
  if (plans.length > 0) {
    const kindOf = (id: string): string => id.split('/')[0]!
    const kinds = [...new Set(plans.flatMap((r) => r.steps.map((s) => kindOf(s.id))))]
    const wall = median(plans.map((r) => r.wallMs))
    const rows = kinds.map((kind) => ({
      kind,
      count: plans[0]!.steps.filter((s) => kindOf(s.id) === kind).length,
      ms: median(plans.map((r) => r.steps.filter((s) => kindOf(s.id) === kind).reduce((sum, s) => sum + s.elapsedMs, 0))),
    }))
    const top = rows.sort((a, b) => b.ms - a.ms).slice(0, 6)
    // Steps that run in parallel (e.g. restores on different hosts) overlap: the time some step ran is their union.
    const busy = median(plans.map((r) => unionMs(r.steps)))
    const applied = median(plans.map((r) => r.applyElapsedMs ?? 0))
    lines.push(
      `- etcdplan's time (median s by step kind, parallel steps summed): ${top.map((r) => `${r.kind} ×${r.count} ${(r.ms / 1000).toFixed(2)}`).join(', ')}; no step running ${((applied - busy) / 1000).toFixed(2)}; start-up and planning ${((wall - applied) / 1000).toFixed(2)}`,
    )
  }
  for (const contender of benchCase.contenders.filter((c) => c !== 'etcdplan' && c !== 'etcdplan-snapshot')) {
    const runs = results.filter((r) => r.contender === contender && r.ok)
    if (runs.length === 0) continue
    const keys = Object.keys(runs[0]!.figures).filter((k) => k.endsWith('_s') && k !== 'wall_s' && !/^(catchup|restart)_.+_s$/.test(k))
    lines.push(`- ${LABEL[contender]} phases, s: ${keys.map((k) => `${k.replace(/_s$/, '')} ${spread(runs.map((r) => r.figures[k] ?? 0), (n) => n.toFixed(1))}`).join(', ')}`)
  }
  const estimates = results.filter((r) => r.ok && r.estimate !== null).map((r) => r.estimate!)
  if (estimates.length > 0) {
    lines.push(
      `- etcdplan's estimate against the run (steps with an estimate, from the journal): estimated ${spread(estimates.map((e) => e.estimatedMs), seconds)} s, took ${spread(estimates.map((e) => e.actualMs), seconds)} s, actual / estimate ${spread(estimates.map((e) => e.actualMs / e.estimatedMs), (n) => n.toFixed(2))}`,
    )
  }
  return lines.join('\n')
}
