// The staging dirs of restores (restore-staging.ts), without etcd: every path is new and names this
// process's pid; the names of a data dir's staging dirs (and only its own) are recognised; and the
// leftovers are those whose name carries no pid (the plain `.restoring` of earlier versions, any
// other suffix) or a pid the caller says is not a running attempt.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {isStagingNameOf, leftoverStagingDirs, restoreStagingPath, stagingOwnerPid} from '../../src/nodes/restore-staging.js'
import {tempDir} from '../fixtures/temp-dir.js'

test('restoreStagingPath: beside the data dir, this pid and 8 random hex, never the same twice', () => {
  const first = restoreStagingPath('/var/lib/etcd/etcd4')
  assert.match(first, new RegExp(`^/var/lib/etcd/etcd4\\.restoring-${process.pid}-[0-9a-f]{8}$`))
  assert.notEqual(restoreStagingPath('/var/lib/etcd/etcd4'), first)
  assert.equal(stagingOwnerPid('/var/lib/etcd/etcd4', 'etcd4.restoring-42-0123abcd'), 42)
  assert.equal(stagingOwnerPid('/var/lib/etcd/etcd4', first.slice('/var/lib/etcd/'.length)), process.pid)
})

test('isStagingNameOf and stagingOwnerPid: only this data dir\'s names; no pid for the old plain name or another suffix', () => {
  const dataDir = '/d/etcd4'
  for (const name of ['etcd4.restoring', 'etcd4.restoring-1-ab', 'etcd4.restoring-old']) assert.equal(isStagingNameOf(dataDir, name), true, name)
  for (const name of ['etcd4', 'etcd4x.restoring', 'etcd44.restoring-1-ab', 'etcd4.restoringx', 'etcd4.removed-20260101T000000Z', 'other.restoring-1-ab']) assert.equal(isStagingNameOf(dataDir, name), false, name)
  assert.equal(stagingOwnerPid(dataDir, 'etcd4.restoring'), null)
  assert.equal(stagingOwnerPid(dataDir, 'etcd4.restoring-old'), null)
  assert.equal(stagingOwnerPid(dataDir, 'etcd4.restoring-12x-ab'), null)
})

test('leftoverStagingDirs: no pid, or a pid that is not a running attempt; none when the parent does not exist', async () => {
  const dir = tempDir('etcdplan-restore-staging-')
  const dataDir = join(dir, 'etcd4')
  for (const name of ['etcd4', 'etcd4.restoring', 'etcd4.restoring-7-aa', 'etcd4.restoring-8-bb', 'etcd4.restoring-old', 'etcd4x.restoring-7-aa']) mkdirSync(join(dir, name))
  const asked: [number, string][] = []
  const leftovers = await leftoverStagingDirs(dataDir, (pid, path) => {
    asked.push([pid, path])
    return pid === 8
  })
  assert.deepEqual(leftovers, ['etcd4.restoring', 'etcd4.restoring-7-aa', 'etcd4.restoring-old'].map((name) => join(dir, name)))
  assert.deepEqual(asked.sort(), [[7, join(dir, 'etcd4.restoring-7-aa')], [8, join(dir, 'etcd4.restoring-8-bb')]])
  assert.deepEqual(await leftoverStagingDirs(join(dir, 'no-such', 'etcd4'), () => false), [])
})
