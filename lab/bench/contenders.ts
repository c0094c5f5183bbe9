// How each contender is run on a case's spec, and what the benchmark reads from its output: the
// scripts' last line (`<script>: key=value ...`: their phases, the expert's catch-up and restart
// times) or etcdplan's --json events. Each runs to completion as a child process while the writer
// keeps writing; its output goes to its log file; etcdplan's node process is sampled for its peak RSS.
import {spawn} from 'node:child_process'
import {createWriteStream, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {EtcdUnderTest} from '../etcd-versions.js'
import type {Spec} from '../../src/spec/types.js'
import type {Contender} from './cases.js'
import {readEtcdplanEvents, type EtcdplanRun} from './etcdplan-events.js'
import {sampleRss} from './rss-sampler.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const CLI = join(ROOT, 'bin', 'etcdplan')
const RUNBOOK_SCRIPT = join(ROOT, 'scripts', 'runbook-etcdctl.sh')
const EXPERT_SCRIPT = join(ROOT, 'scripts', 'expert-etcdctl.sh')

export interface ContenderRun {
  readonly exitCode: number
  /** etcdplan: its events read; the scripts: null. */
  readonly etcdplan: EtcdplanRun | null
  /** The scripts' figures from their last line (seconds), e.g. wall_s, catchup_etcd4_s. */
  readonly figures: Record<string, number>
  /** The scripts' timestamped log lines (ms since their start), to place the longest stall. */
  readonly scriptLines: {atMs: number; text: string}[]
  /** etcdplan: the last VmHWM of its node process, bytes; the scripts: null. */
  readonly peakRssBytes: number | null
}

export function isEtcdplan(contender: Contender): boolean {
  return contender === 'etcdplan' || contender === 'etcdplan-snapshot'
}

function commandOf(contender: Contender, spec: Spec, specPath: string, etcd: EtcdUnderTest): {file: string; args: string[]; env: NodeJS.ProcessEnv} {
  if (isEtcdplan(contender)) return {file: CLI, args: ['apply', specPath, '--auto-approve', '--json'], env: process.env}
  const members = (list: Spec['source']['members']): string => list.map((m) => `${m.name},${m.peerURL},${m.clientURL}`).join(' ')
  const env = {
    ...process.env,
    WORK_DIR: spec.nodes.local.workDir,
    TOKEN: spec.cluster.token ?? 'bench-etcd',
    OLD_MEMBERS: members(spec.source.members),
    NEW_MEMBERS: members(spec.target.members),
    ETCD: etcd.etcd,
    ETCDCTL: etcd.etcdctl,
    ...(etcd.etcdutl === null ? {} : {ETCDUTL: etcd.etcdutl}),
  }
  if (contender === 'expert') return {file: 'bash', args: [EXPERT_SCRIPT], env}
  return {file: 'bash', args: contender === 'by-hand' ? [RUNBOOK_SCRIPT, '--snapshot'] : [RUNBOOK_SCRIPT], env}
}

export async function runContender(contender: Contender, spec: Spec, specPath: string, etcd: EtcdUnderTest, dir: string, logFile: string): Promise<ContenderRun> {
  const startedAt = Date.now()
  const command = commandOf(contender, spec, specPath, etcd)
  const log = createWriteStream(logFile)
  let stdout = ''
  let peakRssBytes: number | null = null
  const exitCode = await new Promise<number>((resolveExit, reject) => {
    const child = spawn(command.file, command.args, {cwd: dir, env: command.env, stdio: ['ignore', 'pipe', 'pipe']})
    // bin/etcdplan execs node in its own process (bin/run.js imports oclif, it does not spawn), so its pid is etcdplan's.
    const rss = isEtcdplan(contender) && child.pid !== undefined ? sampleRss(child.pid, (path) => readFileSync(path, 'utf8')) : null
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      log.write(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => log.write(chunk))
    child.once('error', (error) => {
      rss?.stop()
      reject(error)
    })
    // Node has reaped the process by now; VmHWM only grows, so the last reading (at most 50 ms before
    // the exit) is the peak, short of a rise in its last 50 ms.
    child.once('exit', () => {
      peakRssBytes = rss?.stop() ?? null
    })
    child.once('close', (code, signal) => resolveExit(code ?? (signal === null ? 1 : 128)))
  })
  await new Promise<void>((r) => log.end(r))

  const figures: Record<string, number> = {}
  const scriptLines: {atMs: number; text: string}[] = []
  if (!isEtcdplan(contender)) {
    for (const line of stdout.split('\n')) {
      const timed = /^\[\s*([\d.]+)s\] (.*)$/.exec(line)
      if (timed !== null) scriptLines.push({atMs: Number(timed[1]) * 1000, text: timed[2]!})
      if (/^(runbook|expert)-etcdctl: /.test(line)) for (const [, key, value] of line.matchAll(/(\w+)=([\d.]+)/g)) figures[key!] = Number(value)
    }
  }
  return {exitCode, etcdplan: isEtcdplan(contender) ? readEtcdplanEvents(stdout, startedAt) : null, figures, scriptLines, peakRssBytes}
}
