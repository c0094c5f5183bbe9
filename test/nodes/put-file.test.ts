// putFile of the local provider, on this machine's file system: a copy has the source's sha256 and
// size and the asked mode (0o600 by default), a second call copies nothing, the same file on both
// sides is only checksummed, a destination changed since (corrupted) is found by its checksum and
// replaced, and a copy that comes out different (a corrupting copier injected into putLocalFile) is a
// NodeProviderError naming both paths, with nothing left at the destination. No etcd needed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {link, mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import {NodeProviderError} from '../../src/nodes/node-provider.js'
import {putLocalFile} from '../../src/nodes/put-local-file.js'
import type {MemberSpec} from '../../src/spec/types.js'
import {tempDir} from '../fixtures/temp-dir.js'

const dir = tempDir('etcdplan-put-file-')
const provider = new LocalNodeProvider({workDir: join(dir, 'nodes'), etcd: 'etcd'})
const member: MemberSpec = {name: 'etcd4', peerURL: 'http://127.0.2.1:2380', clientURL: 'http://127.0.2.1:2379', host: '127.0.2.1', dataDir: join(dir, 'data'), configFile: join(dir, 'etcd.yaml'), config: {}}
/** Not a multiple of any buffer size, and not all one byte, so a short or shifted copy shows. */
const content = Buffer.from(Array.from({length: 200_003}, (_, i) => (i * 7919) % 251))
const sha256 = createHash('sha256').update(content).digest('hex')

/** A file with `content` on the "apply machine" (a directory of its own). */
async function source(name: string): Promise<string> {
  await mkdir(join(dir, 'apply-machine'), {recursive: true})
  const path = join(dir, 'apply-machine', name)
  await writeFile(path, content)
  return path
}

test('a copy has the source\'s checksum and the mode; a second call copies nothing', async () => {
  const localPath = await source('a.db')
  const remotePath = join(dir, 'host', 'deep', 'a.db')
  const first = await provider.putFile(member, {localPath, remotePath})
  assert.deepEqual(first, {copied: true, sha256, bytes: content.length})
  assert.deepEqual(await readFile(remotePath), content)
  assert.equal((await stat(remotePath)).mode & 0o777, 0o600, 'a snapshot is readable by its owner only by default')
  const mtime = (await stat(remotePath)).mtimeMs
  const second = await provider.putFile(member, {localPath, remotePath})
  assert.deepEqual(second, {copied: false, sha256, bytes: content.length})
  assert.equal((await stat(remotePath)).mtimeMs, mtime, 'the second call did not write the file')
  assert.deepEqual((await readdir(join(dir, 'host', 'deep'))).sort(), ['a.db'], 'no temp file left beside it')

  const withMode = join(dir, 'host', 'b.db')
  assert.equal((await provider.putFile(member, {localPath, remotePath: withMode, mode: 0o640})).copied, true)
  assert.equal((await stat(withMode)).mode & 0o777, 0o640)
})

test('the same file on both sides is only checksummed', async () => {
  const localPath = await source('same.db')
  assert.deepEqual(await provider.putFile(member, {localPath, remotePath: localPath}), {copied: false, sha256, bytes: content.length})
  const linked = join(dir, 'apply-machine', 'same-link.db')
  await link(localPath, linked)
  assert.deepEqual(await provider.putFile(member, {localPath, remotePath: linked}), {copied: false, sha256, bytes: content.length})
})

test('a destination that differs (corrupted since) is found by its checksum and replaced', async () => {
  const localPath = await source('c.db')
  const remotePath = join(dir, 'host', 'c.db')
  await provider.putFile(member, {localPath, remotePath})
  const corrupted = Buffer.from(content)
  corrupted[100_000] = corrupted[100_000]! ^ 0xff // same size, one byte differs
  await writeFile(remotePath, corrupted)
  const again = await provider.putFile(member, {localPath, remotePath})
  assert.equal(again.copied, true, 'a same-sized file with other bytes is not taken for the copy')
  assert.deepEqual(await readFile(remotePath), content)
})

test('a copy that comes out different is a NodeProviderError naming both paths; the destination is not written', async () => {
  const localPath = await source('d.db')
  const remotePath = join(dir, 'host', 'd.db')
  const corrupting = async (from: string, to: string): Promise<void> => {
    const bytes = await readFile(from)
    bytes[7] = bytes[7]! ^ 0x01
    await writeFile(to, bytes)
  }
  const error = await putLocalFile(member.name, {localPath, remotePath}, {copy: corrupting}).then(() => null, (e: unknown) => e)
  assert.ok(error instanceof NodeProviderError, `not a NodeProviderError: ${String(error)}`)
  assert.equal(error.member, 'etcd4')
  assert.ok(error.message.includes(localPath) && error.message.includes(remotePath), error.message)
  assert.match(error.message, new RegExp(`instead of ${sha256}`))
  await assert.rejects(stat(remotePath), {code: 'ENOENT'})
  assert.deepEqual((await readdir(join(dir, 'host'))).filter((n) => n.startsWith('d.db')), [], 'the temp file was removed')
})

test('a missing source is a NodeProviderError, and nothing is written', async () => {
  const remotePath = join(dir, 'host', 'missing.db')
  const error = await provider.putFile(member, {localPath: join(dir, 'nowhere.db'), remotePath}).then(() => null, (e: unknown) => e)
  assert.ok(error instanceof NodeProviderError)
  assert.match(error.message, /nowhere\.db: no such file/)
  await assert.rejects(stat(remotePath), {code: 'ENOENT'})
})

test('a known sha256 (the one taken at the save) spares reading the source, and the copy is checked against it', async () => {
  const localPath = await source('known.db')
  // The same file: not read at all — the answer is the sha256 given, not one computed from the bytes.
  const given = 'e'.repeat(64)
  assert.deepEqual(await provider.putFile(member, {localPath, remotePath: localPath, sha256: given}), {copied: false, sha256: given, bytes: content.length})
  // Another file: copied, and the copy matches the known sha256.
  const remotePath = join(dir, 'host', 'known.db')
  assert.deepEqual(await provider.putFile(member, {localPath, remotePath, sha256}), {copied: true, sha256, bytes: content.length})
  // A source changed since its sha256 was taken is caught at the copy, and nothing is written.
  const elsewhere = join(dir, 'host', 'changed.db')
  await assert.rejects(provider.putFile(member, {localPath, remotePath: elsewhere, sha256: given}), (e: unknown) => e instanceof NodeProviderError && /gave a different file/.test(e.message))
  await assert.rejects(stat(elsewhere), /ENOENT/)
  // No source at all is still said so.
  await assert.rejects(provider.putFile(member, {localPath: join(dir, 'apply-machine', 'none.db'), remotePath: elsewhere, sha256}), (e: unknown) => e instanceof NodeProviderError && /no such file/.test(e.message))
})
