// The migration benchmark (figures, not a test): the runbook's approach 1 scripted with etcdctl
// (scripts/runbook-etcdctl.sh) against `etcdplan apply SPEC --auto-approve`, on the same workload.
// Each run: a fresh 3-member source cluster on fresh loopback hosts, 20,000 keys of 1 KiB, a client
// writing every 20 ms to all 6 client URLs (lab/writer.ts) while the contender migrates the cluster
// onto 3 new members; then the keys and every acknowledged write are verified on the new members and
// every member is stopped. Contenders alternate within each round (a b, b a, a b, ...). The contender
// starts once the writer has run 1 s and the source cluster 6 s: a cluster that has been running for
// a while, not one etcd still refuses `member add` on (for 5 s after any member start).
// Prints machine info, one line per run, a markdown table of medians (min–max), the etcdplan/runbook
// wall-time ratio and where etcdplan spent its time (its --json step-done events); writes the raw
// results as JSON to --out and each contender's output to <out>-logs/.
// Usage: node dist/lab/bench-migration.js [--rounds N] [--out FILE] [--keys N] [--keep-failed]
import {execFileSync, spawn} from 'node:child_process'
import {createWriteStream} from 'node:fs'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {cpus, tmpdir, totalmem} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {messageOf} from '../src/cluster/etcd-failure.js'
import {readJournal, type Journal} from '../src/apply/journal.js'
import {estimateAgainstActual} from '../src/status/estimate-against-actual.js'
import {loadSpecFile} from '../src/spec/load-spec.js'
import type {Spec} from '../src/spec/types.js'
import {clusterEndpoints, startSourceCluster, stopAllMembers} from './local-cluster.js'
import {loadKeys, verifyKeys, type KeyLoadOptions} from './load-keys.js'
import {pickLoopbackHosts} from './loopback-hosts.js'
import {namedMembers, writeMigrationSpec} from './migration-spec.js'
import {startWriter, verifyAcknowledged, type Writer} from './writer.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CLI = join(ROOT, 'bin', 'run.js')
const RUNBOOK_SCRIPT = join(ROOT, 'scripts', 'runbook-etcdctl.sh')
const WRITER_INTERVAL_MS = 20
/** The writer runs at least this long before the contender starts, so the stall figure has a baseline. */
const WARM_UP_MS = 1000
/**
 * The contender starts no earlier than this after the source cluster started, as it would on a cluster
 * that has been running for a while: etcd refuses `member add` for 5 s (HealthInterval) after any
 * member starts (etcd-facts.md), which would otherwise add the same ~2 s to both contenders' first add.
 */
const SOURCE_AGE_MS = 6000
/** How often the bench samples the writer's progress to locate the longest stall in time. */
const SAMPLE_MS = 5
const TOKEN = 'bench-etcd'

/** `etcdplan-snapshot`: strategy snapshot (the runbook's approach 2), etcdplan only, without the writer (writes after the snapshot are not carried over, by design): measured for its estimate against its real duration. */
type Contender = 'runbook' | 'etcdplan' | 'etcdplan-snapshot'
const CONTENDERS: readonly Contender[] = ['runbook', 'etcdplan', 'etcdplan-snapshot']
const LABEL: Record<Contender, string> = {runbook: 'runbook script (etcdctl)', etcdplan: 'etcdplan apply', 'etcdplan-snapshot': 'etcdplan apply (snapshot)'}

/** The plan's estimate against the real durations, from the journal apply leaves (estimatedMs, durationMs per step). */
interface EstimateCheck {
  /** The plan's total over the steps with a known estimate. */
  readonly estimatedMs: number
  /** The same steps' measured durations, summed. */
  readonly actualMs: number
  readonly steps: readonly {readonly id: string; readonly estimatedMs: number | null; readonly actualMs: number | null}[]
}

interface StepTime {
  readonly id: string
  readonly elapsedMs: number
  /** Start and end relative to the contender's start (from the events' timestamps). */
  readonly startMs: number
  readonly endMs: number
}

