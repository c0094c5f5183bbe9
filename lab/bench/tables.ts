// The benchmark's output: one line per run as it finishes, and per case one markdown table with the
// ratios, the floor and the catch-up rates under it.
import {LABEL, type BenchCase, type Contender} from './cases.js'
import {catchUpRates, floorsOf} from './case-summary.js'
import type {RunResult} from './run-once.js'
import {median, spread} from './stats.js'

const seconds = (ms: number): string => (ms / 1000).toFixed(1)
const whole = (n: number): string => String(Math.round(n))
const megabytes = (bytes: number): string => String(Math.round(bytes / 1e6))
const rate = (bytesPerSecond: number): string => `${Math.round(bytesPerSecond / 1e6)} MB/s`

export function describeRun(r: RunResult): string {
  const head = `${r.caseId.padEnd(18)} round ${r.round}  ${r.contender.padEnd(17)}`
  if (!r.ok && r.wallMs === 0) return `${head}  FAILED: ${r.error}`
  const parts = [`${seconds(r.wallMs).padStart(5)} s`, `DB ${megabytes(r.dbBytes)} MB`, `leader ${r.sourceLeader ?? '?'}`]
  if (r.writer !== null) {
    parts.push(
      `put latency max ${whole(r.writer.maxLatencyMs)} ms p99 ${whole(r.writer.p99LatencyMs)} ms${r.writer.stallDuring === null ? '' : ` (longest gap ${whole(r.writer.maxStallMs)} ms ${r.writer.stallDuring})`}`,
      `${r.writer.failedAttempts} failed puts`,
      `${r.writer.missedWatchEvents} missed watch events${r.writer.watcherEndedEarly === null ? '' : ` (${r.writer.watcherEndedEarly})`}`,
      `${r.writer.acknowledged} acked`,
    )
  }
  parts.push(`keys lost ${r.keysLost}, acked writes lost ${r.writesLost}`)
  if (r.peakRssBytes !== null) parts.push(`peak RSS ${megabytes(r.peakRssBytes)} MB`)
  if (r.healthWindows.length > 0) parts.push(`${r.healthWindows.length} × 5-s window`)
  const catchUps = Object.entries(r.catchUpMs)
  if (catchUps.length > 0) parts.push(`catch-up ${catchUps.map(([m, ms]) => `${m} ${seconds(ms)} s`).join(' ')}`)
  if (r.restartsMs.length > 0) parts.push(`restarts ${r.restartsMs.map((ms) => seconds(ms)).join(' ')} s`)
  return `${head}  ${parts.join(', ')}${r.ok ? '' : `  FAILED: ${r.error}`}`
}

