// inspectDataDir's answer from the helper script's `inspect` records (one round trip: the data dir's
// entries, the files below it, the WAL dir's entries, and the first WAL_HEAD_BYTES of the first WAL
// file as base64), read into DataDirContents; the WAL head is parsed here with readWalIdentity, as
// the local provider parses the file (node-provider.ts, inspectDataDir).
import {DATA_DIR_FILES_LISTED, type DataDirContents} from '../node-provider.js'
import {readWalIdentity} from '../read-wal-identity.js'
import {nulRecords} from './nul-records.js'

export function parseInspect(path: string, stdout: Buffer): DataDirContents {
  const records = nulRecords(stdout)
  const state = records.find((r) => r.tag === 'S')?.value ?? '00'
  const of = (tag: string): string[] => records.filter((r) => r.tag === tag).map((r) => r.value).sort()
  const head = records.find((r) => r.tag === 'H')?.value
  const exists = state[0] === '1'
  const isDirectory = state[1] === '1'
  return {
    path,
    exists,
    isDirectory,
    entries: of('E'),
    wal: head === undefined || head === '' ? null : readWalIdentity(Buffer.from(head, 'base64')),
    files: of('F').slice(0, DATA_DIR_FILES_LISTED),
    walDirEntries: of('W'),
  }
}
