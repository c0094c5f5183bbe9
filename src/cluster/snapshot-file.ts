// A snapshot on disk: saved from exactly one member through the Maintenance stream (docs/etcd-facts.md,
// "Snapshot": the stream is that member's applied state, so the caller picks the leader or a member
// as far as the leader), written to a temp file, fsynced and renamed so a half-written snapshot never
// has the final name. Its sha256 is computed from the bytes as they are written, so no later step
// reads the file again only to learn it. Checking it is the node provider's (snapshotStatus: on the
// member's host, with its release's tool).
import {createHash} from 'node:crypto'
import {mkdir, open, rename, rm, type FileHandle} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'
import type {Etcd3} from 'etcd3'

export interface SavedSnapshotFile {
  readonly bytes: number
  /** Hex sha256 of the whole file as written. */
  readonly sha256: string
}

/** Streams the member's snapshot to `path`; resolves with its size and sha256. */
export async function saveSnapshot(client: Etcd3, path: string): Promise<SavedSnapshotFile> {
  await mkdir(dirname(resolve(path)), {recursive: true})
  const temp = `${path}.part`
  const handle = await open(temp, 'w', 0o600)
  const hash = createHash('sha256')
  let bytes = 0
  let writing: Promise<void> = Promise.resolve()
  try {
    const stream = await client.maintenance.snapshot()
    // Chunks (etcd sends 32 KiB each) are gathered into batches of BATCH_BYTES and written with one
    // writev, at most one batch on its way to disk while the next is gathered. The loop asks the
    // stream for the next chunk only when it may take it: while a full batch waits for the write
    // before it, nothing more is read, and grpc-js reads nothing more from the connection until it
    // is asked (it pauses the HTTP/2 stream per message). So memory stays at two batches whatever
    // the snapshot's size (up to etcd's 8 GiB quota) and however much faster the member sends than
    // the disk writes, and the disk is kept busy while the network is read.
    let batch: Buffer[] = []
    let batchBytes = 0
    // etcd3 types the stream as a bare event emitter; it is grpc-js's ClientReadableStream, a Node Readable.
    for await (const chunk of stream as unknown as AsyncIterable<{blob: Buffer}>) {
      const blob = chunk.blob
      hash.update(blob)
      batch.push(blob)
      batchBytes += blob.length
      bytes += blob.length
      if (batchBytes >= BATCH_BYTES) {
        await writing
        writing = writeAll(handle, batch)
        // Its failure is taken up by the next await; until then it must not count as unhandled.
        writing.catch(() => undefined)
        batch = []
        batchBytes = 0
      }
    }
    await writing
    if (batch.length > 0) await writeAll(handle, batch)
    await handle.sync()
  } catch (error) {
    await writing.catch(() => undefined)
    await handle.close()
    await rm(temp, {force: true})
    throw error
  }
  await handle.close()
  await rename(temp, path)
  return {bytes, sha256: hash.digest('hex')}
}

const BATCH_BYTES = 1024 * 1024

/** All of `buffers`, in order, at the file's current end (writev may write less than asked). */
async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  let rest = buffers
  while (rest.length > 0) {
    let written = (await handle.writev(rest)).bytesWritten
    while (rest.length > 0 && written >= rest[0]!.length) {
      written -= rest[0]!.length
      rest = rest.slice(1)
    }
    if (written > 0) rest = [rest[0]!.subarray(written), ...rest.slice(1)]
  }
}
