// A provider operation retried when the connection to the host was lost on the way (a dropped link,
// a master connection killed): every operation is idempotent by contract (node-provider.ts), so the
// whole operation runs again, over a new master connection, a few times before its last error is
// the answer. Failures that another try cannot fix (a host key refused, a login refused, a host that
// is not there) are not retried.
import {setTimeout as sleep} from 'node:timers/promises'
import {HostTransportError} from './host-transport.js'

/** Waits between attempts: 3 attempts in all, ~3.5 s of waiting. */
export const RETRY_DELAYS_MS: readonly number[] = [500, 1000, 2000]
export const ATTEMPTS = 3

export async function withRetry<T>(operation: () => Promise<T>, beforeRetry: () => Promise<void>, delaysMs: readonly number[] = RETRY_DELAYS_MS, attempts = ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation()
    } catch (error) {
      if (!(error instanceof HostTransportError) || !error.retryable || attempt >= attempts) throw error
      await sleep(delaysMs[Math.min(attempt - 1, delaysMs.length - 1)] ?? 0)
      await beforeRetry()
    }
  }
}
