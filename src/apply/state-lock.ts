// The state lock: one apply per migration at a time, the way terraform locks its state. The lock is a
// file beside the journal (`<journal>.lock`, so `.etcdplan/<name>/state.json.lock` by default) that
// says who holds it: an ID, pid, host, user, operation, plan hash and start time. It is created with
// its whole content at once (written to a temp file, fsynced, then hard-linked into place, which
// fails when the lock exists), so a reader never sees a half-written lock and two applies can never
// both believe they hold it. A second apply fails at once with "Error acquiring the state lock" and the
// holder's details, or polls for up to --lock-timeout. A lock whose process is gone from this host is
// reported as stale with the command that clears it; it is never broken automatically, because the
// operator should look at the interrupted apply first. This module never prints.
import {randomUUID} from 'node:crypto'
import {readFileSync, unlinkSync} from 'node:fs'
import {access, link, mkdir, open, readdir, readFile, rm, unlink} from 'node:fs/promises'
import {setTimeout as sleep} from 'node:timers/promises'
import {hostname, userInfo} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {parseDuration} from '../spec/duration.js'
import {directoryProblem} from '../directory-problem.js'
import {fsErrorReason} from '../fs-error-reason.js'
import {isProcessRunning} from '../process-running.js'
import {UserError} from '../user-error.js'
import {syncDirectory} from '../write-file-atomic.js'
import {defaultJournalPath} from './journal.js'

export interface StateLockInfo {
  readonly kind: 'etcdplan-lock'
  /** A random UUID: what `etcdplan force-unlock` is given. */
  readonly id: string
  readonly pid: number
  readonly host: string
  readonly user: string
  readonly operation: string
  /** The contentHash of the plan being applied. */
  readonly planHash: string
  /** The migration's name (the spec's `name`). */
  readonly name: string
  readonly createdAt: string
  readonly etcdplanVersion: string
}

/** Whether the process that took a lock still runs: known only on its own host. */
export type HolderState = 'running' | 'not-running' | 'other-host'

const POLL_MS = 200

export function lockPathFor(journalPath: string): string {
  return `${journalPath}.lock`
}

export function newLockInfo(options: {name: string; planHash: string; version: string; operation?: string; now?: Date}): StateLockInfo {
  return {
    kind: 'etcdplan-lock',
    id: randomUUID(),
    pid: process.pid,
    host: hostname(),
    user: currentUser(),
    operation: options.operation ?? 'apply',
    planHash: options.planHash,
    name: options.name,
    createdAt: (options.now ?? new Date()).toISOString(),
    etcdplanVersion: options.version,
  }
}

function currentUser(): string {
  try {
    return userInfo().username
  } catch {
    // A uid with no passwd entry (containers): userInfo throws.
    return process.env.USER ?? process.env.LOGNAME ?? `uid ${process.getuid?.() ?? '?'}`
  }
}

export type LockProblem = 'held' | 'stale' | 'corrupt'

/** "Error acquiring the state lock", with the holder's details and what to do. */
export class StateLockError extends UserError {
  constructor(
    readonly problem: LockProblem,
    readonly lockPath: string,
    readonly holder: StateLockInfo | null,
    message: string,
    hint: string,
  ) {
    super(message, hint, 1, problem === 'held' ? 'lock-held' : problem === 'stale' ? 'lock-stale' : 'lock-corrupt', {lockPath, holder})
    this.name = 'StateLockError'
  }
}

export interface StateLock {
  readonly info: StateLockInfo
  readonly path: string
  /** How long acquiring waited for another holder (0 when the lock was free). */
  readonly waitedMs: number
  /**
   * Removes the lock file if it still holds this lock's ID; synchronous, so that it can run in an
   * exit handler. 'lost' when the file is gone or holds another ID (someone ran force-unlock): that
   * file is left alone. Calling it again does nothing.
   */
  release(): 'released' | 'lost'
}

