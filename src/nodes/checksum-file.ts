// A file's sha256 and size, read as a stream: snapshots run up to etcd's 8 GiB quota and must not be
// held in memory. putFile compares the two machines' copies by it.
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'

export interface FileChecksum {
  /** Hex. */
  readonly sha256: string
  readonly bytes: number
}

/** The file's checksum; null when there is no file at the path (any other error is thrown). */
export async function checksumFile(path: string): Promise<FileChecksum | null> {
  const hash = createHash('sha256')
  let bytes = 0
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer)
      bytes += (chunk as Buffer).length
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  return {sha256: hash.digest('hex'), bytes}
}