interface RunResult {
  readonly round: number
  readonly contender: Contender
  readonly ok: boolean
  /** The source member leading when the contender started (the runbook removes it without a transfer). */
  readonly sourceLeader: string | null
  readonly error: string | null
  readonly exitCode: number | null
  readonly wallMs: number
  readonly maxStallMs: number
  /** When the longest gap between acknowledgements began, relative to the contender's start (sampled every 5 ms). */
  readonly stallAtMs: number | null
  /** The step running at stallAtMs (etcdplan: from its events; runbook: its last log line before). */
  readonly stallDuring: string | null
  readonly acknowledged: number
  readonly failedAttempts: number
  readonly errors: Record<string, number>
  readonly keysOk: boolean
  readonly lostWrites: number
  readonly loadMs: number
  /** etcdplan: every step-done event; runbook: none. */
  readonly steps: StepTime[]
  /** etcdplan: apply-done's elapsedMs (the applier's own time, without start-up and planning). */
  readonly applyElapsedMs: number | null
  /** runbook: the phases the script reports (add_s, remove_s, restart_s, wall_s). */
  readonly phases: Record<string, number>
  /** The contender's own output (etcdplan: --json events; runbook: its log). */
  readonly logFile: string
  /** etcdplan: its estimate against the real run; null for the runbook or when the journal lacks it. */
  readonly estimate: EstimateCheck | null
}

interface Options {
  readonly rounds: number
  readonly out: string
  readonly keys: number
  readonly keepFailed: boolean
}

function parseArgs(argv: readonly string[]): Options {
  let rounds = 3
  let out = join(tmpdir(), `etcdplan-bench-migration-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  let keys = 20_000
  let keepFailed = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    if (arg === '--rounds') rounds = positive(arg, value())
    else if (arg === '--out') out = resolve(value())
    else if (arg === '--keys') keys = positive(arg, value())
    else if (arg === '--keep-failed') keepFailed = true
    else throw new Error(`unknown argument ${arg}\nusage: bench-migration [--rounds N] [--out FILE] [--keys N] [--keep-failed]`)
  }
  return {rounds, out, keys, keepFailed}
}

/** Where each run's contender output goes: beside the results file. */
function logsDirOf(out: string): string {
  return out.replace(/\.json$/, '') + '-logs'
}

function positive(flag: string, text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number ≥ 1, not ${text}`)
  return n
}

function machineInfo(): Record<string, string | number> {
  const cpu = cpus()
  const firstLine = (cmd: string, args: string[]): string => {
    try {
      return execFileSync(cmd, args, {encoding: 'utf8'}).split('\n')[0]!.trim()
    } catch (error) {
      return `unknown (${messageOf(error)})`
    }
  }
  return {
    cores: cpu.length,
    cpu: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    etcd: firstLine('etcd', ['--version']),
    etcdctl: firstLine('etcdctl', ['version']),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2))
  const info = machineInfo()
  const keys: KeyLoadOptions = {count: options.keys, valueBytes: 1024, prefix: '/bench/keys/'}
  process.stdout.write(`Machine: ${info.cores} cores (${info.cpu}), ${info.memoryGiB} GiB, ${info.etcd}, ${info.etcdctl}, node ${info.node}\n`)
  process.stdout.write(`Workload: 3 → 3 members (disjoint), ${keys.count.toLocaleString('en-US')} keys × 1 KiB, a put every ${WRITER_INTERVAL_MS} ms to all 6 client URLs; ${options.rounds} round${options.rounds === 1 ? '' : 's'}, contenders alternating\n\n`)
  await mkdir(logsDirOf(options.out), {recursive: true})
  const results: RunResult[] = []
  let interrupted = false
  process.once('SIGINT', () => {
    interrupted = true
    process.stderr.write('\nSIGINT: finishing the run in progress (its members are stopped), then stopping\n')
  })
  for (let round = 1; round <= options.rounds && !interrupted; round++) {
    const order = round % 2 === 1 ? CONTENDERS : [...CONTENDERS].reverse()
    for (const contender of order) {
      if (interrupted) break
      const result = await runOnce(round, contender, keys, options)
      results.push(result)
      process.stdout.write(`${describe(result)}\n`)
    }
  }
  process.stdout.write(`\n${summaryTable(results)}\n`)
  process.stdout.write(`${breakdown(results)}\n`)
  process.stdout.write(`\n${estimateTable(results)}\n`)
  await writeFile(options.out, `${JSON.stringify({machine: info, workload: {keys: keys.count, valueBytes: keys.valueBytes, writerIntervalMs: WRITER_INTERVAL_MS, rounds: options.rounds}, results}, null, 2)}\n`)
  process.stdout.write(`\nRaw results: ${options.out}\nEach contender's output: ${logsDirOf(options.out)}/\n`)
  return results.every((r) => r.ok) && !interrupted ? 0 : 1
}

