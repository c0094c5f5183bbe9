// The provider benchmark (figures, not a test): the runbook's 3 → 3 join applied by `etcdplan apply
// SPEC --auto-approve --json` with nodes.provider local (every member a process on this machine, on
// loopback) against nodes.provider ssh across the lab's hosts (lab/netns-lab.ts: etcd1..3 on host A,
// etcd4..6 on host B, the runbook's ports, reached by ssh only), same workload: 20,000 keys of 1 KiB,
// a client writing every 20 ms on all six URLs, no DNS step (what is compared is the provider). The
// contenders alternate within each round on fresh clusters; each starts once its source cluster has
// run 6 s (etcd refuses `member add` for 5 s after a member starts, for both alike). For ssh, every
// round trip is traced (ETCDPLAN_SSH_TRACE) and counted per step.
// Prints one line per run, a markdown table of medians (min–max) and the ssh round trips per step kind.
// Usage: node dist/lab/bench-providers.js [--rounds N] [--keys N]
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {cpus, tmpdir} from 'node:os'
import {join} from 'node:path'
import {execFileSync, spawnSync} from 'node:child_process'
import {providerFor} from '../src/nodes/provider-for.js'
import {loadSpecFile} from '../src/spec/load-spec.js'
import type {Spec} from '../src/spec/types.js'
import type {NodeProvider} from '../src/nodes/node-provider.js'
import {CLI, sleep} from './demo-narration.js'
import {runbookHostsSpec} from './hosts-layout.js'
import {startSourceCluster, stopAllMembers} from './local-cluster.js'
import {loadKeys, verifyKeys} from './load-keys.js'
import {pickLoopbackHosts} from './loopback-hosts.js'
import {namedMembers, writeMigrationSpec, type MigrationSpecOptions} from './migration-spec.js'
import {createLab, labUnavailable, type Lab} from './netns-lab.js'
import {startWriter, verifyAcknowledged} from './writer.js'
import {spawn} from 'node:child_process'

type Contender = 'local' | 'ssh'
const SOURCE_AGE_MS = 6000
const JOIN = {learner: true, order: 'add-first', finalState: 'existing', rollingRestart: true} as const

interface Run {
  readonly contender: Contender
  readonly ok: boolean
  readonly wallMs: number
  readonly maxStallMs: number
  readonly failedPuts: number
  /** Step id → elapsed ms. */
  readonly steps: ReadonlyMap<string, number>
  /** Step id → ssh round trips during it (ssh only). */
  readonly roundTrips: ReadonlyMap<string, number>
  readonly totalRoundTrips: number
}

async function main(): Promise<number> {
  const args = process.argv.slice(2)
  const option = (name: string, fallback: number): number => {
    const i = args.indexOf(name)
    return i >= 0 ? Number(args[i + 1]) : fallback
  }
  const rounds = option('--rounds', 3)
  const keys = {count: option('--keys', 20_000), valueBytes: 1024, prefix: '/bench/keys/'}
  const missing = labUnavailable()
  if (missing !== null) {
    process.stderr.write(`bench-providers: the lab of hosts cannot run here: ${missing}\n`)
    return 1
  }
  process.stdout.write(`# provider benchmark: ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${execFileSync('etcd', ['--version']).toString().split('\n')[0]}, ${spawnSync('ssh', ['-V'], {encoding: 'utf8'}).stderr.trim().split(',')[0]}\n`)
  const runs: Run[] = []
  for (let round = 1; round <= rounds; round++) {
    const order: Contender[] = round % 2 === 1 ? ['local', 'ssh'] : ['ssh', 'local']
    for (const contender of order) {
      const run = await runOnce(contender, keys)
      runs.push(run)
      process.stdout.write(`round ${round} ${contender.padEnd(5)} ${run.ok ? 'ok  ' : 'FAIL'} wall ${(run.wallMs / 1000).toFixed(1)} s, max stall ${Math.round(run.maxStallMs)} ms, failed puts ${run.failedPuts}${contender === 'ssh' ? `, ${run.totalRoundTrips} ssh round trips` : ''}\n`)
    }
  }
  printSummary(runs)
  return runs.every((r) => r.ok) ? 0 : 1
}

