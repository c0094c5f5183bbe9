// A client that keeps writing while a migration runs, the way a real application configured with
// several endpoints does: it sticks to one endpoint, and when a put fails it retries the same key and
// value on the next endpoint in rotation until one acknowledges. Every acknowledged put is recorded,
// so afterwards we can prove none was lost (verifyAcknowledged) and say how long writes stalled.
// Each endpoint has its own client from connectEndpoint (etcd3's retries and circuit breaker off, a
// deadline on every call), so failing over is the writer's decision and is counted.
import type {Etcd3} from 'etcd3'
import {connectEndpoint} from '../src/cluster/etcd-endpoint.js'
import {messageOf} from '../src/cluster/etcd-failure.js'
import {bulkClient, readPrefix} from './load-keys.js'
import type {TlsFiles} from '../src/spec/types.js'

export interface WriterOptions {
  /** Time from the start of one put to the start of the next (when the put took less). */
  readonly intervalMs?: number
  /** Keys are `<prefix><sequence, 8 digits>`. */
  readonly prefix: string
  /** Deadline of each put; a put to a member without quorum fails after this and moves on. */
  readonly callTimeoutMs?: number
  /** How to reach a TLS cluster (the spec's cluster.tls). */
  readonly tls?: TlsFiles
}

export interface WriterProgress {
  /** Put calls made, retries included: acknowledged + failedAttempts (+1 while one is in flight). */
  readonly attempted: number
  readonly acknowledged: number
  readonly failedAttempts: number
}

export interface WriterFigures extends WriterProgress {
  /** The largest gap between two consecutive acknowledgements. */
  readonly maxStallMs: number
  /**
   * Each acknowledged put's latency, in order: from its first attempt to its acknowledgement, retries
   * on other endpoints included (what the application waited for that write).
   */
  readonly latenciesMs: number[]
  /** Every acknowledged put, key → value. */
  readonly acked: Map<string, string>
  /** How often each error message was seen. */
  readonly errors: Map<string, number>
}

export interface Writer {
  /** Figures so far, while the writer runs. */
  progress(): WriterProgress
  /** Stops after the put in flight (if any) settles; resolves with the final figures. */
  stop(): Promise<WriterFigures>
}

export function startWriter(endpoints: readonly string[], options: WriterOptions): Writer {
  if (endpoints.length === 0) throw new Error('startWriter needs at least one endpoint')
  const intervalMs = options.intervalMs ?? 20
  const clients: Etcd3[] = endpoints.map((url) => connectEndpoint(url, {callTimeoutMs: options.callTimeoutMs ?? 1000, ...(options.tls === undefined ? {} : {tls: options.tls})}))
  const acked = new Map<string, string>()
  const errors = new Map<string, number>()
  const latenciesMs: number[] = []
  const run = Math.random().toString(36).slice(2, 8)
  let attempted = 0
  let failedAttempts = 0
  let maxStallMs = 0
  let lastAckAt: number | null = null
  let stopping = false
  let wake: (() => void) | null = null

  const pause = (ms: number): Promise<void> =>
    ms <= 0 || stopping
      ? Promise.resolve()
      : new Promise((resolve) => {
          const timer = setTimeout(done, ms)
          function done(): void {
            clearTimeout(timer)
            wake = null
            resolve()
          }
          wake = done
        })

  const loop = async (): Promise<void> => {
    let endpoint = 0
    let failuresInARow = 0
    for (let sequence = 0; !stopping; sequence++) {
      const key = `${options.prefix}${String(sequence).padStart(8, '0')}`
      const value = `${run}:${sequence}`
      const firstAttempt = performance.now()
      while (!stopping) {
        const started = performance.now()
        attempted++
        try {
          await clients[endpoint]!.put(key).value(value).exec()
          const now = performance.now()
          if (lastAckAt !== null) maxStallMs = Math.max(maxStallMs, now - lastAckAt)
          lastAckAt = now
          acked.set(key, value)
          latenciesMs.push(now - firstAttempt)
          failuresInARow = 0
          await pause(intervalMs - (now - started))
          break
        } catch (error) {
          failedAttempts++
          const message = messageOf(error)
          errors.set(message, (errors.get(message) ?? 0) + 1)
          endpoint = (endpoint + 1) % clients.length
          failuresInARow++
          // Fail over at once; once every endpoint has failed in a row, keep the pace instead of spinning.
          if (failuresInARow >= clients.length) await pause(intervalMs - (performance.now() - started))
        }
      }
    }
  }
  const running = loop()

  return {
    progress: () => ({attempted, acknowledged: acked.size, failedAttempts}),
    async stop(): Promise<WriterFigures> {
      stopping = true
      wake?.()
      try {
        await running
      } finally {
        for (const client of clients) client.close()
      }
      return {attempted, acknowledged: acked.size, failedAttempts, maxStallMs, latenciesMs, acked, errors}
    },
  }
}

/** Acknowledged keys that are missing from the cluster or hold another value (empty = nothing lost). */
export async function verifyAcknowledged(endpoints: readonly string[], acked: ReadonlyMap<string, string>, tls?: TlsFiles): Promise<string[]> {
  if (acked.size === 0) return []
  const client = bulkClient(endpoints, tls)
  let stored: Map<string, string>
  try {
    stored = await readPrefix(client, commonPrefix([...acked.keys()]))
  } finally {
    client.close()
  }
  return [...acked].filter(([key, value]) => stored.get(key) !== value).map(([key]) => key)
}

function commonPrefix(keys: readonly string[]): string {
  let prefix = keys[0] ?? ''
  for (const key of keys) while (!key.startsWith(prefix)) prefix = prefix.slice(0, -1)
  return prefix
}
