// putFile for a host whose file system is this machine's (the local provider): the file is copied
// under a temp name beside the destination, fsynced, its sha256 checked against the source's, and
// only then renamed into place (and the directory fsynced), so the destination never holds a partial
// or corrupt copy and a kill mid-copy leaves at most a temp file, which the next call replaces. A
// destination that already has the source's checksum is left alone: a resumed apply copies nothing.
// When source and destination are one file (the local provider's snapshot) nothing is copied; the
// source is read for its checksum only when the caller does not know it (request.sha256).
import {randomBytes} from 'node:crypto'
import {chmod, copyFile, mkdir, open, rename, rm, stat} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'
import {fsErrorReason} from '../fs-error-reason.js'
import {syncDirectory} from '../write-file-atomic.js'
import {checksumFile, checksumUnlessKnown} from './checksum-file.js'
import {NodeProviderError, type PutFileRequest, type PutFileResult} from './node-provider.js'

/** A snapshot holds every key of the cluster: readable by its owner only unless asked otherwise. */
const DEFAULT_MODE = 0o600

export interface PutLocalFileOptions {
  /** How the bytes are copied to the temp file (a test seam: a copy that corrupts must be caught). */
  readonly copy?: (from: string, to: string) => Promise<void>
}

export async function putLocalFile(memberName: string, request: PutFileRequest, {copy = copyFile}: PutLocalFileOptions = {}): Promise<PutFileResult> {
  const from = resolve(request.localPath)
  const to = resolve(request.remotePath)
  // One file under two names is not copied, and not read either when its sha256 is known (a
  // snapshot's, from its save): a restore reads it anyway, and checks etcd's own sha256 trailer.
  const same = await sameFile(from, to)
  const source = await checksumOrFail(from, memberName, `the file to put on ${memberName}'s host`, request.sha256)
  if (same) return {copied: false, ...source}
  const existing = await checksumFile(to).catch(() => null)
  if (existing !== null && existing.sha256 === source.sha256) return {copied: false, ...source}

  await mkdir(dirname(to), {recursive: true})
  // Unique per call, so two applies (or a leftover of a killed one) never write the same temp file.
  const temp = `${to}.${process.pid}.${randomBytes(4).toString('hex')}.part`
  try {
    await copy(from, temp)
    await chmod(temp, request.mode ?? DEFAULT_MODE)
    const handle = await open(temp, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
    const copied = await checksumOrFail(temp, memberName, 'the copy')
    if (copied.sha256 !== source.sha256 || copied.bytes !== source.bytes) {
      throw new NodeProviderError(
        `copying ${request.localPath} to ${request.remotePath} on ${memberName}'s host gave a different file: sha256 ${copied.sha256} (${copied.bytes} bytes) instead of ${source.sha256} (${source.bytes} bytes); ${request.remotePath} was not written`,
        memberName,
        '',
      )
    }
    await rename(temp, to)
  } catch (error) {
    await rm(temp, {force: true})
    if (error instanceof NodeProviderError) throw error
    throw new NodeProviderError(`could not copy ${request.localPath} to ${request.remotePath} on ${memberName}'s host: ${fsErrorReason(error)}`, memberName, '')
  }
  await syncDirectory(dirname(to))
  return {copied: true, ...source}
}

async function checksumOrFail(path: string, memberName: string, what: string, known?: string): Promise<{sha256: string; bytes: number}> {
  let checksum
  try {
    checksum = await checksumUnlessKnown(path, known)
  } catch (error) {
    throw new NodeProviderError(`could not read ${what}, ${path}: ${fsErrorReason(error)}`, memberName, '')
  }
  if (checksum === null) throw new NodeProviderError(`could not read ${what}, ${path}: no such file`, memberName, '')
  return checksum
}

/** Whether both paths name one file (the same path, or links to one inode): then there is nothing to copy. */
async function sameFile(a: string, b: string): Promise<boolean> {
  if (a === b) return true
  try {
    const [sa, sb] = await Promise.all([stat(a), stat(b)])
    return sa.dev === sb.dev && sa.ino === sb.ino
  } catch {
    return false
  }
}
