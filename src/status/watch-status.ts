// `status --watch`: read the status again every interval until stopped. Only reads (read-status.ts):
// it never changes the cluster, the journal or the lock, and stops no process. Nothing here prints:
// the command decides how each report is drawn.
import {setTimeout as sleep} from 'node:timers/promises'

export interface WatchOptions<T> {
  readonly intervalMs: number
  readonly read: () => Promise<T>
  /** Called with each report (or the error reading it), in order. */
  readonly show: (report: {readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: unknown}) => void
  /** Aborted on Ctrl-C: the loop ends after the read in progress, without waiting out the interval. */
  readonly signal: AbortSignal
}

export async function watchStatus<T>(options: WatchOptions<T>): Promise<void> {
  while (!options.signal.aborted) {
    const started = Date.now()
    try {
      const value = await options.read()
      if (options.signal.aborted) return
      options.show({ok: true, value})
    } catch (error) {
      if (options.signal.aborted) return
      options.show({ok: false, error})
    }
    // The interval is from one read's start to the next, so a slow cluster does not stretch it.
    const pause = Math.max(0, options.intervalMs - (Date.now() - started))
    try {
      await sleep(pause, undefined, {signal: options.signal})
    } catch {
      return
    }
  }
}
