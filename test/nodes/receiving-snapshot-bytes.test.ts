// The local provider's receivingSnapshotBytes: the size of the largest `tmp…` file in the data dir's
// member/snap (where etcd receives a leader's snapshot, server/etcdserver/api/snap/db.go), null when
// there is none or no data dir; etcd's other files there (db, *.snap) are not it.
import assert from 'node:assert/strict'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {receivingSnapshotBytesIn} from '../../src/nodes/receiving-snapshot-bytes.js'

describe('receivingSnapshotBytesIn', () => {
  const dirs: string[] = []
  after(async () => {
    for (const dir of dirs) await rm(dir, {recursive: true, force: true})
  })

  it('is null without a data dir, null while nothing arrives, and the largest temp file while one does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'etcdplan-receiving-'))
    dirs.push(dir)
    const dataDir = join(dir, 'data')
    assert.equal(await receivingSnapshotBytesIn(dataDir), null)
    const snap = join(dataDir, 'member', 'snap')
    await mkdir(snap, {recursive: true})
    await writeFile(join(snap, 'db'), Buffer.alloc(20_480))
    await writeFile(join(snap, '0000000000000002-0000000000000c86.snap'), Buffer.alloc(100))
    assert.equal(await receivingSnapshotBytesIn(dataDir), null)
    await writeFile(join(snap, 'tmp1'), Buffer.alloc(10))
    await writeFile(join(snap, 'tmp2629948071'), Buffer.alloc(4096))
    assert.equal(await receivingSnapshotBytesIn(dataDir), 4096)
  })
})
