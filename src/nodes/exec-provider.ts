// The `exec` node provider: every operation on a member's host is a command the user configured
// (nodes.exec: an argv per operation), for teams that drive their nodes through their own tooling
// (Ansible, Salt, a container runtime, a wrapper around ssh). Each command is run on the apply
// machine with child_process.spawn(argv[0], argv.slice(1)) — never through a shell — and every
// value reaches it only in ETCDPLAN_* environment variables (execEnv below), so a spec value with
// shell metacharacters arrives literally and can inject nothing.
//
// The contract of the commands (docs/spec.md, "Node providers on real hosts"):
// - writeConfig: write stdin to $ETCDPLAN_CONFIG_FILE on the host, atomically (temp file + rename),
//   mode 0600. Must be harmless to repeat.
// - readConfig (optional): print the file on stdout; exit 3 when it does not exist.
// - start: start etcd --config-file $ETCDPLAN_CONFIG_FILE detached (it must outlive the command);
//   a no-op when it runs. It may append $ETCDPLAN_START_MARK to the log logTail prints, right before
//   etcd runs, so that a failed start is judged by its own lines (start-mark.ts).
// - stop: stop it within $ETCDPLAN_TIMEOUT_MS ms; a no-op when it is stopped.
// - restart (optional; absent: stop, then start).
// - isRunning: exit 0 when this member's etcd runs on its host, 1 when it does not; anything else is
//   an error (never read as "not running").
// - restore (optional; needed by strategy snapshot): copy $ETCDPLAN_SNAPSHOT (a path on the apply
//   machine) to the host, check it against $ETCDPLAN_SNAPSHOT_SHA256, restore it into
//   $ETCDPLAN_DATA_DIR with $ETCDPLAN_MEMBER, $ETCDPLAN_INITIAL_CLUSTER,
//   $ETCDPLAN_INITIAL_CLUSTER_TOKEN and $ETCDPLAN_PEER_URL, atomically, and be idempotent; printing
//   `already-restored` means the data dir held this restore already.
// - logTail (optional): print the member's last $ETCDPLAN_LINES log lines.
// - fence (optional): a removed member's files moved aside on its host, never deleted: each path in
//   $ETCDPLAN_FENCE_PATHS (one a line: its config file, with join its data dir and a separate wal-dir)
//   that exists renamed to `<path>$ETCDPLAN_FENCE_SUFFIX` (`.removed-<UTC time>`); a path already
//   gone is no error (a rerun). Also disable whatever would start it (a systemd unit). Without it the
//   fence step does not happen and says so (a warning: move the files aside by hand).
// A command that exits non-zero is a NodeProviderError naming the operation and the member, with its
// exit code and the tail of its stderr (the step stops there and a rerun resumes it). Every command
// runs in its own process group with a deadline (timeouts.step; for stop and restart at least their
// own timeout plus a margin): past it the group is killed (SIGKILL, by its pid) and the operation fails.
//
// What exec guarantees, and what it cannot:
// - It guarantees what the commands report: started / stopped / running as isRunning says, a config
//   written as writeConfig says, and nothing is run but the configured argv.
// - It cannot see the host itself. Without a readConfig command a config file cannot be read back
//   (NotObservableError: the applier says it did not check it, never that it is absent). It cannot
//   inspect a data dir (the start gate relies on the cluster's view of the member: listed, never
//   started), probe the host (binary, ports, files: the preflight warns that they were not checked),
//   put a file there or move a data dir aside (NotObservableError). A snapshot is checked on the apply
//   machine with the local tool before the restore command copies it (snapshot-status-here.ts).
// - It does not write start marks itself: a logTail whose log keeps earlier starts should show only
//   the latest one, or the start command should write $ETCDPLAN_START_MARK.
import {spawn} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'
import type {ExecNodes, MemberSpec} from '../spec/types.js'
import {checksumUnlessKnown} from './checksum-file.js'
import {NodeProviderError, type DataDirContents, type FenceResult, type HostFile, type HostProbe, type HostProbeRequest, type HostSnapshotStatus, type NodeProvider, type PutFileRequest, type PutFileResult, type RestoreRequest} from './node-provider.js'
import {fencedPath} from './fenced-path.js'
import {NotObservableError} from './not-observable.js'
import {snapshotStatusHere} from './snapshot-status-here.js'
import {startMarkLine} from './start-mark.js'
import {summarizeToolError} from './summarize-tool-error.js'