/** The case's heading, table and the lines under it. */
export function caseTable(benchCase: BenchCase, runs: readonly RunResult[], etcdVersion: string): string {
  const ok = runs.filter((r) => r.ok)
  const rounds = Math.max(0, ...runs.map((r) => r.round))
  const db = ok.length === 0 ? '?' : megabytes(median(ok.map((r) => r.dbBytes)))
  const shape = `${benchCase.shape.keys.toLocaleString('en-US')} × ${benchCase.shape.valueBytes >= 1024 ? `${benchCase.shape.valueBytes / 1024} KiB` : `${benchCase.shape.valueBytes} B`}`
  const what = benchCase.kind === 'join' ? '3 → 3 join (learners for etcdplan and the expert; rolling restart, finalState new)' : '3 → 3 by snapshot (no writer: writes after a snapshot are not carried over)'
  const lines = [
    `### ${benchCase.id}: ${what}, ${shape} (DB ${db} MB), ${etcdVersion}, ${rounds} round${rounds === 1 ? '' : 's'}`,
    '',
    `| contender | runs ok | wall, s | wall ÷ ${benchCase.kind === 'join' ? 'expert' : 'by hand'} | max put latency, ms | p99 put latency, ms | failed puts | missed watch events | keys / acked writes lost | peak RSS, MB |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  ]
  const reference: Contender = benchCase.kind === 'join' ? 'expert' : 'by-hand'
  const referenceWall = ok.filter((r) => r.contender === reference).map((r) => r.wallMs)
  for (const contender of benchCase.contenders) {
    const all = runs.filter((r) => r.contender === contender)
    const good = all.filter((r) => r.ok)
    const w = good.map((r) => r.writer).filter((x) => x !== null)
    const cell = (pick: (x: NonNullable<RunResult['writer']>) => number): string => (w.length === 0 ? '–' : spread(w.map(pick), whole))
    const lost = good.length === 0 ? '–' : `${Math.max(...good.map((r) => r.keysLost))} / ${Math.max(...good.map((r) => r.writesLost))}`
    const rss = good.map((r) => r.peakRssBytes).filter((x): x is number => x !== null)
    lines.push(
      `| ${LABEL[contender]} | ${good.length}/${all.length} | ${spread(good.map((r) => r.wallMs), seconds)} | ${good.length === 0 || referenceWall.length === 0 ? '–' : (median(good.map((r) => r.wallMs)) / median(referenceWall)).toFixed(2)} | ${cell((x) => x.maxLatencyMs)} | ${cell((x) => x.p99LatencyMs)} | ${cell((x) => x.failedAttempts)} | ${cell((x) => x.missedWatchEvents)} | ${lost} | ${rss.length === 0 ? '–' : spread(rss, megabytes)} |`,
    )
  }
  lines.push('', 'median (min–max) over the successful runs; wall ÷: of the medians; keys and acknowledged writes checked on the new members after every run; peak RSS: VmHWM of the etcdplan node process, read from /proc every 50 ms.')
  const wall = (c: Contender): number[] => ok.filter((r) => r.contender === c).map((r) => r.wallMs)
  const ratio = (a: Contender, b: Contender): string | null => (wall(a).length === 0 || wall(b).length === 0 ? null : (median(wall(a)) / median(wall(b))).toFixed(2))
  if (benchCase.kind === 'join') {
    const expert = ratio('etcdplan', 'expert')
    const runbook = ratio('etcdplan', 'runbook')
    if (expert !== null) lines.push(`- wall time etcdplan / expert: **${expert}**${runbook === null ? '' : ` (etcdplan / runbook: ${runbook})`}`)
    lines.push(...floorLines(benchCase, runs))
  } else {
    const byHand = ratio('etcdplan-snapshot', 'by-hand')
    if (byHand !== null) lines.push(`- wall time etcdplan / by hand: **${byHand}**`)
  }
  return lines.join('\n')
}

function floorLines(benchCase: BenchCase, runs: readonly RunResult[]): string[] {
  const floors = floorsOf(benchCase, runs)
  const rates = catchUpRates(runs)
  const lines: string[] = []
  if (floors.length > 0) {
    const pick = (f: (x: (typeof floors)[number]) => number): number => median(floors.map(f))
    const windows = pick((x) => x.run.healthWindows.length)
    const waited = floors.flatMap((x) => x.run.healthWindows.map((w) => w.waitedMs)).filter((ms) => !Number.isNaN(ms))
    const restarts = floors.flatMap((x) => x.run.restartsMs)
    const members = pick((x) => Object.keys(x.run.catchUpMs).length)
    const total = pick((x) => x.floor.totalMs)
    const etcdplanWall = median(floors.map((x) => x.run.wallMs))
    const catchUp = rates.bestBytesPerSecond === null ? 'catch-up not counted (no run measured a rate)' : `catch-up ${seconds(pick((x) => x.floor.catchUpMs))} s (${members} × ${megabytes(pick((x) => x.run.dbBytes))} MB at ${rate(rates.bestBytesPerSecond)}, the best rate of the case's runs)`
    lines.push(
      `- floor (the waits etcd imposes in etcdplan's runs): **${seconds(total)} s** = ${windows} × 5-s window (${seconds(pick((x) => x.floor.windowsMs))} s beyond the catch-ups they overlap${waited.length === 0 ? '' : `; etcdplan waited ${spread(waited, (ms) => (ms / 1000).toFixed(2))} s each after the refusal`}) + ${catchUp} + ${pick((x) => x.run.restartsMs.length)} restarts until serving ${seconds(pick((x) => x.floor.restartsMs))} s${restarts.length === 0 ? '' : ` (${spread(restarts, (ms) => (ms / 1000).toFixed(2))} s each, from etcd's log)`}; etcdplan / floor: **${(etcdplanWall / total).toFixed(2)}**`,
    )
  }
  if (rates.etcdBytesPerSecond !== null || rates.etcdplanBytesPerSecond !== null) {
    const pct = rates.etcdBytesPerSecond !== null && rates.etcdplanBytesPerSecond !== null ? `, **${Math.round((rates.etcdplanBytesPerSecond / rates.etcdBytesPerSecond) * 100)} %** of etcd's` : ''
    lines.push(
      `- catch-up transfer (each new member receives the leader's DB; from its start until caught up): etcd alone (the expert's learners) ${rates.etcdBytesPerSecond === null ? '–' : rate(rates.etcdBytesPerSecond)}, etcdplan (start-member to wait-caught-up) ${rates.etcdplanBytesPerSecond === null ? '–' : rate(rates.etcdplanBytesPerSecond)}${pct}${benchCase.shape.id === '20k' ? ' (a small DB: start-up dominates, not a transfer rate)' : ''}`,
    )
  }
  return lines
}
