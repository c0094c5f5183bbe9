// A snapshot on disk: saved from exactly one member through the Maintenance stream (etcd-facts.md,
// "Snapshot": the stream is that member's applied state, so the caller picks the leader or a member
// as far as the leader), written to a temp file, fsynced and renamed so a half-written snapshot never
// has the final name; and read back with `etcdctl snapshot status`, which checks its integrity hash.
import {execFile} from 'node:child_process'
import {closeSync, fsyncSync, openSync, writeSync} from 'node:fs'
import {mkdir, rename, rm} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'
import {promisify} from 'node:util'
import type {Etcd3} from 'etcd3'

const execFileAsync = promisify(execFile)

export interface SnapshotStatus {
  readonly hash: number
  readonly revision: number
  readonly totalKey: number
  readonly totalSize: number
}

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

/** `etcdctl snapshot status -w json`: fails on a corrupt or truncated file. */
export async function readSnapshotStatus(path: string, etcdctl: string): Promise<SnapshotStatus> {
  const {stdout} = await execFileAsync(etcdctl, ['snapshot', 'status', path, '-w', 'json'], {env: {...process.env, ETCDCTL_API: '3'}})
  const parsed = JSON.parse(stdout) as Record<string, number>
  return {hash: Number(parsed.hash), revision: Number(parsed.revision), totalKey: Number(parsed.totalKey), totalSize: Number(parsed.totalSize)}
}
