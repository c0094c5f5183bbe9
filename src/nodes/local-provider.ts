// The `local` node provider: real etcd processes on this machine, detached so that they outlive the
// apply. Each member it manages has `<workDir>/<name>/etcd.pid` and `etcd.log`; processes are found,
// checked and ended by that pid alone (and the pid is checked to still be this member's etcd, so a
// reused pid is never signalled).
import {spawn, execFile} from 'node:child_process'
import {closeSync, openSync, readFileSync} from 'node:fs'
import {access, mkdir, readFile, rename, rm} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'
import {promisify} from 'node:util'
import type {LocalNodes, MemberSpec} from '../spec/types.js'
import {writeFileAtomic} from '../write-file-atomic.js'
import {etcdctlBeside} from './etcdctl-path.js'
import {NodeProviderError, type NodeProvider, type RestoreRequest} from './node-provider.js'

const execFileAsync = promisify(execFile)
const POLL_MS = 50
/** A process that exits this soon after start failed to start (bad config, port in use, ...). */
const EARLY_EXIT_MS = 100
/** Left in a data dir this provider restored, so a second apply knows the restore is complete. */
const RESTORED_MARK = 'restored-by-etcdplan'

export class LocalNodeProvider implements NodeProvider {
  constructor(private readonly options: LocalNodes) {}

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
    const log = openSync(this.logFile(member), 'a')
    let child
    try {
      child = spawn(this.options.etcd, ['--config-file', resolve(configPath)], {detached: true, stdio: ['ignore', log, log]})
    } finally {
      closeSync(log)
    }
    const spawned = await new Promise<number>((resolvePid, reject) => {
      child.once('error', reject)
      child.once('spawn', () => resolvePid(child.pid ?? -1))
    }).catch(async (error: Error) => {
      throw new NodeProviderError(`could not run ${this.options.etcd} for ${member.name}: ${error.message}`, member.name, '')
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

  async restore(member: MemberSpec, request: RestoreRequest): Promise<'restored' | 'already-restored'> {
    const dataDir = resolve(request.dataDir)
    if (await exists(dataDir)) {
      if (await exists(join(dataDir, RESTORED_MARK))) return 'already-restored'
      throw new NodeProviderError(`the data dir ${request.dataDir} of ${member.name} already exists and was not restored by etcdplan: move it aside (never delete a data dir you have not checked), then apply again`, member.name, '')
    }
    // Restored beside the data dir and renamed into place with a mark: a restore killed half-way
    // leaves only the side directory, which the next attempt replaces.
    const staging = `${dataDir}.restoring`
    await rm(staging, {recursive: true, force: true})
    await mkdir(dirname(dataDir), {recursive: true})
    // etcd 3.4 restores with etcdctl (3.5+: etcdutl).
    try {
      await execFileAsync(etcdctlBeside(this.options.etcd), [
        'snapshot', 'restore', request.snapshotPath,
        '--name', member.name,
        '--data-dir', staging,
        '--initial-cluster', request.initialCluster,
        '--initial-cluster-token', request.initialClusterToken,
        '--initial-advertise-peer-urls', request.peerURL,
      ], {env: {...process.env, ETCDCTL_API: '3'}})
    } catch (error) {
      const stderr = (error as {stderr?: string}).stderr ?? ''
      await rm(staging, {recursive: true, force: true})
      throw new NodeProviderError(`restoring the snapshot for ${member.name} failed: ${stderr.trim() || (error as Error).message}`, member.name, stderr)
    }
    await writeFileAtomic(join(staging, RESTORED_MARK), `${request.snapshotPath}\n`)
    await rename(staging, dataDir)
    return 'restored'
  }

  async logTail(member: MemberSpec, lines: number): Promise<string> {
    try {
      const text = await readFile(this.logFile(member), 'utf8')
      return text.trimEnd().split('\n').slice(-lines).join('\n')
    } catch {
      return ''
    }
  }

  /** The pid in the member's pid file, if that process is alive and is still an etcd of this member. */
  private async runningPid(member: MemberSpec): Promise<number | null> {
    let pid: number
    try {
      pid = Number.parseInt(await readFile(this.pidFile(member), 'utf8'), 10)
    } catch {
      return null
    }
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null
    try {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8')
      if (!cmdline.includes('--config-file')) return null
    } catch {
      // No /proc (not Linux): trust the pid file.
    }
    return pid
  }

  private async waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return true
      await sleep(POLL_MS)
    }
    return !isAlive(pid)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // A zombie (exited, not yet reaped by its parent) no longer runs etcd. /proc/<pid>/stat is
  // "pid (comm) S ...": the state letter follows the last ')'.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z'
  } catch {
    return true
  }
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

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

