// The local provider on real directories (no etcd): inspectDataDir lists the files below a data dir
// and the entries of its WAL dir (how the data-dir-empty gate tells a failed start's debris from
// data), and moveDataDirAside renames the data dir beside itself with the UTC time, never deleting
// it: its contents are all there under the new name, a second data dir moved in the same second
// gets `-2`, and a data dir that is gone already is no error (null).
import assert from 'node:assert/strict'
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {test} from 'node:test'
import {failedStartPath} from '../../src/nodes/failed-start-path.js'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import type {MemberSpec} from '../../src/spec/types.js'
import {tempDir} from '../fixtures/temp-dir.js'

function memberIn(root: string): MemberSpec {
  return {name: 'etcd4', peerURL: 'http://127.0.2.1:2380', clientURL: 'http://127.0.2.1:2379', host: '127.0.2.1', dataDir: join(root, 'etcd4', 'data'), configFile: join(root, 'etcd4', 'etcd.yaml'), config: {}}
}

test('failedStartPath: beside the data dir, UTC to the second, -n from the second candidate', () => {
  const at = new Date('2026-01-02T03:04:05.678Z')
  assert.equal(failedStartPath('/var/lib/etcd/data', at), '/var/lib/etcd/data.failed-start-20260102T030405Z')
  assert.equal(failedStartPath('/var/lib/etcd/data/', at, 2), '/var/lib/etcd/data.failed-start-20260102T030405Z-2')
})

test('inspectDataDir lists the files below the data dir and its WAL dir; moveDataDirAside renames it beside itself, contents kept', async () => {
  const root = tempDir('etcdplan-move-aside-')
  const member = memberIn(root)
  const provider = new LocalNodeProvider({workDir: join(root, 'work'), etcd: '/usr/bin/etcd'})
  assert.equal(await provider.moveDataDirAside(member), null, 'no data dir: nothing to move')

  // What etcd 3.4.23 leaves after `member count is unequal` (test/fixtures/etcd-logs/README.md).
  await mkdir(join(member.dataDir, 'member', 'snap'), {recursive: true})
  await writeFile(join(member.dataDir, 'member', 'snap', 'db'), 'bolt')
  const debris = await provider.inspectDataDir(member)
  assert.deepEqual({entries: debris.entries, files: debris.files, walDirEntries: debris.walDirEntries, wal: debris.wal}, {entries: ['member'], files: ['member/snap/db'], walDirEntries: [], wal: null})

  const before = Date.now()
  const aside = await provider.moveDataDirAside(member)
  assert.ok(aside !== null)
  assert.equal(dirname(aside), dirname(member.dataDir))
  assert.match(aside, /\/data\.failed-start-\d{8}T\d{6}Z$/)
  const stamp = /(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(aside)!
  const movedAt = Date.UTC(+stamp[1]!, +stamp[2]! - 1, +stamp[3]!, +stamp[4]!, +stamp[5]!, +stamp[6]!)
  assert.ok(movedAt >= Math.floor(before / 1000) * 1000 && movedAt <= Date.now(), `${aside} is not the time of the move`)
  assert.equal(await readFile(join(aside, 'member', 'snap', 'db'), 'utf8'), 'bolt')
  assert.equal((await provider.inspectDataDir(member)).exists, false)
  assert.equal(await provider.moveDataDirAside(member), null, 'moved already: nothing to do')

  // A second failed start's data dir, moved in the same second, does not replace the first.
  await mkdir(member.dataDir, {recursive: true})
  await writeFile(join(member.dataDir, 'marker'), 'second')
  const taken = failedStartPath(member.dataDir, new Date())
  await mkdir(taken, {recursive: true})
  const second = await provider.moveDataDirAside(member)
  assert.ok(second !== null && second !== aside && second !== taken && second.startsWith(`${member.dataDir}.failed-start-`), String(second))
  assert.equal(await readFile(join(second, 'marker'), 'utf8'), 'second')
  assert.equal(await readFile(join(aside, 'member', 'snap', 'db'), 'utf8'), 'bolt', 'the first one is still there')
  const beside = await readdir(dirname(member.dataDir))
  assert.ok([aside, taken, second].every((p) => beside.includes(p.slice(dirname(p).length + 1))), beside.join(', '))
})

test('inspectDataDir: a WAL dir with a WAL file, and files of a member that ran', async () => {
  const root = tempDir('etcdplan-inspect-')
  const member = memberIn(root)
  const provider = new LocalNodeProvider({workDir: join(root, 'work'), etcd: '/usr/bin/etcd'})
  await mkdir(join(member.dataDir, 'member', 'wal'), {recursive: true})
  await mkdir(join(member.dataDir, 'member', 'snap'), {recursive: true})
  await writeFile(join(member.dataDir, 'member', 'wal', '0000000000000000-0000000000000000.wal'), 'not really a WAL')
  await writeFile(join(member.dataDir, 'member', 'snap', 'db'), 'bolt')
  const dir = await provider.inspectDataDir(member)
  assert.deepEqual(dir.files, ['member/snap/db', 'member/wal/0000000000000000-0000000000000000.wal'])
  assert.deepEqual(dir.walDirEntries, ['0000000000000000-0000000000000000.wal'])
  assert.equal(dir.wal, null, 'unreadable as a WAL')
})