export type ExecOperation = 'writeConfig' | 'readConfig' | 'start' | 'stop' | 'restart' | 'isRunning' | 'restore' | 'logTail' | 'fence'

/** Values an operation passes besides the member's own (which are always set). */
export interface ExecValues {
  readonly configFile?: string
  readonly dataDir?: string
  readonly snapshot?: string
  readonly snapshotSha256?: string
  readonly initialCluster?: string
  readonly initialClusterToken?: string
  readonly peerURL?: string
  readonly lines?: number
  readonly timeoutMs?: number
  readonly startMark?: string
  /** fence: the paths to move aside (one a line) and the suffix they get. */
  readonly fencePaths?: readonly string[]
  readonly fenceSuffix?: string
}

/**
 * The environment of an exec command: the apply's own environment without any ETCDPLAN_* it had
 * (a stale value must never reach a command), plus this operation's values. Always set:
 * ETCDPLAN_OPERATION, _MEMBER, _HOST, _CONFIG_FILE, _DATA_DIR, _PEER_URL, _CLIENT_URL; _ETCD when the
 * member names its etcd binary; the others only for the operations that have them.
 */
export function execEnv(operation: ExecOperation, member: MemberSpec, values: ExecValues = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(base)) if (!key.startsWith('ETCDPLAN_') && value !== undefined) env[key] = value
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined) env[`ETCDPLAN_${name}`] = String(value)
  }
  set('OPERATION', operation)
  set('MEMBER', member.name)
  set('HOST', member.host)
  set('CONFIG_FILE', values.configFile ?? member.configFile)
  set('DATA_DIR', values.dataDir ?? member.dataDir)
  set('PEER_URL', values.peerURL ?? member.peerURL)
  set('CLIENT_URL', member.clientURL)
  set('ETCD', member.etcd)
  set('SNAPSHOT', values.snapshot)
  set('SNAPSHOT_SHA256', values.snapshotSha256)
  set('INITIAL_CLUSTER', values.initialCluster)
  set('INITIAL_CLUSTER_TOKEN', values.initialClusterToken)
  set('LINES', values.lines)
  set('TIMEOUT_MS', values.timeoutMs)
  set('START_MARK', values.startMark)
  set('FENCE_PATHS', values.fencePaths?.join('\n'))
  set('FENCE_SUFFIX', values.fenceSuffix)
  return env
}

export interface ExecProviderOptions {
  /** Deadline of one command (timeouts.step). */
  readonly stepTimeoutMs: number
  /** The etcd binary on the apply machine whose snapshot tool checks snapshots (nodes.local.etcd). */
  readonly localEtcd: string
}

interface CommandOutcome {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** How long a started member gets for isRunning to say it runs. */
const RUNNING_WITHIN_MS = 5000
const POLL_MS = 100
/** After a command exits, how long its output pipes may stay open (a background child holding them) before they are closed. */
const PIPE_GRACE_MS = 500
const MAX_STDOUT = 16 * 1024 * 1024
const MAX_STDERR = 64 * 1024
/** stop and restart get their own timeout plus this before their command is killed. */
const STOP_MARGIN_MS = 10_000

export class ExecNodeProvider implements Required<NodeProvider> {
  private readonly running = new Set<number>()

  constructor(
    private readonly commands: ExecNodes,
    private readonly options: ExecProviderOptions,
  ) {}