export interface AcquireOptions {
  readonly journalPath: string
  readonly info: StateLockInfo
  /** How long to wait for another holder to release it; 0 fails at once. */
  readonly timeoutMs: number
  /**
   * Whether a missing directory of the lock may be created (default true): true for etcdplan's own
   * .etcdplan/<name>/, false for a --state path (JournalLocation.createDir), whose directory must exist.
   */
  readonly createDirectory?: boolean
  /** Called once, when the lock is found held and acquiring starts to wait. */
  readonly onWait?: (holder: StateLockInfo, lockPath: string) => void
  readonly pollMs?: number
}

/**
 * Takes the lock of the journal at `journalPath`, waiting up to `timeoutMs` for a holder to release
 * it. Throws StateLockError when it stays held, when its holder is gone from this host (stale: waiting
 * cannot help, so it fails at once) and when the lock file is unreadable.
 */
export async function acquireStateLock(options: AcquireOptions): Promise<StateLock> {
  const path = lockPathFor(options.journalPath)
  const content = `${JSON.stringify(options.info, null, 2)}\n`
  const started = Date.now()
  let waiting = false
  for (;;) {
    if (await createExclusively(path, content, options.createDirectory ?? true)) return heldLock(path, options.info, waiting ? Date.now() - started : 0)
    let holder
    try {
      holder = await readStateLock(path)
    } catch (error) {
      if (error instanceof StateLockError) throw new StateLockError(error.problem, path, null, `Error acquiring the state lock: ${error.message}`, error.hint ?? '')
      throw error
    }
    if (holder === null) continue // released between the two calls: try again at once
    const state = holderState(holder)
    const waited = Date.now() - started
    if (state === 'not-running') throw staleLockError(path, holder, options.journalPath)
    if (waited >= options.timeoutMs) throw heldLockError(path, holder, state, options.timeoutMs, options.journalPath)
    if (!waiting) {
      waiting = true
      options.onWait?.(holder, path)
    }
    await sleep(Math.min(options.pollMs ?? POLL_MS, options.timeoutMs - waited))
  }
}

