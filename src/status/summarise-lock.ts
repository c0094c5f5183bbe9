// The journal's state lock as status shows it: who holds it, whether that process still runs, and
// the force-unlock command when it does not. Reads only; a lock that cannot be read is reported,
// never thrown: status must show the cluster whatever state the lock file is in.
import {lockPathFor, readStateLock} from '../apply/state-lock.js'
import {holderState} from '../apply/state-lock-info.js'
import {forceUnlockCommand} from '../apply/state-lock-messages.js'
import type {LockSummary} from './status-report.js'

export async function summariseLock(journalPath: string, name: string): Promise<LockSummary | null> {
  const path = lockPathFor(journalPath)
  try {
    const info = await readStateLock(path)
    if (info === null) return null
    const holder = holderState(info)
    return {path, info, holder, problem: null, forceUnlock: holder === 'not-running' ? forceUnlockCommand(info.id, journalPath, name) : null}
  } catch (error) {
    return {path, info: null, holder: null, problem: (error as Error).message, forceUnlock: null}
  }
}
