// What a state lock file records (who holds the lock: an ID, pid, host, user, operation, plan hash and
// start time), how such a record is made and recognised, and whether its holder still runs. It is its
// own module because both the lock protocol (state-lock.ts: a dead holder makes the lock stale) and
// its wording (state-lock-messages.ts: the Pid line of Lock Info) need it, and neither should import
// the other for it.
import {randomUUID} from 'node:crypto'
import {hostname, userInfo} from 'node:os'
import {isProcessRunning} from '../process-running.js'

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

/** The record in a lock file's text, or null when the text is not an etcdplan lock. */
export function parseLockInfo(text: string): StateLockInfo | null {
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