/** Creates `path` with `content` unless it exists; never leaves it half-written. */
async function createExclusively(path: string, content: string, createDirectory: boolean): Promise<boolean> {
  const directory = dirname(resolve(path))
  if (createDirectory) {
    try {
      await mkdir(directory, {recursive: true})
    } catch (error) {
      // mkdir -p fails with EEXIST, not ENOTDIR, when a part of the path is a file.
      const reason = fsErrorReason((error as NodeJS.ErrnoException).code === 'EEXIST' ? {code: 'ENOTDIR'} : error)
      throw new UserError(`Error acquiring the state lock: cannot create ${directory} for the lock ${path} (${reason}); nothing was changed`, 'pass --state with a path whose directories exist or can be created', 1, 'state-path-invalid')
    }
  } else if (directoryProblem(path) !== null) {
    throw new UserError(`Error acquiring the state lock: the directory ${dirname(path)} of the lock ${path} is missing or not a directory; nothing was changed`, 'check the --state path, or leave --state out to use the default .etcdplan/<name>/state.json', 1, 'state-path-invalid')
  }
  const temp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`
  try {
    await writeExclusive(temp, content)
    try {
      await link(temp, path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EEXIST') return false
      // A file system without hard links: an exclusive create (a reader may see it briefly empty).
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error
      try {
        await writeExclusive(path, content)
      } catch (fallback) {
        if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false
        throw fallback
      }
    }
  } finally {
    await rm(temp, {force: true})
  }
  await syncDirectory(directory)
  return true
}

/** Creates `path` (failing with EEXIST when it exists) with `content`, fsynced. */
async function writeExclusive(path: string, content: string): Promise<void> {
  const handle = await open(path, 'wx', 0o644)
  try {
    await handle.writeFile(content)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

function heldLock(path: string, info: StateLockInfo, waitedMs: number): StateLock {
  let released = false
  return {
    info,
    path,
    waitedMs,
    release() {
      if (released) return 'released'
      released = true
      return removeIfOurs(path, info.id) ? 'released' : 'lost'
    },
  }
}

function removeIfOurs(path: string, id: string): boolean {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return false
  }
  if (parseLock(text)?.id !== id) return false
  try {
    unlinkSync(path)
    return true
  } catch {
    return false
  }
}

/** The lock at `path`, or null when there is none. Throws StateLockError for an unreadable or foreign file. */
export async function readStateLock(path: string): Promise<StateLockInfo | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new StateLockError('corrupt', path, null, `cannot read the lock file ${path}: ${(error as Error).message}`, 'check its permissions: every apply of this migration must be able to create and remove it')
  }
  const info = parseLock(text)
  if (info === null) {
    throw new StateLockError(
      'corrupt',
      path,
      null,
      `the lock file ${path} is not an etcdplan lock (corrupt, empty or edited), so who holds it is unknown`,
      `make sure no etcdplan apply of this migration is running (ps, and etcdplan status), then delete it: rm ${shellQuote(path)}`,
    )
  }
  return info
}

function parseLock(text: string): StateLockInfo | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const v = value as Record<string, unknown>
  const strings = ['id', 'host', 'user', 'operation', 'planHash', 'name', 'createdAt', 'etcdplanVersion'] as const
  if (v.kind !== 'etcdplan-lock' || !strings.every((key) => typeof v[key] === 'string') || !Number.isInteger(v.pid)) return null
  return value as StateLockInfo
}

/** Whether the holder's process still runs: known only when it ran on this host. */
export function holderState(holder: StateLockInfo): HolderState {
  if (holder.host !== hostname()) return 'other-host'
  return isProcessRunning(holder.pid) ? 'running' : 'not-running'
}

/** The command that removes this lock, with --state when the journal is not at its default path. */
export function forceUnlockCommand(id: string, journalPath: string, name: string): string {
  const state = resolve(journalPath) === resolve(defaultJournalPath(name)) ? '' : ` --state ${shellQuote(journalPath)}`
  return `etcdplan force-unlock ${id}${state}`
}

function staleLockError(path: string, holder: StateLockInfo, journalPath: string): StateLockError {
  return new StateLockError(
    'stale',
    path,
    holder,
    `Error acquiring the state lock: the lock is STALE — the ${holder.operation} that took it (pid ${holder.pid} on this host) is no longer running\n\n${formatLockInfo(holder, path)}`,
    `that ${holder.operation} was interrupted; its journal records how far it got (etcdplan status). Remove the lock with:\n    ${forceUnlockCommand(holder.id, journalPath, holder.name)}\n  then run apply again: it resumes where the journal stopped`,
  )
}

function heldLockError(path: string, holder: StateLockInfo, state: HolderState, timeoutMs: number, journalPath: string): StateLockError {
  const where = state === 'other-host' ? `on ${holder.host}` : 'on this host'
  const waited = timeoutMs > 0 ? ` (waited ${formatAge(timeoutMs)})` : ''
  return new StateLockError(
    'held',
    path,
    holder,
    `Error acquiring the state lock: another etcdplan ${holder.operation} of "${holder.name}" holds it (${holder.user}@${holder.host}, pid ${holder.pid} ${where})${waited}\n\n${formatLockInfo(holder, path)}`,
    state === 'other-host'
      ? `let it finish, or wait for it with --lock-timeout 10m; if that ${holder.operation} is certainly not running on ${holder.host} any more, remove the lock with ${forceUnlockCommand(holder.id, journalPath, holder.name)}`
      : `only one apply of a migration runs at a time: let it finish (etcdplan status shows its progress), or wait for it with --lock-timeout 10m`,
  )
}

/** terraform's "Lock Info:" block, with the pid and plan hash an etcdplan lock also records. */
export function formatLockInfo(holder: StateLockInfo, path: string, now: Date = new Date()): string {
  const state = holderState(holder)
  const pid = state === 'other-host' ? `${holder.pid} (on ${holder.host})` : `${holder.pid} (${state === 'running' ? 'running' : 'not running'} on this host)`
  const created = Date.parse(holder.createdAt)
  const age = Number.isNaN(created) ? '' : ` (${formatAge(now.getTime() - created)} ago)`
  return [
    'Lock Info:',
    `  ID:        ${holder.id}`,
    `  Path:      ${path}`,
    `  Operation: ${holder.operation}`,
    `  Who:       ${holder.user}@${holder.host}`,
    `  Pid:       ${pid}`,
    `  Plan:      ${holder.planHash}`,
    `  Version:   ${holder.etcdplanVersion}`,
    `  Created:   ${holder.createdAt}${age}`,
  ].join('\n')
}

/** "1h2m", "3m5s", "42s", "800ms": a duration, to the second (to the millisecond below one). */
export function formatAge(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`
  const seconds = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  if (h > 0) return `${h}h${m}m`
  if (m > 0) return `${m}m${s}s`
  return `${s}s`
}

