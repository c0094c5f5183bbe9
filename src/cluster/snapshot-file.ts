// A snapshot on disk: saved from exactly one member through the Maintenance stream (docs/etcd-facts.md,
// "Snapshot": the stream is that member's applied state, so the caller picks the leader or a member
// as far as the leader), written to a temp file, fsynced and renamed so a half-written snapshot never
// has the final name. Checking it is the node provider's (snapshotStatus: on the member's host, with
// its release's tool).
import {closeSync, fsyncSync, openSync, writeSync} from 'node:fs'
import {mkdir, rename, rm} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'
import type {Etcd3} from 'etcd3'


/** Streams the member's snapshot to `path`; resolves with its size in bytes. */
export async function saveSnapshot(client: Etcd3, path: string): Promise<number> {
  await mkdir(dirname(resolve(path)), {recursive: true})
  const temp = `${path}.part`
  // Written synchronously chunk by chunk as they arrive: the stream cannot be paused, and a snapshot
  // (up to etcd's 8 GiB quota) must not be held in memory.
  const fd = openSync(temp, 'w', 0o600)
  let bytes = 0
  try {
    const stream = await client.maintenance.snapshot()
    await new Promise<void>((done, reject) => {
      stream.on('data', (chunk) => {
        writeSync(fd, chunk.blob)
        bytes += chunk.blob.length
      })
      stream.on('error', reject)
      stream.on('end', () => done())
    })
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    await rm(temp, {force: true})
    throw error
  }
  closeSync(fd)
  await rename(temp, path)
  return bytes
}
