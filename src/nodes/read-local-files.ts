// The local provider's readHostFiles (node-provider.ts): the member's host is this machine, so each
// file is read here, as the etcd the provider starts would read it (same user, same working directory).
import {open} from 'node:fs/promises'
import {fsErrorReason} from '../fs-error-reason.js'
import {HOST_FILE_MAX_BYTES, type HostFile} from './node-provider.js'

export async function readLocalFiles(paths: readonly string[]): Promise<HostFile[]> {
  return Promise.all(paths.map(readLocalFile))
}

async function readLocalFile(path: string): Promise<HostFile> {
  try {
    const file = await open(path, 'r')
    try {
      const stats = await file.stat()
      if (stats.isDirectory()) return {path, error: 'it is a directory'}
      if (!stats.isFile()) return {path, error: 'not a regular file'}
      if (stats.size > HOST_FILE_MAX_BYTES) return {path, error: `larger than ${HOST_FILE_MAX_BYTES >> 20} MiB`}
      return {path, text: await file.readFile('utf8')}
    } finally {
      await file.close()
    }
  } catch (error) {
    return {path, error: fsErrorReason(error)}
  }
}