/** --lock-timeout: a Go duration ("30s", "5m"), or 0 ("0s", the default) to fail at once. */
export function parseLockTimeout(text: string): number {
  if (/^\s*0+(?:\.0*)?(?:ns|us|µs|μs|ms|s|m|h)?\s*$/.test(text)) return 0
  const parsed = parseDuration(text)
  if (!parsed.ok) throw new UserError(`--lock-timeout "${text}" is not a duration: ${parsed.reason}`, 'write it as Go does, e.g. 30s, 5m or 1h30m (0s, the default, does not wait)', 1, 'invalid-flag')
  return parsed.ms
}

export interface FoundLock {
  readonly path: string
  /** null when the file is not a readable lock. */
  readonly info: StateLockInfo | null
  readonly problem: string | null
}

/** Every `<root>/<name>/state.json.lock` under the default journal directory (.etcdplan), read. */
export async function findStateLocks(root = '.etcdplan'): Promise<string[]> {
  let names: string[]
  try {
    names = (await readdir(root, {withFileTypes: true})).filter((e) => e.isDirectory()).map((e) => e.name)
  } catch {
    return []
  }
  const paths = []
  for (const name of names.sort()) {
    const path = join(root, name, 'state.json.lock')
    try {
      await access(path)
      paths.push(path)
    } catch {
      // no lock for this migration
    }
  }
  return paths
}

/** Reads each path, keeping unreadable ones with their problem (never throws). */
export async function readLocks(paths: readonly string[]): Promise<FoundLock[]> {
  const found: FoundLock[] = []
  for (const path of paths) {
    try {
      const info = await readStateLock(path)
      if (info !== null) found.push({path, info, problem: null})
    } catch (error) {
      found.push({path, info: null, problem: (error as Error).message})
    }
  }
  return found
}

/**
 * Deletes the lock at `path` if it has the ID `id` (checked right before the unlink). 'gone' when
 * there is no lock any more, 'other' when it holds another ID.
 */
export async function removeStateLock(path: string, id: string): Promise<'removed' | 'gone' | 'other'> {
  const current = await readStateLock(path)
  if (current === null) return 'gone'
  if (current.id !== id) return 'other'
  try {
    await unlink(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw error
  }
  return 'removed'
}

/**
 * acquireStateLock, with the lock released however the process ends while it is held: on exit
 * (including process.exit and an event loop that runs dry) and on SIGINT, SIGTERM and SIGHUP, which
 * then exit with 128 + the signal number, as a shell reports them. The handlers go in before the lock
 * is taken and remove the lock file only if it holds this lock's ID, so a signal that arrives while the
 * lock is being created does not leave it behind. The returned lock's release also removes them.
 */
export async function holdStateLock(options: AcquireOptions): Promise<StateLock> {
  const path = lockPathFor(options.journalPath)
  const onExit = () => {
    removeIfOurs(path, options.info.id)
  }
  const handlers = new Map<NodeJS.Signals, () => void>(
    ([['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const).map(([signal, code]) => [signal, () => process.exit(code)]),
  )
  process.once('exit', onExit)
  for (const [signal, handler] of handlers) process.once(signal, handler)
  const uninstall = () => {
    process.removeListener('exit', onExit)
    for (const [signal, handler] of handlers) process.removeListener(signal, handler)
  }
  let lock: StateLock
  try {
    lock = await acquireStateLock(options)
  } catch (error) {
    uninstall()
    throw error
  }
  return {
    ...lock,
    release() {
      uninstall()
      return lock.release()
    },
  }
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`
}
