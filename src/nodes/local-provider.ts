// The `local` node provider: real etcd processes on this machine, detached so that they outlive the
// apply. Each member it manages has `<workDir>/<name>/etcd.pid` and `etcd.log`; processes are found,
// checked and ended by that pid (and the pid is checked to still be an etcd running this member's
// config file, so a reused pid is never signalled). An apply killed between spawning etcd and
// writing the pid file leaves an etcd without one: when the pid file is missing or stale, the
// member's etcd is looked for by its command line (`--config-file <this member's config>`) and
// adopted (its pid written), so that it is never started a second time on the same ports.
import {spawn, execFile} from 'node:child_process'
import {closeSync, openSync} from 'node:fs'
import {access, mkdir, open, readdir, readFile, rename, rm, stat} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {promisify} from 'node:util'
import type {LocalNodes, MemberSpec} from '../spec/types.js'
import {isProcessRunning} from '../process-running.js'
import {writeFileAtomic} from '../write-file-atomic.js'
import {etcdctlBeside} from './etcdctl-path.js'
import {NodeProviderError, type DataDirContents, type NodeProvider, type RestoreRequest} from './node-provider.js'

const execFileAsync = promisify(execFile)
const POLL_MS = 50
/** A process that exits this soon after start failed to start (bad config, port in use, ...). */
const EARLY_EXIT_MS = 100
/** Left in a data dir this provider restored, so a second apply knows the restore is complete. */
export const RESTORED_MARK = 'restored-by-etcdplan'

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

  async inspectDataDir(member: MemberSpec): Promise<DataDirContents> {
    const path = resolve(member.dataDir)
    let entries: string[]
    try {
      if (!(await stat(path)).isDirectory()) return {path, exists: true, isDirectory: false, entries: [], wal: null}
      entries = (await readdir(path)).sort()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {path, exists: false, isDirectory: false, entries: [], wal: null}
      throw error
    }
    const walDir = typeof member.config['wal-dir'] === 'string' ? resolve(member.config['wal-dir']) : join(path, 'member', 'wal')
    return {path, exists: true, isDirectory: true, entries, wal: await readWalMetadata(walDir)}
  }

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

/** etcd's WAL record type of the metadata record (wal/wal.go: metadataType = 1), which every WAL file starts with after its CRC record. */
const WAL_METADATA_TYPE = 1n
/** Enough of the first WAL file for its first records. */
const WAL_HEAD_BYTES = 64 * 1024

/**
 * The member and cluster IDs in the first WAL file's metadata record. A WAL file is a sequence of
 * frames: a little-endian uint64 length (the top byte flags padding to 8 bytes) and a walpb.Record
 * (protobuf: 1 type, 2 crc, 3 data); the metadata record's data is an etcdserverpb.Metadata
 * (1 NodeID, 2 ClusterID). null when there is no WAL or it cannot be read as one.
 */
export async function readWalMetadata(walDir: string): Promise<{memberId: string; clusterId: string} | null> {
  let names: string[]
  try {
    names = (await readdir(walDir)).filter((n) => n.endsWith('.wal')).sort()
  } catch {
    return null
  }
  if (names[0] === undefined) return null
  const head = Buffer.alloc(WAL_HEAD_BYTES)
  let length = 0
  try {
    const file = await open(join(walDir, names[0]), 'r')
    try {
      length = (await file.read(head, 0, head.length, 0)).bytesRead
    } finally {
      await file.close()
    }
  } catch {
    return null
  }
  return parseWalMetadata(head.subarray(0, length))
}

export function parseWalMetadata(bytes: Buffer): {memberId: string; clusterId: string} | null {
  let offset = 0
  // The metadata record comes within the first few frames.
  for (let frame = 0; frame < 4 && offset + 8 <= bytes.length; frame++) {
    const lenField = bytes.readBigUInt64LE(offset)
    offset += 8
    if (lenField === 0n) return null
    const size = Number(lenField & 0x00ffffffffffffffn)
    const flags = Number(lenField >> 56n)
    const padding = (flags & 0x80) !== 0 ? flags & 0x7 : 0
    if (offset + size > bytes.length) return null
    const record = protoFields(bytes.subarray(offset, offset + size))
    offset += size + padding
    if (record === null) return null
    if (record.varints.get(1) !== WAL_METADATA_TYPE) continue
    const data = record.bytes.get(3)
    const metadata = data === undefined ? null : protoFields(data)
    const memberId = metadata?.varints.get(1)
    const clusterId = metadata?.varints.get(2)
    if (memberId === undefined || clusterId === undefined) return null
    return {memberId: memberId.toString(), clusterId: clusterId.toString()}
  }
  return null
}

/** The varint and length-delimited fields of a protobuf message (by field number); null when it is not one. */
function protoFields(message: Buffer): {varints: Map<number, bigint>; bytes: Map<number, Buffer>} | null {
  const varints = new Map<number, bigint>()
  const bytes = new Map<number, Buffer>()
  let offset = 0
  const varint = (): bigint | null => {
    let value = 0n
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (offset >= message.length) return null
      const byte = message[offset++]!
      value |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return value
    }
    return null
  }
  while (offset < message.length) {
    const key = varint()
    if (key === null) return null
    const field = Number(key >> 3n)
    const wireType = Number(key & 7n)
    if (wireType === 0) {
      const value = varint()
      if (value === null) return null
      varints.set(field, value)
    } else if (wireType === 2) {
      const size = varint()
      if (size === null || offset + Number(size) > message.length) return null
      bytes.set(field, message.subarray(offset, offset + Number(size)))
      offset += Number(size)
    } else {
      return null
    }
  }
  return {varints, bytes}
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


