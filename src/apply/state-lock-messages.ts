// The state lock's wording, kept apart from the protocol (state-lock.ts) so that the text operators
// and scripts read is in one place: the "Error acquiring the state lock" messages and their hints
// (held, stale, corrupt, a lock directory that cannot be used), terraform's "Lock Info:" block, the
// ages in them, and the force-unlock command that clears a lock. Builds text only; it never throws
// or prints, and the protocol decides which error carries it.
import {resolve} from 'node:path'
import {formatCommand} from '../dns/format-command.js'
import {defaultJournalPath} from './journal.js'
import {holderState, type HolderState, type StateLockInfo} from './state-lock-info.js'

/** A failure's text as a UserError carries it: what happened, and what to do about it. */
export interface LockMessage {
  readonly message: string
  readonly hint: string
}

/** Acquiring failed because the lock's directory could not be created (`reason`: why, from fsErrorReason). */
export function describeUncreatableDirectory(directory: string, path: string, reason: string): LockMessage {
  return {
    message: `Error acquiring the state lock: cannot create ${directory} for the lock ${path} (${reason}); nothing was changed`,
    hint: 'pass --state with a path whose directories exist or can be created',
  }
}

/** Acquiring failed because a --state lock's directory is not there (it is never created). */
export function describeMissingDirectory(directory: string, path: string): LockMessage {
  return {
    message: `Error acquiring the state lock: the directory ${directory} of the lock ${path} is missing or not a directory; nothing was changed`,
    hint: 'check the --state path, or leave --state out to use the default .etcdplan/<name>/state.json',
  }
}

/** The lock file exists but cannot be read (`reason`: the error's message). */
export function describeUnreadableLock(path: string, reason: string): LockMessage {
  return {
    message: `cannot read the lock file ${path}: ${reason}`,
    hint: 'check its permissions: every apply of this migration must be able to create and remove it',
  }
}

/** The lock file is not an etcdplan lock, so nothing says who holds it. */
export function describeForeignLock(path: string): LockMessage {
  return {
    message: `the lock file ${path} is not an etcdplan lock (corrupt, empty or edited), so who holds it is unknown`,
    hint: `make sure no etcdplan apply of this migration is running (ps, and etcdplan status), then delete it: ${formatCommand(['rm', path])}`,
  }
}

/** A lock-reading failure's message as acquiring reports it. */
export function prefixAcquireFailure(message: string): string {
  return `Error acquiring the state lock: ${message}`
}

/** The holder took the lock on this host and no longer runs. */
export function describeStaleLock(holder: StateLockInfo, path: string, journalPath: string): LockMessage {
  return {
    message: `Error acquiring the state lock: the lock is STALE — the ${holder.operation} that took it (pid ${holder.pid} on this host) is no longer running\n\n${formatLockInfo(holder, path)}`,
    hint: `that ${holder.operation} was interrupted; its journal records how far it got (etcdplan status). Remove the lock with:\n    ${forceUnlockCommand(holder.id, journalPath, holder.name)}\n  then run apply again: it resumes where the journal stopped`,
  }
}

/** The holder runs (or may, on another host) and did not release the lock within `timeoutMs`. */
export function describeHeldLock(holder: StateLockInfo, state: HolderState, timeoutMs: number, path: string, journalPath: string): LockMessage {
  const where = state === 'other-host' ? `on ${holder.host}` : 'on this host'
  const waited = timeoutMs > 0 ? ` (waited ${formatAge(timeoutMs)})` : ''
  return {
    message: `Error acquiring the state lock: another etcdplan ${holder.operation} of "${holder.name}" holds it (${holder.user}@${holder.host}, pid ${holder.pid} ${where})${waited}\n\n${formatLockInfo(holder, path)}`,
    hint:
      state === 'other-host'
        ? `let it finish, or wait for it with --lock-timeout 10m; if that ${holder.operation} is certainly not running on ${holder.host} any more, remove the lock with ${forceUnlockCommand(holder.id, journalPath, holder.name)}`
        : `only one apply of a migration runs at a time: let it finish (etcdplan status shows its progress), or wait for it with --lock-timeout 10m`,
  }
}

/**
 * The command that removes this lock, with --state when the journal is not at its default path. Paths
 * are quoted as every command etcdplan shows is (formatCommand), so that it can be pasted into a shell.
 */
export function forceUnlockCommand(id: string, journalPath: string, name: string): string {
  const state = resolve(journalPath) === resolve(defaultJournalPath(name)) ? '' : ` --state ${formatCommand([journalPath])}`
  return `etcdplan force-unlock ${id}${state}`
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
