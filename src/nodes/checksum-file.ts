// A file's sha256 and size, read as a stream: snapshots run up to etcd's 8 GiB quota and must not be
// held in memory. putFile compares the two machines' copies by it.
// A snapshot's sha256 is known from its save (computed while it was written, journaled): then the
// file is not read again only to learn it (checksumUnlessKnown).
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'

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

/**
 * The file's checksum, taking `known` (the sha256 recorded when the file was written) instead of
 * reading the file when it is given; null when there is no file at the path. A file changed since
 * is still caught: every copy is checked against `known`, and a restore checks the sha256 etcd
 * appended to the snapshot (etcd-facts.md, "Snapshot").
 */
export async function checksumUnlessKnown(path: string, known: string | undefined): Promise<FileChecksum | null> {
  if (known === undefined) return checksumFile(path)
  try {
    const info = await stat(path)
    if (!info.isFile()) return checksumFile(path) // a directory or device: let the read say what it is
    return {sha256: known, bytes: info.size}
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}
