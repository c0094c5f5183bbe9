// The local provider's readHostFiles (node-provider.ts): the member's host is this machine, so each
// file is read here, as the etcd the provider starts would read it (same user, same working directory).
import type {Stats} from 'node:fs'
import {open, type FileHandle} from 'node:fs/promises'
import {fsErrorReason} from '../fs-error-reason.js'
import {HOST_FILE_MAX_BYTES, type HostFile} from './node-provider.js'

export async function readLocalFiles(paths: readonly string[]): Promise<HostFile[]> {
  return Promise.all(paths.map(readLocalFile))
}

async function readLocalFile(path: string): Promise<HostFile> {
  const read = await withRegularFile(path, async (file, stats) => (stats.size > HOST_FILE_MAX_BYTES ? {error: `larger than ${HOST_FILE_MAX_BYTES >> 20} MiB`} : {text: await file.readFile('utf8')}))
  return {path, ...read}
}

/**
 * Opens path for reading as etcd will, hands the open file to `use` and closes it; `{error}` with the
 * reason when it cannot be opened or is not a regular file (a directory is not a file etcd can read).
 */
export async function withRegularFile<T extends object>(path: string, use: (file: FileHandle, stats: Stats) => Promise<T | {error: string}>): Promise<T | {error: string}> {
  try {
    const file = await open(path, 'r')
    try {
      const stats = await file.stat()
      if (stats.isDirectory()) return {error: 'it is a directory'}
      if (!stats.isFile()) return {error: 'not a regular file'}
      return await use(file, stats)
    } finally {
      await file.close()
    }
  } catch (error) {
    return {error: fsErrorReason(error)}
  }
}