  async writeConfig(member: MemberSpec, path: string, content: string): Promise<void> {
    await this.mustSucceed('writeConfig', this.commands.writeConfig, member, {configFile: path}, content)
  }

  async readConfig(member: MemberSpec, path: string): Promise<string | null> {
    const argv = this.commands.readConfig
    if (argv === undefined) throw new NotObservableError(member.name, `the config file ${path}`, 'exec', 'nodes.exec has no readConfig command')
    const outcome = await this.run('readConfig', argv, member, {configFile: path})
    if (outcome.code === 0) return outcome.stdout
    if (outcome.code === 3) return null
    throw this.failed('readConfig', argv, member, outcome)
  }

  async start(member: MemberSpec, configPath: string): Promise<void> {
    if (await this.isRunning(member)) return
    await this.mustSucceed('start', this.commands.start, member, {configFile: configPath, startMark: startMarkLine(member.name, configPath, new Date())})
    await this.awaitRunning(member, 'start')
  }

  async stop(member: MemberSpec, timeoutMs: number): Promise<void> {
    if (!(await this.isRunning(member))) return
    await this.mustSucceed('stop', this.commands.stop, member, {timeoutMs}, undefined, timeoutMs + STOP_MARGIN_MS)
    if (await this.awaitExit(member, timeoutMs)) return
    throw new NodeProviderError(`nodes.exec.stop for ${member.name} succeeded, but nodes.exec.isRunning still says its etcd runs ${Math.round(timeoutMs / 1000)} s later`, member.name, await this.logTail(member, 20))
  }

  async restart(member: MemberSpec, configPath: string, timeoutMs: number): Promise<void> {
    const argv = this.commands.restart
    if (argv === undefined) {
      await this.stop(member, timeoutMs)
      await this.start(member, configPath)
      return
    }
    await this.mustSucceed('restart', argv, member, {configFile: configPath, timeoutMs, startMark: startMarkLine(member.name, configPath, new Date())}, undefined, timeoutMs + STOP_MARGIN_MS)
    await this.awaitRunning(member, 'restart')
  }

  async awaitExit(member: MemberSpec, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      if (!(await this.isRunning(member))) return true
      if (Date.now() >= deadline) return false
      await sleep(POLL_MS)
    }
  }

  async isRunning(member: MemberSpec): Promise<boolean> {
    const argv = this.commands.isRunning
    const outcome = await this.run('isRunning', argv, member, {})
    if (outcome.code === 0) return true
    if (outcome.code === 1) return false
    throw this.failed('isRunning', argv, member, outcome, ' (isRunning must exit 0 when etcd runs, 1 when it does not)')
  }

  async putFile(member: MemberSpec, request: PutFileRequest): Promise<PutFileResult> {
    throw new NotObservableError(member.name, `a copy of ${request.localPath} at ${request.remotePath}`, 'exec', 'nodes.exec has no command that copies files (the restore command copies the snapshot itself)')
  }

  async snapshotStatus(member: MemberSpec, path: string): Promise<HostSnapshotStatus> {
    return snapshotStatusHere(member.name, path, this.options.localEtcd, 'exec')
  }

  async restore(member: MemberSpec, request: RestoreRequest): Promise<'restored' | 'already-restored'> {
    const argv = this.commands.restore
    if (argv === undefined) throw new NodeProviderError(`nodes.exec has no restore command, so ${member.name} cannot be restored from the snapshot: add nodes.exec.restore to the spec (strategy snapshot needs it)`, member.name, '')
    const snapshot = request.localSnapshotPath ?? request.snapshotPath
    const checksum = await checksumUnlessKnown(snapshot, request.sha256).catch(() => null)
    if (checksum === null) throw new NodeProviderError(`the snapshot ${snapshot} cannot be read on the apply machine`, member.name, '')
    const outcome = await this.mustSucceed('restore', argv, member, {
      snapshot,
      snapshotSha256: checksum.sha256,
      dataDir: request.dataDir,
      initialCluster: request.initialCluster,
      initialClusterToken: request.initialClusterToken,
      peerURL: request.peerURL,
    })
    return outcome.stdout.trim().split('\n').at(-1) === 'already-restored' ? 'already-restored' : 'restored'
  }