async function runOnce(contender: Contender, keys: {count: number; valueBytes: number; prefix: string}): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), `etcdplan-bench-${contender}-`))
  let lab: Lab | null = null
  let spec: Spec | null = null
  let provider: NodeProvider | null = null
  const trace = join(dir, 'ssh-trace.txt')
  try {
    let options: MigrationSpecOptions
    if (contender === 'ssh') {
      lab = await createLab({dir, hosts: ['a', 'b']})
      options = {...runbookHostsSpec(lab, {name: 'bench', dir}), join: JOIN}
    } else {
      const members = namedMembers('etcd', await pickLoopbackHosts(6))
      options = {name: 'bench', dir, source: members.slice(0, 3), target: members.slice(3), join: JOIN}
    }
    const written = await writeMigrationSpec(options)
    const loaded = await loadSpecFile(written.path)
    if (loaded.spec === null) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'))
    spec = loaded.spec
    provider = providerFor(spec)
    const startedAt = Date.now()
    await startSourceCluster(spec, provider)
    await loadKeys(spec.source.members.map((m) => m.clientURL), keys)
    const urls = [...spec.source.members, ...spec.target.members].map((m) => m.clientURL)
    const writer = startWriter(urls, {intervalMs: 20, prefix: '/bench/writer/'})
    await sleep(Math.max(1000, SOURCE_AGE_MS - (Date.now() - startedAt)))
    const applyStart = Date.now()
    const {status, stdout} = await runCli(['apply', written.path, '--auto-approve', '--json'], dir, contender === 'ssh' ? {ETCDPLAN_SSH_TRACE: trace} : {})
    const wallMs = Date.now() - applyStart
    const figures = await writer.stop()
    const targetURLs = spec.target.members.map((m) => m.clientURL)
    const check = await verifyKeys(targetURLs, keys)
    const lost = await verifyAcknowledged(targetURLs, figures.acked)
    const steps = new Map<string, number>()
    const windows: {id: string; start: number; end: number}[] = []
    for (const line of stdout.split('\n')) {
      if (!line.startsWith('{')) continue
      const event = JSON.parse(line) as {type?: string; id?: string; elapsedMs?: number; time?: string}
      if (event.type !== 'step-done' || event.id === undefined || event.elapsedMs === undefined || event.time === undefined) continue
      steps.set(event.id, event.elapsedMs)
      const end = Date.parse(event.time)
      windows.push({id: event.id, start: end - event.elapsedMs, end})
    }
    const roundTrips = new Map<string, number>()
    let totalRoundTrips = 0
    if (contender === 'ssh') {
      for (const line of (await readFile(trace, 'utf8').catch(() => '')).trim().split('\n')) {
        const at = Number(line.split(' ')[0])
        if (!Number.isFinite(at)) continue
        totalRoundTrips++
        const step = windows.find((w) => w.start - 5 <= at && at <= w.end)?.id ?? '(between steps)'
        roundTrips.set(step, (roundTrips.get(step) ?? 0) + 1)
      }
    }
    const ok = status === 0 && check.missing.length === 0 && check.wrong.length === 0 && lost.length === 0
    return {contender, ok, wallMs, maxStallMs: figures.maxStallMs, failedPuts: figures.failedAttempts, steps, roundTrips, totalRoundTrips}
  } finally {
    if (spec !== null && provider !== null) await stopAllMembers(spec, 10_000, provider).catch(() => undefined)
    await provider?.close()
    await lab?.close()
    await rm(dir, {recursive: true, force: true})
  }
}

function runCli(args: readonly string[], cwd: string, env: Record<string, string>): Promise<{status: number | null; stdout: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {cwd, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'inherit']})
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (status) => resolve({status, stdout}))
  })
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

function range(values: readonly number[], unit: (n: number) => string): string {
  return `${unit(median(values))} (${unit(Math.min(...values))}–${unit(Math.max(...values))})`
}

function printSummary(runs: readonly Run[]): void {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
  const ms = (n: number): string => `${Math.round(n)} ms`
  process.stdout.write('\n| provider | wall | max put stall | failed puts | ssh round trips |\n|---|---|---|---|---|\n')
  for (const contender of ['local', 'ssh'] as const) {
    const mine = runs.filter((r) => r.contender === contender && r.ok)
    if (mine.length === 0) continue
    process.stdout.write(`| ${contender} | ${range(mine.map((r) => r.wallMs), seconds)} | ${range(mine.map((r) => r.maxStallMs), ms)} | ${range(mine.map((r) => r.failedPuts), String)} | ${contender === 'ssh' ? range(mine.map((r) => r.totalRoundTrips), String) : '—'} |\n`)
  }
  const local = median(runs.filter((r) => r.contender === 'local' && r.ok).map((r) => r.wallMs))
  const ssh = median(runs.filter((r) => r.contender === 'ssh' && r.ok).map((r) => r.wallMs))
  process.stdout.write(`\nssh − local (medians): ${((ssh - local) / 1000).toFixed(1)} s\n`)
  // Per step kind: the median time of each provider and the ssh round trips it took.
  const kinds = new Map<string, {local: number[]; ssh: number[]; trips: number[]}>()
  for (const run of runs.filter((r) => r.ok)) {
    for (const [id, elapsed] of run.steps) {
      const kind = id.split('/')[0]!
      const entry = kinds.get(kind) ?? {local: [], ssh: [], trips: []}
      entry[run.contender].push(elapsed)
      if (run.contender === 'ssh') entry.trips.push(run.roundTrips.get(id) ?? 0)
      kinds.set(kind, entry)
    }
  }
  process.stdout.write('\n| step | local (median) | ssh (median) | ssh round trips per step (median) |\n|---|---|---|---|\n')
  for (const [kind, entry] of kinds) process.stdout.write(`| ${kind} | ${ms(median(entry.local))} | ${ms(median(entry.ssh))} | ${median(entry.trips)} |\n`)
}

process.exitCode = await main()
