// The local provider's receivingSnapshotBytes (node-provider.ts): the size of the temp file etcd
// receives its leader's snapshot into, in `<data-dir>/member/snap`.
import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {SNAPSHOT_TEMP_PREFIX} from './node-provider.js'

/** The largest `tmp…` file's size in the data dir's member/snap, or null when there is none (or no such dir). */
export async function receivingSnapshotBytesIn(dataDir: string): Promise<number | null> {
  const dir = join(dataDir, 'member', 'snap')
  const entries = await readdir(dir).catch(() => [] as string[])
  let largest: number | null = null
  for (const entry of entries) {
    if (!entry.startsWith(SNAPSHOT_TEMP_PREFIX)) continue
    // etcd renames the file when the transfer is done: one gone between readdir and stat is not an error.
    const size = await stat(join(dir, entry)).then((s) => (s.isFile() ? s.size : null), () => null)
    if (size !== null && (largest === null || size > largest)) largest = size
  }
  return largest
}