async function runOnce(round: number, contender: Contender, keys: KeyLoadOptions, options: Options): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), `etcdplan-bench-${contender}-`))
  const logFile = join(logsDirOf(options.out), `round-${round}-${contender}.log`)
  let spec: Spec | null = null
  let writer: Writer | null = null
  let ok = false
  let sourceLeader: string | null = null
  const partial = {wallMs: 0, loadMs: 0, exitCode: null as number | null}
  try {
    const hosts = await pickLoopbackHosts(6)
    const members = namedMembers('etcd', hosts)
    const snapshot = contender === 'etcdplan-snapshot'
    const written = await writeMigrationSpec({name: 'bench', dir, source: members.slice(0, 3), target: members.slice(3), token: TOKEN, ...(snapshot ? {strategy: 'snapshot' as const} : {})})
    const loaded = await loadSpecFile(written.path)
    if (loaded.spec === null) throw new Error(`the bench spec does not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`)
    spec = loaded.spec
    const source = await startSourceCluster(spec)
    sourceLeader = source.members.find((m) => m.id === source.leaderId)?.name ?? null
    const clusterStarted = performance.now()
    partial.loadMs = (await loadKeys(spec.source.members.map((m) => m.clientURL), keys)).durationMs

    const activeWriter = snapshot ? null : startWriter(clusterEndpoints(spec), {intervalMs: WRITER_INTERVAL_MS, prefix: '/bench/writer/'})
    writer = activeWriter
    await sleep(Math.max(WARM_UP_MS, SOURCE_AGE_MS - (performance.now() - clusterStarted)))
    const sampler = activeWriter === null ? null : sampleStalls(activeWriter)
    const startedAt = Date.now()
    const t0 = performance.now()
    const run = await runContender(contender, spec, written.path, dir, logFile)
    partial.wallMs = performance.now() - t0
    partial.exitCode = run.exitCode
    const stall = sampler?.stop() ?? null
    writer = null
    const figures = activeWriter === null ? {acked: new Map<string, string>(), acknowledged: 0, failedAttempts: 0, maxStallMs: 0, errors: new Map<string, number>()} : await activeWriter.stop()
    const estimate = contender === 'runbook' ? null : await estimateCheck(join(dir, '.etcdplan', 'bench', 'state.json'))

    const targetURLs = spec.target.members.map((m) => m.clientURL)
    const check = await verifyKeys(targetURLs, keys)
    const lost = await verifyAcknowledged(targetURLs, figures.acked)
    const keysOk = check.missing.length === 0 && check.wrong.length === 0
    const stallAtMs = stall === null ? null : stall.fromMs - (startedAt - stall.epochMs)
    ok = run.exitCode === 0 && keysOk && lost.length === 0
    return {
      round,
      contender,
      ok,
      sourceLeader,
      error: run.exitCode === 0 ? (ok ? null : 'verification failed') : `${contender} exited with ${run.exitCode}`,
      exitCode: run.exitCode,
      wallMs: partial.wallMs,
      maxStallMs: figures.maxStallMs,
      stallAtMs,
      stallDuring: stallAtMs === null ? null : stepAt(run, stallAtMs),
      acknowledged: figures.acknowledged,
      failedAttempts: figures.failedAttempts,
      errors: Object.fromEntries(figures.errors),
      keysOk,
      lostWrites: lost.length,
      loadMs: partial.loadMs,
      steps: run.steps,
      applyElapsedMs: run.applyElapsedMs,
      phases: run.phases,
      logFile,
      estimate,
    }
  } catch (error) {
    return {
      round, contender, ok: false, sourceLeader, error: messageOf(error), exitCode: partial.exitCode, wallMs: partial.wallMs, maxStallMs: 0, stallAtMs: null, stallDuring: null,
      acknowledged: 0, failedAttempts: 0, errors: {}, keysOk: false, lostWrites: 0, loadMs: partial.loadMs, steps: [], applyElapsedMs: null, phases: {}, logFile, estimate: null,
    }
  } finally {
    if (writer !== null) await writer.stop().catch(() => undefined)
    if (spec !== null) await stopAllMembers(spec).catch((error) => process.stderr.write(`bench: ${messageOf(error)}\n`))
    if (ok || !options.keepFailed) await rm(dir, {recursive: true, force: true})
    else process.stderr.write(`bench: run ${round}/${contender} failed; its work dir (members stopped) is kept: ${dir}\n`)
  }
}

