// The `local` node provider: real etcd processes on this machine, detached so that they outlive the
// apply. Each member it manages has `<workDir>/<name>/etcd.pid` and `etcd.log`; processes are found,
// checked and ended by that pid (and the pid is checked to still be an etcd running this member's
// config file, so a reused pid is never signalled). An apply killed between spawning etcd and
// writing the pid file leaves an etcd without one: when the pid file is missing or stale, the
// member's etcd is looked for by its command line (`--config-file <this member's config>`) and
// adopted (its pid written), so that it is never started a second time on the same ports. The
// member's host is this machine: putFile copies within its file system (put-local-file.ts), and
// snapshots are checked and restored with the tool beside nodes.local.etcd (find-snapshot-tool.ts).
import {spawn, execFile} from 'node:child_process'
import {closeSync, openSync} from 'node:fs'
import {access, appendFile, lstat, mkdir, open, readdir, readFile, rename, rm, stat} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {promisify} from 'node:util'
import type {LocalNodes, MemberSpec} from '../spec/types.js'
import {isProcessRunning} from '../process-running.js'
import {writeFileAtomic} from '../write-file-atomic.js'
import {receivingSnapshotBytesIn} from './receiving-snapshot-bytes.js'
import {leftoverStagingDirs, restoreStagingPath} from './restore-staging.js'
import {DATA_DIR_FILES_LISTED, NodeProviderError, RESTORED_MARK, type DataDirContents, type FenceResult, type HostFile, type HostProbe, type HostProbeRequest, type HostSnapshotStatus, type NodeProvider, type PutFileRequest, type PutFileResult, type RestoreRequest} from './node-provider.js'
import {readLocalFiles} from './read-local-files.js'
import {probeLocalHost} from './probe-local-host.js'
import {failedStartPath} from './failed-start-path.js'
import {fenceLocalPaths} from './fence-local-paths.js'
import {putLocalFile} from './put-local-file.js'
import {firstWalFile, readWalIdentity, WAL_HEAD_BYTES, walDirOf, type WalIdentity} from './read-wal-identity.js'
import {runSnapshotStatus} from './run-snapshot-status.js'
import {findSnapshotTool, snapshotToolEnv} from './find-snapshot-tool.js'
import {startMarkLine} from './start-mark.js'
import {summarizeToolError} from './summarize-tool-error.js'

const execFileAsync = promisify(execFile)
const POLL_MS = 50
/** A process that exits this soon after start failed to start (bad config, port in use, ...). */
const EARLY_EXIT_MS = 100

/** The staging dirs of this process's restores still running (any provider instance): never a leftover. */
const restoresInProgress = new Set<string>()

/** Whether a staging dir named with this pid belongs to a restore still running: this process's own ones are known exactly. */
function stagingInUse(pid: number, path: string): boolean {
  return pid === process.pid ? restoresInProgress.has(path) : isProcessRunning(pid)
}

export class LocalNodeProvider implements Required<NodeProvider> {
  constructor(private readonly options: LocalNodes) {}

  /** The member's own etcd binary when the spec names one (upgrading while migrating), else nodes.local.etcd. */
  etcdOf(member: MemberSpec): string {
    return member.etcd ?? this.options.etcd
  }

  memberDir(member: MemberSpec): string {
    return join(this.options.workDir, member.name)
  }

  pidFile(member: MemberSpec): string {
    return join(this.memberDir(member), 'etcd.pid')
  }

  logFile(member: MemberSpec): string {
    return join(this.memberDir(member), 'etcd.log')
  }

  async writeConfig(_member: MemberSpec, path: string, content: string): Promise<void> {
    await writeFileAtomic(path, content)
  }