  async logTail(member: MemberSpec, lines: number): Promise<string> {
    const argv = this.commands.logTail
    if (argv === undefined) return ''
    try {
      const outcome = await this.run('logTail', argv, member, {lines})
      if (outcome.code === 0) return outcome.stdout.trimEnd().split('\n').slice(-lines).join('\n')
      return `[etcdplan: nodes.exec.logTail for ${member.name} failed (${exitOf(outcome)}): ${summarizeToolError(outcome.stderr)}]`
    } catch (error) {
      return `[etcdplan: nodes.exec.logTail for ${member.name} failed: ${(error as Error).message}]`
    }
  }

  /** nodes.exec.fence with the paths and their suffix; what it moved is what it says (exec cannot see the host). */
  async fenceMember(member: MemberSpec, paths: readonly string[]): Promise<FenceResult> {
    const argv = this.commands.fence
    if (argv === undefined) throw new NotObservableError(member.name, `moving ${paths.join(', ')} aside`, 'exec', 'nodes.exec has no fence command')
    const suffix = fencedPath('', new Date())
    await this.mustSucceed('fence', argv, member, {fencePaths: paths, fenceSuffix: suffix})
    return {paths: paths.map((path) => ({path, movedTo: `${path}${suffix}`, earlier: false})), disabledUnit: null}
  }

  async moveDataDirAside(member: MemberSpec): Promise<string | null> {
    throw new NotObservableError(member.name, `the data dir ${member.dataDir}`, 'exec', 'nodes.exec has no command that moves a data dir aside')
  }

  async inspectDataDir(member: MemberSpec): Promise<DataDirContents> {
    throw new NotObservableError(member.name, `the data dir ${member.dataDir}`, 'exec', 'nodes.exec has no command that lists a data dir')
  }

  async probeHost(member: MemberSpec, _request: HostProbeRequest): Promise<HostProbe> {
    throw new NotObservableError(member.name, 'the etcd binary, the ports and the files etcd needs', 'exec', 'nodes.exec has no command that probes a host')
  }

  async readHostFiles(member: MemberSpec, _paths: readonly string[]): Promise<HostFile[]> {
    throw new NotObservableError(member.name, 'the certificate files', 'exec', 'nodes.exec has no command that reads a file on a host')
  }

  async receivingSnapshotBytes(member: MemberSpec): Promise<number | null> {
    throw new NotObservableError(member.name, 'the snapshot it is receiving', 'exec', 'nodes.exec has no command that reads a data dir')
  }

  /** Commands never outlive the method that ran them; one still running here (a method abandoned) is killed with its group. */
  async close(): Promise<void> {
    for (const pid of this.running) killGroup(pid)
    this.running.clear()
  }

  /** Runs the command; a non-zero exit is a NodeProviderError. */
  private async mustSucceed(operation: ExecOperation, argv: readonly string[], member: MemberSpec, values: ExecValues, stdin?: string, deadlineMs?: number): Promise<CommandOutcome> {
    const outcome = await this.run(operation, argv, member, values, stdin, deadlineMs)
    if (outcome.code !== 0) throw this.failed(operation, argv, member, outcome)
    return outcome
  }

  private failed(operation: ExecOperation, argv: readonly string[], member: MemberSpec, outcome: CommandOutcome, note = ''): NodeProviderError {
    const said = summarizeToolError(outcome.stderr)
    const tail = outcome.stderr.trimEnd().split('\n').slice(-20).join('\n')
    return new NodeProviderError(
      `nodes.exec.${operation} for ${member.name} failed (${exitOf(outcome)}; ${JSON.stringify(argv)})${note}${said === '' ? '' : `: ${said}`}`,
      member.name,
      tail,
      outcome.stderr,
    )
  }

