// The state lock: one apply per migration at a time, the way terraform locks its state. The lock is a
// file beside the journal (`<journal>.lock`, so `.etcdplan/<name>/state.json.lock` by default) that
// says who holds it (state-lock-info.ts). It is created with its whole content at once (written to a
// temp file, fsynced, then hard-linked into place, which fails when the lock exists), so a reader never
// sees a half-written lock and two applies can never both believe they hold it. A second apply fails at
// once with "Error acquiring the state lock" and the holder's details, or polls for up to
// --lock-timeout. A lock whose process is gone from this host is reported as stale with the command
// that clears it; it is never broken automatically, because the operator should look at the
// interrupted apply first. This module is the protocol only: the wording is state-lock-messages.ts,
// --lock-timeout is lock-timeout.ts and the release on signals is hold-state-lock.ts. It never prints.
import {randomUUID} from 'node:crypto'
import {readFileSync, unlinkSync} from 'node:fs'
import {access, link, mkdir, open, readdir, readFile, rm, unlink} from 'node:fs/promises'
import {setTimeout as sleep} from 'node:timers/promises'
import {dirname, join, resolve} from 'node:path'
import {directoryProblem} from '../directory-problem.js'
import {fsErrorReason} from '../fs-error-reason.js'
import {UserError} from '../user-error.js'
import {syncDirectory} from '../write-file-atomic.js'
import {holderState, parseLockInfo, type StateLockInfo} from './state-lock-info.js'
import {
  describeForeignLock,
  describeHeldLock,
  describeMissingDirectory,
  describeStaleLock,
  describeUncreatableDirectory,
  describeUnreadableLock,
  prefixAcquireFailure,
  type LockMessage,
} from './state-lock-messages.js'

// force-unlock reads these through this module's namespace (`lock.holderState`, `lock.formatLockInfo`).
export {holderState} from './state-lock-info.js'
export {formatLockInfo} from './state-lock-messages.js'

const POLL_MS = 200

export function lockPathFor(journalPath: string): string {
  return `${journalPath}.lock`
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

/** A StateLockError whose text is `text`. */
function lockError(problem: LockProblem, path: string, holder: StateLockInfo | null, text: LockMessage): StateLockError {
  return new StateLockError(problem, path, holder, text.message, text.hint)
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
      if (error instanceof StateLockError) throw new StateLockError(error.problem, path, null, prefixAcquireFailure(error.message), error.hint ?? '')
      throw error
    }
    if (holder === null) continue // released between the two calls: try again at once
    const state = holderState(holder)
    const waited = Date.now() - started
    if (state === 'not-running') throw lockError('stale', path, holder, describeStaleLock(holder, path, options.journalPath))
    if (waited >= options.timeoutMs) throw lockError('held', path, holder, describeHeldLock(holder, state, options.timeoutMs, path, options.journalPath))
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
      throw statePathError(describeUncreatableDirectory(directory, path, fsErrorReason((error as NodeJS.ErrnoException).code === 'EEXIST' ? {code: 'ENOTDIR'} : error)))
    }
  } else if (directoryProblem(path) !== null) {
    throw statePathError(describeMissingDirectory(dirname(path), path))
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

/** A lock directory that cannot be used: the --state path is at fault, not the lock. */
function statePathError(text: LockMessage): UserError {
  return new UserError(text.message, text.hint, 1, 'state-path-invalid')
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
      return removeLockIfOurs(path, info.id) ? 'released' : 'lost'
    },
  }
}

/**
 * Removes the lock file at `path` if it holds the ID `id`; synchronous and never throws, so that it can
 * run in an exit handler (hold-state-lock.ts). False when there was no such lock to remove.
 */
export function removeLockIfOurs(path: string, id: string): boolean {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return false
  }
  if (parseLockInfo(text)?.id !== id) return false
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
    throw lockError('corrupt', path, null, describeUnreadableLock(path, (error as Error).message))
  }
  const info = parseLockInfo(text)
  if (info === null) throw lockError('corrupt', path, null, describeForeignLock(path))
  return info
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