  async readConfig(_member: MemberSpec, path: string): Promise<string | null> {
    try {
      return await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }

  async start(member: MemberSpec, configPath: string): Promise<void> {
    if (await this.isRunning(member)) return
    await mkdir(this.memberDir(member), {recursive: true})
    await mkdir(dirname(resolve(member.dataDir)), {recursive: true})
    // The start mark first: etcd's lines after it are this start's (etcd.log keeps every start's).
    await appendFile(this.logFile(member), `${startMarkLine(member.name, resolve(configPath), new Date())}\n`)
    const log = openSync(this.logFile(member), 'a')
    let child
    try {
      child = spawn(this.etcdOf(member), ['--config-file', resolve(configPath)], {detached: true, stdio: ['ignore', log, log]})
    } finally {
      closeSync(log)
    }
    const spawned = await new Promise<number>((resolvePid, reject) => {
      child.once('error', reject)
      child.once('spawn', () => resolvePid(child.pid ?? -1))
    }).catch(async (error: Error) => {
      throw new NodeProviderError(`could not run ${this.etcdOf(member)} for ${member.name}: ${error.message}`, member.name, '')
    })
    let exitCode: number | null = null
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal === null ? -1 : 128)
    })
    child.unref()
    await writeFileAtomic(this.pidFile(member), `${spawned}\n`)
    await sleep(EARLY_EXIT_MS)
    if (exitCode !== null) {
      await rm(this.pidFile(member), {force: true})
      throw new NodeProviderError(`etcd for ${member.name} exited at once (exit code ${exitCode})`, member.name, await this.logTail(member, 20))
    }
  }

  async stop(member: MemberSpec, timeoutMs: number): Promise<void> {
    const pid = await this.runningPid(member)
    if (pid === null) return
    signal(pid, 'SIGTERM')
    if (!(await this.waitForExit(pid, timeoutMs))) {
      signal(pid, 'SIGKILL')
      await this.waitForExit(pid, 5000)
    }
    await rm(this.pidFile(member), {force: true})
  }

  async restart(member: MemberSpec, configPath: string, timeoutMs: number): Promise<void> {
    await this.stop(member, timeoutMs)
    await this.start(member, configPath)
  }

  async awaitExit(member: MemberSpec, timeoutMs: number): Promise<boolean> {
    const pid = await this.runningPid(member)
    if (pid === null) return true
    const exited = await this.waitForExit(pid, timeoutMs)
    if (exited) await rm(this.pidFile(member), {force: true})
    return exited
  }

  async isRunning(member: MemberSpec): Promise<boolean> {
    return (await this.runningPid(member)) !== null
  }

  async putFile(member: MemberSpec, request: PutFileRequest): Promise<PutFileResult> {
    return putLocalFile(member.name, request)
  }

  async snapshotStatus(member: MemberSpec, path: string): Promise<HostSnapshotStatus> {
    const tool = await findSnapshotTool(this.etcdOf(member))
    const outcome = await runSnapshotStatus(tool, path)
    if (!outcome.ok) throw new NodeProviderError(`the snapshot ${path} does not verify (${tool.name} snapshot status on ${member.name}'s host): ${summarizeToolError(outcome.stderr)}`, member.name, '', outcome.stderr)
    return outcome.status
  }

  async restore(member: MemberSpec, request: RestoreRequest): Promise<'restored' | 'already-restored'> {
    const dataDir = resolve(request.dataDir)
    if (await exists(dataDir)) return this.existingDataDir(member, request)
    // The snapshot on the host is the apply machine's, byte for byte (sha256), before it is used;
    // without a local path it is on the host already, and only its checksum is taken.
    const put = await this.putFile(member, {localPath: request.localSnapshotPath ?? request.snapshotPath, remotePath: request.snapshotPath, ...(request.sha256 === undefined ? {} : {sha256: request.sha256})})
    // Restored beside the data dir, in a directory of this attempt's own (restore-staging.ts: an
    // orphaned `snapshot restore` of a killed apply may still be writing into an earlier one), and
    // renamed into place with a mark.
    const staging = restoreStagingPath(dataDir)
    restoresInProgress.add(staging)
    try {
      // Earlier attempts' staging dirs go first: a restore killed half-way leaves one, and an orphan
      // still writing into it once it is removed writes only into unlinked inodes, which nothing
      // renames into place (the attempt that would have is gone). Another attempt of this process,
      // or of a process still running, is left alone: it finishes, and the first rename wins.
      for (const leftover of await leftoverStagingDirs(dataDir, stagingInUse)) await rm(leftover, {recursive: true, force: true})
      await mkdir(dirname(dataDir), {recursive: true})
      // etcd 3.4 restores with etcdctl, 3.5+ with etcdutl (etcd-facts.md, "Versions"), with the same
      // flags; both check the sha256 a saved snapshot ends with, and refuse a file without one.
      const tool = await findSnapshotTool(this.etcdOf(member))
      try {
        await execFileAsync(tool.path, [
          'snapshot', 'restore', request.snapshotPath,
          '--name', member.name,
          '--data-dir', staging,
          '--initial-cluster', request.initialCluster,
          '--initial-cluster-token', request.initialClusterToken,
          '--initial-advertise-peer-urls', request.peerURL,
        ], {env: snapshotToolEnv()})
      } catch (error) {
        const stderr = String((error as {stderr?: string}).stderr ?? '').trim()
        await rm(staging, {recursive: true, force: true})
        throw new NodeProviderError(`restoring the snapshot ${request.snapshotPath} for ${member.name} failed (${tool.name} snapshot restore): ${summarizeToolError(stderr) || (error as Error).message}`, member.name, stderr, stderr)
      }
      // The mark names the tool that restored (a trace: which release's format the data dir is in).
      await writeFileAtomic(join(staging, RESTORED_MARK), `${request.snapshotPath}\nsha256:${put.sha256}\ntool:${tool.name}\n`)
      // Never over a data dir that appeared meanwhile (another attempt finished first): rename(2)
      // refuses a non-empty directory (ENOTEMPTY, or EEXIST) and a file (ENOTDIR); it would replace an
      // empty directory, which the look just before rules out but for a moment.
      if (!(await exists(dataDir))) {
        try {
          await rename(staging, dataDir)
          return 'restored'
        } catch (error) {
          if (!['ENOTEMPTY', 'EEXIST', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error
        }
      }
      await rm(staging, {recursive: true, force: true})
      return await this.existingDataDir(member, request)
    } finally {
      restoresInProgress.delete(staging)
    }
  }

  /** A data dir already there: etcdplan's restore (it has the mark), or someone else's, which is never touched. */
  private async existingDataDir(member: MemberSpec, request: RestoreRequest): Promise<'already-restored'> {
    if (await exists(join(resolve(request.dataDir), RESTORED_MARK))) return 'already-restored'
    throw new NodeProviderError(`the data dir ${request.dataDir} of ${member.name} already exists and was not restored by etcdplan: move it aside (never delete a data dir you have not checked), then apply again`, member.name, '')
  }

  async logTail(member: MemberSpec, lines: number): Promise<string> {
    try {
      const text = await readFile(this.logFile(member), 'utf8')
      return text.trimEnd().split('\n').slice(-lines).join('\n')
    } catch {
      return ''
    }
  }

  async inspectDataDir(member: MemberSpec): Promise<DataDirContents> {
    const path = resolve(member.dataDir)
    const walDir = resolve(walDirOf(member))
    let entries: string[]
    try {
      if (!(await stat(path)).isDirectory()) return {path, exists: true, isDirectory: false, entries: [], wal: null, files: [], walDirEntries: await listDir(walDir)}
      entries = (await readdir(path)).sort()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {path, exists: false, isDirectory: false, entries: [], wal: null, files: [], walDirEntries: await listDir(walDir)}
      throw error
    }
    return {path, exists: true, isDirectory: true, entries, wal: await readLocalWalIdentity(walDir), files: await filesBelow(path), walDirEntries: await listDir(walDir)}
  }

  async moveDataDirAside(member: MemberSpec): Promise<string | null> {
    const dataDir = resolve(member.dataDir)
    if (!(await exists(dataDir))) return null
    const at = new Date()
    for (let candidate = 1; ; candidate++) {
      const aside = failedStartPath(dataDir, at, candidate)
      if (await exists(aside)) continue
      await rename(dataDir, aside)
      return aside
    }
  }

  /** This machine is the member's host: the paths are renamed here (fence-local-paths.ts); there is no unit to disable. */
  async fenceMember(_member: MemberSpec, paths: readonly string[]): Promise<FenceResult> {
    return {paths: await fenceLocalPaths(paths), disabledUnit: null}
  }

  /** This machine is the member's host: nodes.local.etcd is run with --version, addresses bound for a moment, files opened (probe-local-host.ts). */
  async probeHost(member: MemberSpec, request: HostProbeRequest): Promise<HostProbe> {
    return probeLocalHost(this.etcdOf(member), request)
  }

  async readHostFiles(_member: MemberSpec, paths: readonly string[]): Promise<HostFile[]> {
    return readLocalFiles(paths)
  }

  async receivingSnapshotBytes(member: MemberSpec): Promise<number | null> {
    return receivingSnapshotBytesIn(member.dataDir)
  }

  /** Nothing is held between calls: every call opens and closes what it uses. */
  async close(): Promise<void> {}

  /**
   * The pid of the etcd running this member: the pid file's, if that process is alive and runs this
   * member's config; otherwise one found by its command line, which is adopted (pid file written).
   */
  private async runningPid(member: MemberSpec): Promise<number | null> {
    const configFile = resolve(member.configFile)
    let recorded: number | null = null
    try {
      recorded = Number.parseInt(await readFile(this.pidFile(member), 'utf8'), 10)
    } catch {
      // No pid file.
    }
    if (recorded !== null && Number.isInteger(recorded) && recorded > 0 && isProcessRunning(recorded)) {
      const args = await commandLine(recorded)
      // No /proc (not Linux): trust the pid file.
      if (args === null || runsConfig(args, configFile)) return recorded
    }
    const found = await findEtcdRunning(configFile)
    if (found === null) return null
    await mkdir(this.memberDir(member), {recursive: true})
    await writeFileAtomic(this.pidFile(member), `${found}\n`)
    return found
  }

  private async waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (!isProcessRunning(pid)) return true
      await sleep(POLL_MS)
    }
    return !isProcessRunning(pid)
  }
}

