// apply's --lock-timeout: how long to wait for another apply to release the state lock. The value is a
// Go duration, parsed by the spec's own parser (src/spec/duration.ts) so that it reads like every other
// duration etcdplan takes; only 0, the default, is added here, since a spec's durations must be longer.
import {parseDuration} from '../spec/duration.js'
import {UserError} from '../user-error.js'

/** --lock-timeout: a Go duration ("30s", "5m"), or 0 ("0s", the default) to fail at once. */
export function parseLockTimeout(text: string): number {
  if (/^\s*0+(?:\.0*)?(?:ns|us|µs|μs|ms|s|m|h)?\s*$/.test(text)) return 0
  const parsed = parseDuration(text)
  if (!parsed.ok) throw new UserError(`--lock-timeout "${text}" is not a duration: ${parsed.reason}`, 'write it as Go does, e.g. 30s, 5m or 1h30m (0s, the default, does not wait)', 1, 'invalid-flag')
  return parsed.ms
}
