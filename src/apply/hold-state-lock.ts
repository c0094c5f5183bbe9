// Holding the state lock for the life of the process: apply takes it through holdStateLock so that
// however the process ends (an exit, a Ctrl-C, a kill, a closed terminal) the lock does not outlive
// it. The lock itself (creating, waiting, releasing) is state-lock.ts; this adds only the handlers.
import {acquireStateLock, lockPathFor, removeLockIfOurs, type AcquireOptions, type StateLock} from './state-lock.js'

/** The signals that end an apply, with the exit code a shell reports for each (128 + its number). */
const EXIT_SIGNALS = [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const

/**
 * acquireStateLock, with the lock released however the process ends while it is held: on exit
 * (including process.exit and an event loop that runs dry) and on SIGINT, SIGTERM and SIGHUP, which
 * then exit with 128 + the signal number, as a shell reports them. The handlers go in before the lock
 * is taken and remove the lock file only if it holds this lock's ID, so a signal that arrives while the
 * lock is being created does not leave it behind. `onSignal` runs after the lock is removed and before
 * the exit (apply says there where the journal stands); it must be synchronous. The returned lock's release also removes them.
 */
export async function holdStateLock(options: AcquireOptions & {readonly onSignal?: (signal: NodeJS.Signals) => void}): Promise<StateLock> {
  const path = lockPathFor(options.journalPath)
  const onExit = () => {
    removeLockIfOurs(path, options.info.id)
  }
  // The lock goes first, so that what onSignal says (the lock is released) is already true.
  const exitOn = (signal: NodeJS.Signals, code: number) => () => {
    onExit()
    options.onSignal?.(signal)
    process.exit(code)
  }
  const handlers = new Map<NodeJS.Signals, () => void>(EXIT_SIGNALS.map(([signal, code]) => [signal, exitOn(signal, code)]))
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
