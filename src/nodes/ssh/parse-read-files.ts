// The answer of the host script's read-files (share/etcdplan-host.sh): one NUL-terminated record per
// file asked, in order, `T<base64 of the content>` or `E<why not>`.
import {HOST_FILE_MAX_BYTES, type HostFile} from '../node-provider.js'
import {nulRecords} from './nul-records.js'

export function parseReadFiles(paths: readonly string[], stdout: Buffer): HostFile[] {
  const records = nulRecords(stdout)
  return paths.map((path, i) => {
    const record = records[i]
    if (record?.tag === 'T') return {path, text: Buffer.from(record.value, 'base64').toString('utf8')}
    return {path, error: readError(record?.tag === 'E' ? record.value : undefined)}
  })
}

function readError(state: string | undefined): string {
  switch (state) {
    case 'missing': return 'no such file'
    case 'dir': return 'it is a directory'
    case 'special': return 'not a regular file'
    case 'denied': return 'permission denied'
    case 'large': return `larger than ${HOST_FILE_MAX_BYTES >> 20} MiB`
    default: return 'the host did not answer for this file'
  }
}