interface ContenderRun {
  readonly exitCode: number
  readonly steps: StepTime[]
  readonly applyElapsedMs: number | null
  readonly phases: Record<string, number>
  /** runbook: its log lines with their time (s since its start), to place the stall. */
  readonly runbookLines: {atMs: number; text: string}[]
}

/** Runs one contender to completion, asynchronously (the writer keeps writing); its output goes to logFile. */
async function runContender(contender: Contender, spec: Spec, specPath: string, dir: string, logFile: string): Promise<ContenderRun> {
  const startedAt = Date.now()
  const command =
    contender !== 'runbook'
      ? {file: process.execPath, args: [CLI, 'apply', specPath, '--auto-approve', '--json'], env: process.env}
      : {
          file: 'bash',
          args: [RUNBOOK_SCRIPT],
          env: {
            ...process.env,
            WORK_DIR: spec.nodes.local.workDir,
            TOKEN: spec.cluster.token ?? TOKEN,
            OLD_MEMBERS: spec.source.members.map((m) => `${m.name},${m.peerURL},${m.clientURL}`).join(' '),
            NEW_MEMBERS: spec.target.members.map((m) => `${m.name},${m.peerURL},${m.clientURL}`).join(' '),
          },
        }
  const log = createWriteStream(logFile)
  let stdout = ''
  const exitCode = await new Promise<number>((resolveExit, reject) => {
    const child = spawn(command.file, command.args, {cwd: dir, env: command.env, stdio: ['ignore', 'pipe', 'pipe']})
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      log.write(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => log.write(chunk))
    child.once('error', reject)
    child.once('close', (code, signal) => resolveExit(code ?? (signal === null ? 1 : 128)))
  })
  await new Promise<void>((r) => log.end(r))

  const steps: StepTime[] = []
  let applyElapsedMs: number | null = null
  const phases: Record<string, number> = {}
  const runbookLines: {atMs: number; text: string}[] = []
  for (const line of stdout.split('\n')) {
    if (contender !== 'runbook' && line.startsWith('{')) {
      let event: {type?: string; id?: string; elapsedMs?: number; time?: string}
      try {
        event = JSON.parse(line) as typeof event
      } catch {
        continue
      }
      if (event.type === 'step-done' && event.id !== undefined && event.elapsedMs !== undefined && event.time !== undefined) {
        const endMs = Date.parse(event.time) - startedAt
        steps.push({id: event.id, elapsedMs: event.elapsedMs, startMs: endMs - event.elapsedMs, endMs})
      }
      if (event.type === 'apply-done' && event.elapsedMs !== undefined) applyElapsedMs = event.elapsedMs
    }
    if (contender === 'runbook') {
      const timed = /^\[\s*([\d.]+)s\] (.*)$/.exec(line)
      if (timed !== null) runbookLines.push({atMs: Number(timed[1]) * 1000, text: timed[2]!})
      if (line.startsWith('runbook-etcdctl: ')) {
        for (const [, key, value] of line.matchAll(/(\w+)=([\d.]+)/g)) phases[key!] = Number(value)
      }
    }
  }
  return {exitCode, steps, applyElapsedMs, phases, runbookLines}
}

/** The estimate the plan gave against what the steps took, as the journal records both. */
async function estimateCheck(journalPath: string): Promise<EstimateCheck | null> {
  let journal: Journal | null
  try {
    journal = await readJournal(journalPath)
  } catch {
    return null
  }
  if (journal === null) return null
  const timing = estimateAgainstActual(journal)
  return timing === null ? null : {estimatedMs: timing.estimatedMs, actualMs: timing.actualMs, steps: timing.steps}
}

