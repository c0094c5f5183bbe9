// The migration benchmark (figures, not a test; `npm run bench`, scripts/bench-migration.sh): etcdplan
// apply against etcdctl scripts on the same workloads, on fresh local clusters, one markdown table per
// case (lab/bench/cases.ts: join or snapshot, 20k / 300m / 1g, etcd 3.4 or 3.5). In each round every
// contender of a case runs once, their order alternating from round to round (a b c, c b a, ...);
// each run is lab/bench/run-once.ts. Prints machine info, one line per run, then per case its table,
// the ratios, the floor etcd imposes and the catch-up rates (lab/bench/tables.ts); writes the raw
// results as JSON to --out and each run's output to <out>-logs/. Usage: lab/bench/options.ts.
import {execFileSync} from 'node:child_process'
import {mkdir, writeFile} from 'node:fs/promises'
import {cpus, totalmem} from 'node:os'
import {messageOf} from '../src/cluster/etcd-failure.js'
import {breakdown} from './bench/breakdown.js'
import {etcdOf, selectCases, type BenchCase} from './bench/cases.js'
import {logsDirOf, parseArgs, USAGE} from './bench/options.js'
import {runOnce, WRITER_INTERVAL_MS, type RunResult} from './bench/run-once.js'
import {caseTable, describeRun} from './bench/tables.js'

function firstLine(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, {encoding: 'utf8'}).split('\n')[0]!.trim()
  } catch (error) {
    return `unknown (${messageOf(error)})`
  }
}

function machineInfo(): {cores: number; cpu: string; memoryGiB: number; node: string; platform: string; date: string} {
  const cpu = cpus()
  return {
    cores: cpu.length,
    cpu: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2))
  if (options.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const cases = selectCases(options.cases, options.large)
  const versions: Record<string, string> = {}
  for (const c of cases) versions[c.minor] ??= firstLine(etcdOf(c.minor).etcd, ['--version']).replace(/^etcd Version: /, 'etcd ')
  const info = {...machineInfo(), etcd: versions}
  const roundsOf = (c: BenchCase): number => options.rounds ?? c.defaultRounds
  process.stdout.write(`Machine: ${info.cores} cores (${info.cpu}), ${info.memoryGiB} GiB, node ${info.node}, ${Object.values(versions).join(' and ')}, ${info.date}\n`)
  process.stdout.write(`Cases: ${cases.map((c) => `${c.id} ×${roundsOf(c)}`).join(', ')} (rounds per case${options.rounds === null ? ': the defaults, chosen so that the default cases take under 10 minutes on 2 cores' : ''})\n`)
  process.stdout.write(`Join cases: a put every ${WRITER_INTERVAL_MS} ms to all 6 client URLs and an etcdctl watcher on its prefix throughout; snapshot cases: no writer\n\n`)
  await mkdir(logsDirOf(options.out), {recursive: true})
  const results: RunResult[] = []
  let interrupted = false
  process.once('SIGINT', () => {
    interrupted = true
    process.stderr.write('\nSIGINT: finishing the run in progress (its members are stopped), then stopping\n')
  })
  const started = performance.now()
  for (const benchCase of cases) {
    for (let round = 1; round <= roundsOf(benchCase) && !interrupted; round++) {
      const order = round % 2 === 1 ? benchCase.contenders : [...benchCase.contenders].reverse()
      for (const contender of order) {
        if (interrupted) break
        const logFile = `${logsDirOf(options.out)}/${benchCase.id}-round-${round}-${contender}.log`
        const result = await runOnce(round, benchCase, contender, logFile, options.keepFailed)
        results.push(result)
        process.stdout.write(`${describeRun(result)}\n`)
      }
    }
  }
  const totalS = (performance.now() - started) / 1000
  for (const benchCase of cases) {
    const runs = results.filter((r) => r.caseId === benchCase.id)
    if (runs.length === 0) continue
    process.stdout.write(`\n${caseTable(benchCase, runs, versions[benchCase.minor] ?? benchCase.minor)}\n`)
    const more = breakdown(benchCase, runs)
    if (more !== '') process.stdout.write(`${more}\n`)
  }
  await writeFile(options.out, `${JSON.stringify({machine: info, cases, rounds: Object.fromEntries(cases.map((c) => [c.id, roundsOf(c)])), totalSeconds: totalS, results}, null, 2)}\n`)
  process.stdout.write(`\nWhole run: ${Math.round(totalS)} s. Raw results: ${options.out}\nEach run's output: ${logsDirOf(options.out)}/\n`)
  return results.every((r) => r.ok) && !interrupted ? 0 : 1
}

try {
  process.exitCode = await main()
} catch (error) {
  process.stderr.write(`bench-migration: ${messageOf(error)}\n`)
  process.exitCode = 2
}