/** The process's arguments (argv), or null when they cannot be read (no /proc, or the process is gone). */
async function commandLine(pid: number): Promise<string[] | null> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((arg) => arg !== '')
  } catch {
    return null
  }
}

/** Whether these arguments run etcd with this config file (`--config-file PATH` or `--config-file=PATH`). */
function runsConfig(args: readonly string[], configFile: string): boolean {
  return args.some((arg, i) => ((arg === '--config-file' || arg === '-config-file') && args[i + 1] === configFile) || arg === `--config-file=${configFile}` || arg === `-config-file=${configFile}`)
}

/** A live process (not a zombie) running etcd with this config file, found in /proc; the lowest pid if several. */
async function findEtcdRunning(configFile: string): Promise<number | null> {
  let entries: string[]
  try {
    entries = await readdir('/proc')
  } catch {
    return null
  }
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number).sort((a, b) => a - b)
  for (const pid of pids) {
    if (pid === process.pid) continue
    const args = await commandLine(pid)
    if (args !== null && runsConfig(args, configFile) && isProcessRunning(pid)) return pid
  }
  return null
}

/** The identity in the head of the WAL dir's first WAL file; null when there is none or it cannot be read as one. */
async function readLocalWalIdentity(walDir: string): Promise<WalIdentity | null> {
  let name: string | null
  try {
    name = firstWalFile(await readdir(walDir))
  } catch {
    return null
  }
  if (name === null) return null
  try {
    const file = await open(join(walDir, name), 'r')
    try {
      const head = Buffer.alloc(WAL_HEAD_BYTES)
      const {bytesRead} = await file.read(head, 0, head.length, 0)
      return readWalIdentity(head.subarray(0, bytesRead))
    } finally {
      await file.close()
    }
  } catch {
    return null
  }
}

/** The directory's entries, sorted; empty when it does not exist or cannot be read as a directory. */
async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort()
  } catch {
    return []
  }
}

/** Everything below `root` that is not a directory (links are not followed), relative with `/`, sorted; at most DATA_DIR_FILES_LISTED. */
async function filesBelow(root: string): Promise<string[]> {
  const files: string[] = []
  const walk = async (relative: string): Promise<void> => {
    for (const name of await listDir(join(root, relative))) {
      if (files.length >= DATA_DIR_FILES_LISTED) return
      const path = relative === '' ? name : `${relative}/${name}`
      if ((await lstat(join(root, path))).isDirectory()) await walk(path)
      else files.push(path)
    }
  }
  await walk('')
  return files.sort()
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Already gone.
  }
}


