// One run of one contender on one case: a fresh 3-member source cluster on fresh loopback hosts, the
// case's keys loaded, (join) a client writing every 20 ms to all 6 client URLs and an etcdctl watcher
// on its prefix, the contender migrating the cluster onto 3 new members; then the keys, every
// acknowledged write and every watch event are checked, each restart is read from etcd's own logs,
// and every member is stopped and the work dir removed, however the run ends.
import {readFile, mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {messageOf} from '../../src/cluster/etcd-failure.js'
import {loadSpecFile} from '../../src/spec/load-spec.js'
import type {Spec} from '../../src/spec/types.js'
import {clusterEndpoints, startSourceCluster, stopAllMembers} from '../local-cluster.js'
import {bulkClient, loadKeys, verifyKeys, type KeyLoadOptions} from '../load-keys.js'
import {pickLoopbackHosts} from '../loopback-hosts.js'
import {namedMembers, writeMigrationSpec} from '../migration-spec.js'
import {startWriter, verifyAcknowledged, type Writer} from '../writer.js'
import {etcdOf, type BenchCase, type Contender} from './cases.js'
import {isEtcdplan, runContender} from './contenders.js'
import {estimateCheck, type EstimateCheck} from './estimate-check.js'
import type {HealthWindow, StepTime} from './etcdplan-events.js'
import {restartsFromEtcdLog} from './etcd-log-restarts.js'
import {sampleStalls, stepAt} from './stall-sampler.js'
import {percentile} from './stats.js'
import {startWatchCounter, type WatchCounter} from './watch-counter.js'

export const WRITER_INTERVAL_MS = 20
const WRITER_PREFIX = '/bench/writer/'
/** The writer runs at least this long before the contender starts, so its latencies have a baseline. */
const WARM_UP_MS = 1000
/**
 * The contender starts no earlier than this after the source cluster started, as it would on a cluster
 * that has been running for a while: etcd refuses `member add` for 5 s (HealthInterval) after any
 * member starts (etcd-facts.md), which would otherwise add the same ~2 s to every contender's first add.
 */
const SOURCE_AGE_MS = 6000
const TOKEN = 'bench-etcd'

export interface WriterResult {
  readonly acknowledged: number
  /** Put attempts that failed (each retried on the next endpoint). */
  readonly failedAttempts: number
  readonly maxLatencyMs: number
  readonly p99LatencyMs: number
  readonly maxStallMs: number
  /** The step running when the longest gap between acknowledgements began. */
  readonly stallDuring: string | null
  readonly errors: Record<string, number>
  /** Acknowledged puts the watcher never delivered. */
  readonly missedWatchEvents: number
  /** The first and last key of those, to find them in the logs; null when none. */
  readonly missedWatchRange: readonly [string, string] | null
  /** The watcher (etcdctl watch) ended by itself during the run: how; null when it ran to the end. */
  readonly watcherEndedEarly: string | null
}

export interface RunResult {
  readonly round: number
  readonly caseId: string
  readonly contender: Contender
  readonly ok: boolean
  readonly error: string | null
  readonly exitCode: number | null
  readonly sourceLeader: string | null
  readonly wallMs: number
  readonly loadMs: number
  /** The source leader's DB size before the contender started: what each new member must receive. */
  readonly dbBytes: number
  /** Join cases; null for snapshot cases (no writer: writes after a snapshot are not carried over). */
  readonly writer: WriterResult | null
  readonly keysLost: number
  readonly writesLost: number
  /** etcdplan: the peak RSS of its node process (VmHWM, sampled every 50 ms). */
  readonly peakRssBytes: number | null
  /** etcdplan: every step-done event. */
  readonly steps: StepTime[]
  readonly applyElapsedMs: number | null
  /** etcdplan: the adds etcd refused until its 5-s window passed. */
  readonly healthWindows: HealthWindow[]
  /** Per new member, from its start until caught up (etcdplan: its steps; expert: its figures). */
  readonly catchUpMs: Record<string, number>
  /** Each restart of a new member until it served again, from etcd's logs. */
  readonly restartsMs: number[]
  /** The scripts' figures (their last line), seconds. */
  readonly figures: Record<string, number>
  readonly logFile: string
  readonly estimate: EstimateCheck | null
}

export async function runOnce(round: number, benchCase: BenchCase, contender: Contender, logFile: string, keepFailed: boolean): Promise<RunResult> {
  const etcd = etcdOf(benchCase.minor)
  const keys: KeyLoadOptions = {count: benchCase.shape.keys, valueBytes: benchCase.shape.valueBytes, prefix: '/bench/keys/'}
  const dir = await mkdtemp(join(tmpdir(), `etcdplan-bench-${contender}-`))
  let spec: Spec | null = null
  let writer: Writer | null = null
  let watcher: WatchCounter | null = null
  let ok = false
  const partial = {wallMs: 0, loadMs: 0, dbBytes: 0, exitCode: null as number | null, sourceLeader: null as string | null}
  try {
    const hosts = await pickLoopbackHosts(6)
    const members = namedMembers('etcd', hosts)
    const snapshot = benchCase.kind === 'snapshot'
    const written = await writeMigrationSpec({name: 'bench', dir, source: members.slice(0, 3), target: members.slice(3), token: TOKEN, etcd: etcd.etcd, ...(snapshot ? {strategy: 'snapshot' as const} : {})})
    const loaded = await loadSpecFile(written.path)
    if (loaded.spec === null) throw new Error(`the bench spec does not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`)
    spec = loaded.spec
    const source = await startSourceCluster(spec)
    const leader = source.members.find((m) => m.id === source.leaderId)
    partial.sourceLeader = leader?.name ?? null
    const clusterStarted = performance.now()
    partial.loadMs = (await loadKeys(spec.source.members.map((m) => m.clientURL), keys)).durationMs
    const leaderURL = spec.source.members.find((m) => m.name === partial.sourceLeader)?.clientURL ?? spec.source.members[0]!.clientURL
    const status = await statusOf(leaderURL)
    partial.dbBytes = status.dbBytes

    if (!snapshot) {
      // From the revision after the load: every put of the writer is an event the watcher must see.
      watcher = startWatchCounter(etcd.etcdctl, clusterEndpoints(spec), WRITER_PREFIX, status.revision + 1)
      writer = startWriter(clusterEndpoints(spec), {intervalMs: WRITER_INTERVAL_MS, prefix: WRITER_PREFIX})
    }
    await sleep(Math.max(snapshot ? 0 : WARM_UP_MS, SOURCE_AGE_MS - (performance.now() - clusterStarted)))
    const sampler = writer === null ? null : sampleStalls(writer)
    const startedAt = Date.now()
    const t0 = performance.now()
    const run = await runContender(contender, spec, written.path, etcd, dir, logFile)
    partial.wallMs = performance.now() - t0
    partial.exitCode = run.exitCode
    const stall = sampler?.stop() ?? null
    const activeWriter = writer
    writer = null
    const figures = activeWriter === null ? null : await activeWriter.stop()
    const activeWatcher = watcher
    watcher = null
    const watched = activeWatcher === null || figures === null ? {missed: [], endedEarly: null} : await activeWatcher.stop(figures.acked.keys())
    const missed = watched.missed

    const targetURLs = spec.target.members.map((m) => m.clientURL)
    // A contender that failed may have left no new cluster to check: say it failed, not why the check could not run.
    const verified = await Promise.all([verifyKeys(targetURLs, keys), figures === null ? [] : verifyAcknowledged(targetURLs, figures.acked)]).catch((error: unknown) => {
      if (run.exitCode === 0) throw error
      return null
    })
    const keysLost = verified === null ? 0 : verified[0].missing.length + verified[0].wrong.length
    const lost = verified === null ? [] : verified[1]
    ok = run.exitCode === 0 && keysLost === 0 && lost.length === 0
    const steps = run.etcdplan?.steps ?? []
    const stallAtMs = stall === null ? null : stall.fromMs - (startedAt - stall.epochMs)
    return {
      round,
      caseId: benchCase.id,
      contender,
      ok,
      error: run.exitCode === 0 ? (ok ? null : `verification failed: ${keysLost} keys and ${lost.length} acknowledged writes lost`) : `${contender} exited with ${run.exitCode} (see ${logFile})`,
      exitCode: run.exitCode,
      sourceLeader: partial.sourceLeader,
      wallMs: partial.wallMs,
      loadMs: partial.loadMs,
      dbBytes: partial.dbBytes,
      writer:
        figures === null
          ? null
          : {
              acknowledged: figures.acknowledged,
              failedAttempts: figures.failedAttempts,
              maxLatencyMs: Math.max(0, ...figures.latenciesMs),
              p99LatencyMs: percentile(figures.latenciesMs, 99),
              maxStallMs: figures.maxStallMs,
              stallDuring: stallAtMs === null ? null : stepAt(steps, run.scriptLines, stallAtMs),
              errors: Object.fromEntries(figures.errors),
              missedWatchEvents: missed.length,
              missedWatchRange: missed.length === 0 ? null : [missed[0]!, missed.at(-1)!],
              watcherEndedEarly: watched.endedEarly,
            },
      keysLost,
      writesLost: lost.length,
      peakRssBytes: run.peakRssBytes,
      steps,
      applyElapsedMs: run.etcdplan?.applyElapsedMs ?? null,
      healthWindows: run.etcdplan?.healthWindows ?? [],
      catchUpMs: run.etcdplan?.catchUpMs ?? scriptCatchUps(run.figures),
      restartsMs: await restartsOf(spec),
      figures: run.figures,
      logFile,
      estimate: isEtcdplan(contender) ? await estimateCheck(join(dir, '.etcdplan', 'bench', 'state.json')) : null,
    }
  } catch (error) {
    return {
      round, caseId: benchCase.id, contender, ok: false, error: messageOf(error), exitCode: partial.exitCode, sourceLeader: partial.sourceLeader, wallMs: partial.wallMs, loadMs: partial.loadMs,
      dbBytes: partial.dbBytes, writer: null, keysLost: 0, writesLost: 0, peakRssBytes: null, steps: [], applyElapsedMs: null, healthWindows: [], catchUpMs: {}, restartsMs: [], figures: {}, logFile, estimate: null,
    }
  } finally {
    if (watcher !== null) await watcher.stop([], 0).catch(() => undefined)
    if (writer !== null) await writer.stop().catch(() => undefined)
    if (spec !== null) await stopAllMembers(spec).catch((error) => process.stderr.write(`bench: ${messageOf(error)}\n`))
    if (ok || !keepFailed) await rm(dir, {recursive: true, force: true})
    else process.stderr.write(`bench: round ${round} ${benchCase.id} ${contender} failed; its work dir (members stopped) is kept: ${dir}\n`)
  }
}

/** The expert script's catch_up_<member>_s figures, in ms. */
function scriptCatchUps(figures: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [key, seconds] of Object.entries(figures)) {
    const m = /^catchup_(.+)_s$/.exec(key)
    if (m !== null) out[m[1]!] = seconds * 1000
  }
  return out
}

/** Every restart of the new members, from their etcd logs (empty for a member that never restarted). */
async function restartsOf(spec: Spec): Promise<number[]> {
  const all: number[] = []
  for (const member of spec.target.members) {
    const text = await readFile(join(spec.nodes.local.workDir, member.name, 'etcd.log'), 'utf8').catch(() => '')
    all.push(...restartsFromEtcdLog(text))
  }
  return all
}

async function statusOf(url: string): Promise<{dbBytes: number; revision: number}> {
  const client = bulkClient([url])
  try {
    const status = await client.maintenance.status()
    return {dbBytes: Number(status.dbSize), revision: Number(status.header.revision)}
  } finally {
    client.close()
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