/** The step that was running at `atMs` after the contender started. */
function stepAt(run: ContenderRun, atMs: number): string | null {
  if (run.steps.length > 0) {
    const during = run.steps.find((s) => s.startMs <= atMs && atMs <= s.endMs)
    if (during !== undefined) return during.id
    const before = run.steps.filter((s) => s.endMs <= atMs).at(-1)
    return before === undefined ? 'before the first step' : `after ${before.id}`
  }
  // The script logs a line when a step has finished: the stall belongs to the next line's step.
  const next = run.runbookLines.find((l) => l.atMs >= atMs)
  if (next === undefined) return null
  const text = next.text.replace(/ \(\d+ refusals.*$/, '').replace(/ \(initial-cluster: .*$/, '')
  return `during "${text}"`
}

interface StallSampler {
  /** The longest gap between two observed increases of `acknowledged`, in the sampler's clock. */
  stop(): {fromMs: number; epochMs: number} | null
}

/** Samples the writer's acknowledgements every few ms to locate its longest stall in time. */
function sampleStalls(writer: Writer): StallSampler {
  const epochMs = Date.now()
  const t0 = performance.now()
  let lastAcked = writer.progress().acknowledged
  let lastChange = 0
  let best: {fromMs: number; gapMs: number} | null = null
  const timer = setInterval(() => {
    const now = performance.now() - t0
    const acked = writer.progress().acknowledged
    if (acked !== lastAcked) {
      if (best === null || now - lastChange > best.gapMs) best = {fromMs: lastChange, gapMs: now - lastChange}
      lastAcked = acked
      lastChange = now
    }
  }, SAMPLE_MS)
  return {
    stop() {
      clearInterval(timer)
      const found = best as {fromMs: number; gapMs: number} | null
      return found === null ? null : {fromMs: found.fromMs, epochMs}
    },
  }
}

function describe(r: RunResult): string {
  const head = `round ${r.round}  ${r.contender.padEnd(17)}`
  if (!r.ok && r.wallMs === 0) return `${head}  FAILED: ${r.error}`
  const stall = `max stall ${Math.round(r.maxStallMs)} ms${r.stallDuring === null ? '' : ` (${r.stallDuring})`}`
  const estimate = r.estimate === null ? '' : `, steps took ${(r.estimate.actualMs / 1000).toFixed(1)} s, estimated ${(r.estimate.estimatedMs / 1000).toFixed(1)} s (actual/estimate ${(r.estimate.actualMs / r.estimate.estimatedMs).toFixed(2)})`
  return `${head}  ${(r.wallMs / 1000).toFixed(1).padStart(5)} s  leader ${r.sourceLeader ?? '?'}, ${stall}, ${r.failedAttempts} failed attempts, ${r.acknowledged} acked, keys ${r.keysOk ? 'ok' : 'WRONG'}, lost writes ${r.lostWrites}${estimate}${r.ok ? '' : `  FAILED: ${r.error}`}`
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function spread(values: readonly number[], format: (n: number) => string): string {
  if (values.length === 0) return '–'
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`
}

function summaryTable(results: readonly RunResult[]): string {
  const seconds = (ms: number): string => (ms / 1000).toFixed(1)
  const whole = (n: number): string => String(Math.round(n))
  const lines = [
    '| contender | runs ok | wall time, s | max write stall, ms | failed attempts | puts acked |',
    '|---|---|---|---|---|---|',
  ]
  for (const contender of CONTENDERS) {
    const all = results.filter((r) => r.contender === contender)
    const ok = all.filter((r) => r.ok)
    lines.push(
      `| ${LABEL[contender]} | ${ok.length}/${all.length} | ${spread(ok.map((r) => r.wallMs), seconds)} | ${spread(ok.map((r) => r.maxStallMs), whole)} | ${spread(ok.map((r) => r.failedAttempts), whole)} | ${spread(ok.map((r) => r.acknowledged), whole)} |`,
    )
  }
  const wall = (c: Contender): number[] => results.filter((r) => r.contender === c && r.ok).map((r) => r.wallMs)
  const [runbook, etcdplan] = [wall('runbook'), wall('etcdplan')]
  lines.push('', 'median (min–max) over the successful runs; every run verified all keys and every acknowledged write on the new members.')
  if (runbook.length > 0 && etcdplan.length > 0) lines.push(`wall time etcdplan / runbook: ${(median(etcdplan) / median(runbook)).toFixed(2)} (medians)`)
  return lines.join('\n')
}

/** Where etcdplan's time goes: step kinds summed per run, medians over runs; and the runbook's phases. */
function breakdown(results: readonly RunResult[]): string {
  const lines: string[] = []
  const plans = results.filter((r) => r.contender === 'etcdplan' && r.ok && r.steps.length > 0)
  if (plans.length > 0) {
    const kinds = [...new Set(plans.flatMap((r) => r.steps.map((s) => s.id.split('/')[0]!)))]
    lines.push('', 'etcdplan apply, where the time goes (sum per run of step-done elapsedMs by step kind; median over runs):', '', '| step kind | steps | median s | share of wall |', '|---|---|---|---|')
    const wall = median(plans.map((r) => r.wallMs))
    const rows = kinds.map((kind) => {
      const per = plans.map((r) => r.steps.filter((s) => s.id.split('/')[0] === kind).reduce((sum, s) => sum + s.elapsedMs, 0))
      return {kind, count: plans[0]!.steps.filter((s) => s.id.split('/')[0] === kind).length, ms: median(per)}
    })
    for (const row of rows.sort((a, b) => b.ms - a.ms)) lines.push(`| ${row.kind} | ${row.count} | ${(row.ms / 1000).toFixed(2)} | ${((row.ms / wall) * 100).toFixed(0)}% |`)
    const stepsSum = median(plans.map((r) => r.steps.reduce((sum, s) => sum + s.elapsedMs, 0)))
    const applied = median(plans.map((r) => r.applyElapsedMs ?? 0))
    lines.push(`| (between steps: observing, journal) | | ${((applied - stepsSum) / 1000).toFixed(2)} | ${(((applied - stepsSum) / wall) * 100).toFixed(0)}% |`)
    lines.push(`| (start-up and planning before the first step) | | ${((wall - applied) / 1000).toFixed(2)} | ${(((wall - applied) / wall) * 100).toFixed(0)}% |`)
    const slowest = plans.flatMap((r) => r.steps).sort((a, b) => b.elapsedMs - a.elapsedMs).slice(0, 6)
    lines.push('', `slowest single steps: ${slowest.map((s) => `${s.id} ${(s.elapsedMs / 1000).toFixed(1)} s`).join(', ')}`)
  }
  const books = results.filter((r) => r.contender === 'runbook' && r.ok)
  if (books.length > 0) {
    const phase = (key: string): string => spread(books.map((r) => r.phases[key] ?? 0), (n) => n.toFixed(1))
    lines.push('', `runbook script phases, s (median, min–max): add+start ${phase('add_s')}, remove ${phase('remove_s')}, rewrite+restart ${phase('restart_s')}`)
  }
  return lines.join('\n')
}

/** Per case: the plan's estimate against the real duration of its steps (median, min–max), and the steps furthest off. */
function estimateTable(results: readonly RunResult[]): string {
  const lines = ['Estimates against the real run (sum over the steps with a known estimate; from the journal):', '', '| case | runs | estimated, s | actual, s | actual / estimate |', '|---|---|---|---|---|']
  const seconds = (ms: number): string => (ms / 1000).toFixed(1)
  const cases: Contender[] = ['etcdplan', 'etcdplan-snapshot']
  for (const contender of cases) {
    const runs = results.filter((r) => r.contender === contender && r.ok && r.estimate !== null).map((r) => r.estimate!)
    if (runs.length === 0) continue
    const ratios = runs.map((e) => e.actualMs / e.estimatedMs)
    lines.push(`| ${LABEL[contender]} | ${runs.length} | ${spread(runs.map((e) => e.estimatedMs), seconds)} | ${spread(runs.map((e) => e.actualMs), seconds)} | ${spread(ratios, (n) => n.toFixed(2))} |`)
    const off = runs[0]!.steps
      .filter((s) => s.estimatedMs !== null && s.actualMs !== null && Math.abs(s.actualMs - s.estimatedMs) >= 500)
      .sort((a, b) => Math.abs(b.actualMs! - b.estimatedMs!) - Math.abs(a.actualMs! - a.estimatedMs!))
      .slice(0, 5)
    if (off.length > 0) lines.push(`|  | furthest off (first run) | ${off.map((s) => `${s.id} ${seconds(s.actualMs!)} s vs ${seconds(s.estimatedMs!)} s`).join(', ')} | | |`)
  }
  return lines.join('\n')
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

try {
  process.exitCode = await main()
} catch (error) {
  process.stderr.write(`bench-migration: ${messageOf(error)}\n`)
  process.exitCode = 2
}
