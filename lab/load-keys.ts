// Fills a lab cluster with data before a migration (e.g. 20,000 keys of 1 KiB) and checks afterwards
// that every key survived with its value. Values are derived from the key, so verification needs
// nothing but the same options. Writes go as transactions of ≤100 puts (etcd's --max-txn-ops
// defaults to 128) and under etcd's --max-request-bytes (1.5 MiB by default: 22 values of 64 KiB),
// several in flight, which loads 20 MiB in seconds instead of minutes and 1 GB in under a minute.
// Reads go in pages under gRPC's 4 MiB message limit, checked page by page (1 GB never in memory).
import {createHash} from 'node:crypto'
import {Etcd3} from 'etcd3'
import {credentialsOf} from '../src/cluster/etcd-endpoint.js'
import type {TlsFiles} from '../src/spec/types.js'

export interface KeyLoadOptions {
  readonly count: number
  /** Size of each value in bytes (ASCII). */
  readonly valueBytes: number
  /** Every key starts with this; keys are `<prefix><index, 8 digits>`. */
  readonly prefix: string
  /** Puts per transaction, at most 100. */
  readonly batchSize?: number
  /** Transactions in flight at once. */
  readonly inFlight?: number
  /** How to reach a TLS cluster (the spec's cluster.tls). */
  readonly tls?: TlsFiles
}

export interface KeyLoadResult {
  readonly keys: number
  readonly bytes: number
  readonly durationMs: number
}

export interface KeyCheck {
  /** Keys that should exist and do not. */
  readonly missing: string[]
  /** Keys whose value differs from the one loadKeys wrote. */
  readonly wrong: string[]
}

const MAX_BATCH = 100
/** etcd's default --max-request-bytes is 1.5 MiB; stay under it with room for keys and framing. */
const MAX_TXN_BYTES = 1.4 * 1024 * 1024
/** A response page stays under gRPC's default 4 MiB receive limit. */
const MAX_PAGE_BYTES = 3 * 1024 * 1024
const CALL_TIMEOUT_MS = 15_000
const PAGE_SIZE = 1000

/** Puts per transaction for values of this size: ≤ 100 and under etcd's request size limit. */
export function batchSizeFor(valueBytes: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(MAX_TXN_BYTES / (valueBytes + 64))))
}

/** Keys per read page for values of this size: ≤ 1000 and under gRPC's message limit. */
export function pageSizeFor(valueBytes: number): number {
  return Math.max(1, Math.min(PAGE_SIZE, Math.floor(MAX_PAGE_BYTES / (valueBytes + 64))))
}

export function labKey(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(8, '0')}`
}

/** The value loadKeys writes for a key: its SHA-256 in hex, repeated to `valueBytes`. */
export function labValue(key: string, valueBytes: number): string {
  const hex = createHash('sha256').update(key).digest('hex')
  return hex.repeat(Math.ceil(valueBytes / hex.length)).slice(0, valueBytes)
}

/** A multi-host client for bulk work (any member serves it), with a deadline on every unary call. */
export function bulkClient(endpoints: readonly string[], tls?: TlsFiles): Etcd3 {
  return new Etcd3({
    hosts: [...endpoints],
    defaultCallOptions: (context) => (context.isStream ? {} : {deadline: Date.now() + CALL_TIMEOUT_MS}),
    ...(tls === undefined ? {} : {credentials: credentialsOf(tls)}),
  })
}

export async function loadKeys(endpoints: readonly string[], options: KeyLoadOptions): Promise<KeyLoadResult> {
  const batchSize = Math.min(options.batchSize ?? MAX_BATCH, batchSizeFor(options.valueBytes))
  const inFlight = options.inFlight ?? 8
  const batches = Math.ceil(options.count / batchSize)
  const client = bulkClient(endpoints, options.tls)
  const started = performance.now()
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < batches) {
      const batch = next++
      const success = []
      for (let i = batch * batchSize; i < Math.min(options.count, (batch + 1) * batchSize); i++) {
        const key = labKey(options.prefix, i)
        success.push({request_put: {key: Buffer.from(key), value: Buffer.from(labValue(key, options.valueBytes))}})
      }
      // An unconditional transaction: no compares, so `success` always runs.
      await client.kv.txn({compare: [], success, failure: []})
    }
  }
  try {
    await Promise.all(Array.from({length: Math.min(inFlight, batches)}, worker))
  } finally {
    client.close()
  }
  return {keys: options.count, bytes: options.count * options.valueBytes, durationMs: performance.now() - started}
}

export async function verifyKeys(endpoints: readonly string[], options: KeyLoadOptions): Promise<KeyCheck> {
  const client = bulkClient(endpoints, options.tls)
  const seen = new Set<string>()
  const wrong: string[] = []
  try {
    await forEachInPrefix(client, options.prefix, pageSizeFor(options.valueBytes), (key, value) => {
      seen.add(key)
      if (value.toString() !== labValue(key, options.valueBytes)) wrong.push(key)
    })
  } finally {
    client.close()
  }
  const missing: string[] = []
  for (let i = 0; i < options.count; i++) {
    const key = labKey(options.prefix, i)
    if (!seen.has(key)) missing.push(key)
  }
  return {missing, wrong: wrong.filter((key) => isLabKey(options, key))}
}

function isLabKey(options: KeyLoadOptions, key: string): boolean {
  const index = Number(key.slice(options.prefix.length))
  return Number.isInteger(index) && index < options.count && labKey(options.prefix, index) === key
}

/**
 * Every key under `prefix` with its value, read in pages of 1000 keys: one response of 20,000 × 1 KiB
 * would exceed grpc's default 4 MiB message limit. An empty prefix reads the whole keyspace.
 */
export async function readPrefix(client: Etcd3, prefix: string, pageSize = PAGE_SIZE): Promise<Map<string, string>> {
  const result = new Map<string, string>()
  await forEachInPrefix(client, prefix, pageSize, (key, value) => result.set(key, value.toString()))
  return result
}

/** Calls `visit` for every key under `prefix` in key order, one page at a time, all at one revision. */
export async function forEachInPrefix(client: Etcd3, prefix: string, pageSize: number, visit: (key: string, value: Buffer) => void): Promise<void> {
  const end = prefix === '' ? Buffer.from([0]) : prefixEnd(Buffer.from(prefix))
  let start = prefix === '' ? Buffer.from([0]) : Buffer.from(prefix)
  let revision: string | undefined
  while (true) {
    let range = client.getAll().inRange({start, end}).limit(pageSize).sort('Key', 'Ascend')
    // Every page at the first page's revision, so the pages form one consistent read.
    if (revision !== undefined) range = range.revision(revision)
    const page = await range.exec()
    revision ??= page.header.revision
    for (const kv of page.kvs) visit(kv.key.toString(), kv.value)
    const last = page.kvs.at(-1)
    if (!page.more || last === undefined) return
    start = Buffer.concat([last.key, Buffer.from([0])])
  }
}

/** The smallest key after every key that starts with `prefix` (etcd's range_end for a prefix). */
function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix)
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i] += 1
      return end.subarray(0, i + 1)
    }
  }
  // All 0xff: every key from the prefix on.
  return Buffer.from([0])
}