  /** Waits for isRunning to say the member's etcd runs after a start or restart command. */
  private async awaitRunning(member: MemberSpec, operation: 'start' | 'restart'): Promise<void> {
    const deadline = Date.now() + RUNNING_WITHIN_MS
    for (;;) {
      if (await this.isRunning(member)) return
      if (Date.now() >= deadline) break
      await sleep(POLL_MS)
    }
    throw new NodeProviderError(`nodes.exec.${operation} for ${member.name} succeeded, but nodes.exec.isRunning does not say its etcd runs within ${RUNNING_WITHIN_MS / 1000} s: it exited at once, or it was never started`, member.name, await this.logTail(member, 20))
  }

  private run(operation: ExecOperation, argv: readonly string[], member: MemberSpec, values: ExecValues, stdin?: string, deadlineMs = this.options.stepTimeoutMs): Promise<CommandOutcome> {
    const [command, ...args] = argv
    if (command === undefined) return Promise.reject(new NodeProviderError(`nodes.exec.${operation} is an empty argv`, member.name, ''))
    const deadline = Math.max(deadlineMs, this.options.stepTimeoutMs)
    return new Promise((resolve, reject) => {
      // detached: its own process group, so that a deadline kills whatever it started with it.
      const child = spawn(command, args, {env: execEnv(operation, member, values), stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], detached: true})
      const out = child.stdout!
      const err = child.stderr!
      let stdout = ''
      let stderr = ''
      let timedOut = false
      let settled = false
      out.setEncoding('utf8')
      err.setEncoding('utf8')
      out.on('data', (chunk: string) => {
        if (stdout.length < MAX_STDOUT) stdout += chunk
      })
      err.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-MAX_STDERR)
      })
      const timer = setTimeout(() => {
        timedOut = true
        if (child.pid !== undefined) killGroup(child.pid)
      }, deadline)
      const finish = (outcome: CommandOutcome | Error) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (child.pid !== undefined) this.running.delete(child.pid)
        if (outcome instanceof Error) return reject(outcome)
        if (timedOut) return reject(new NodeProviderError(`nodes.exec.${operation} for ${member.name} did not finish within ${Math.round(deadline / 1000)} s and was killed with its process group (${JSON.stringify(argv)})`, member.name, stderr.trimEnd().split('\n').slice(-20).join('\n'), stderr))
        resolve(outcome)
      }
      child.once('spawn', () => {
        if (child.pid !== undefined) this.running.add(child.pid)
      })
      child.once('error', (error: NodeJS.ErrnoException) => {
        finish(new NodeProviderError(`could not run nodes.exec.${operation} for ${member.name} (${JSON.stringify(argv)}): ${error.code === 'ENOENT' ? 'no such command' : error.message}`, member.name, ''))
      })
      child.once('exit', (code, signal) => {
        // A background process it left (etcd itself) may hold its pipes open: they get a moment, then are closed.
        const done = () => finish({code, signal, stdout, stderr})
        if (out.readableEnded && err.readableEnded) return done()
        const grace = setTimeout(() => {
          out.destroy()
          err.destroy()
          done()
        }, PIPE_GRACE_MS)
        child.once('close', () => {
          clearTimeout(grace)
          done()
        })
      })
      if (stdin !== undefined && child.stdin !== null) {
        child.stdin.on('error', () => {
          // A command that does not read its stdin (EPIPE): its exit code tells.
        })
        child.stdin.end(stdin)
      }
    })
  }
}

function exitOf(outcome: CommandOutcome): string {
  return outcome.code !== null ? `exit code ${outcome.code}` : `killed by ${outcome.signal ?? 'a signal'}`
}

/** SIGKILL to the command's process group (it was spawned detached, as its leader), then to the pid itself. */
function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL')
    } catch {
      // Gone already.
    }
  }
}
