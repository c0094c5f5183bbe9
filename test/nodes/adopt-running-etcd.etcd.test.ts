// The local node provider finds a member's etcd when its pid file does not lead to it: an apply
// SIGKILLed between spawning etcd and writing the pid file leaves an etcd running without one, and
// a second apply must not start another etcd on the same ports. The etcd is found by its command
// line (`--config-file <this member's config>`), adopted (pid file written), reported running, and
// stopped by stop(). A pid file naming another process, even another member's etcd, is not trusted.
// Also what inspectDataDir reports (start-member refuses foreign data dirs with it). Real etcd
// 3.4.23 on a random loopback address; every etcd started here is stopped in `after` (by pid file,
// then any left by command line) and the temp dir removed.
import {test, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {connectEndpoint} from '../../src/cluster/etcd-endpoint.js'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import {renderEtcdConfig} from '../../src/plan/etcd-config.js'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import {initialClusterOf, stopAllMembers} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {isAlive, waitGone, etcdPidsFor, writeAndLoadSpec} from '../fixtures/lab-cluster.js'
import {stopLeakedEtcd} from '../fixtures/leaked-etcd.js'
import {waitForHealth} from '../fixtures/wait-for-health.js'

let dir = ''
let spec: Spec | null = null
let provider: LocalNodeProvider
const sleepers: ChildProcess[] = []

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etcdplan-adopt-'))
  const [one, two] = await pickLoopbackHosts(2)
  const loaded = await writeAndLoadSpec({name: 'adopt-test', dir, source: [{name: 'solo', host: one!}], target: [{name: 'solo', host: one!}, {name: 'other', host: two!}]})
  spec = loaded.spec
  provider = new LocalNodeProvider(spec.nodes.local)
})

after(async () => {
  try {
    for (const sleeper of sleepers) if (sleeper.pid !== undefined && sleeper.exitCode === null) process.kill(sleeper.pid, 'SIGKILL')
    if (spec !== null) await stopAllMembers(spec)
  } finally {
    await stopLeakedEtcd(dir)
    await rm(dir, {recursive: true, force: true})
  }
})

function memberNamed(name: string): MemberSpec {
  assert.ok(spec)
  const found = [...spec.source.members, ...spec.target.members].find((m) => m.name === name)
  assert.ok(found)
  return found
}

async function writeConfig(member: MemberSpec): Promise<void> {
  assert.ok(spec)
  const config = renderEtcdConfig({member, spec, initialCluster: initialClusterOf([member]), initialClusterState: 'new'})
  await provider.writeConfig(member, config.path, config.content)
}

async function pidFileOf(member: MemberSpec): Promise<number | null> {
  try {
    return Number.parseInt(await readFile(provider.pidFile(member), 'utf8'), 10)
  } catch {
    return null
  }
}



test('an etcd left without a pid file is found by its command line, adopted, not started twice, and stopped', async () => {
  const m = memberNamed('solo')
  await writeConfig(m)
  await provider.start(m, m.configFile)
  const pid = await pidFileOf(m)
  assert.ok(pid !== null && isAlive(pid))
  assert.match(await waitForHealth(m.clientURL, 20_000), /"health":"true"/)

  // What a SIGKILL of the applier between spawn and the pid file's write leaves behind.
  await rm(provider.pidFile(m))
  assert.equal(await provider.isRunning(m), true)
  assert.equal(await pidFileOf(m), pid, 'the adopted etcd\'s pid is written to the pid file')

  await rm(provider.pidFile(m))
  await provider.start(m, m.configFile)
  assert.deepEqual(await etcdPidsFor(m.configFile), [pid], 'start launched a second etcd for the same member')
  assert.equal(await pidFileOf(m), pid)

  await rm(provider.pidFile(m))
  await provider.stop(m, 10_000)
  assert.ok(await waitGone(pid), `etcd ${pid} still runs after stop()`)
  assert.equal(await provider.isRunning(m), false)
  assert.deepEqual(await etcdPidsFor(m.configFile), [])
})

test('a stale pid file (a live process that is not this member\'s etcd) is corrected; that process is never signalled', async () => {
  const m = memberNamed('solo')
  await provider.start(m, m.configFile)
  const pid = await pidFileOf(m)
  assert.ok(pid !== null)
  const sleeper = spawn('sleep', ['60'], {stdio: 'ignore'})
  sleepers.push(sleeper)
  assert.ok(sleeper.pid !== undefined)
  await writeFile(provider.pidFile(m), `${sleeper.pid}\n`)
  assert.equal(await provider.isRunning(m), true)
  assert.equal(await pidFileOf(m), pid)
  await writeFile(provider.pidFile(m), `${sleeper.pid}\n`)
  await provider.stop(m, 10_000)
  assert.ok(await waitGone(pid), `etcd ${pid} still runs after stop()`)
  assert.equal(isAlive(sleeper.pid), true, 'stop() signalled the process a stale pid file named')
})

test('another member\'s etcd named by a pid file is not this member\'s: not running, and stop() leaves it alone', async () => {
  const solo = memberNamed('solo')
  const other = memberNamed('other')
  await provider.start(solo, solo.configFile)
  const soloPid = await pidFileOf(solo)
  assert.ok(soloPid !== null)
  await mkdir(provider.memberDir(other), {recursive: true})
  await writeFile(provider.pidFile(other), `${soloPid}\n`)
  assert.equal(await provider.isRunning(other), false)
  await provider.stop(other, 2_000)
  assert.equal(isAlive(soloPid), true, 'stop(other) ended solo\'s etcd')
  assert.equal(await provider.isRunning(solo), true)
  await provider.stop(solo, 10_000)
  assert.equal(await provider.isRunning(solo), false)
})

test('inspectDataDir: absent, its own WAL with the member and cluster IDs etcd reports, a stray file, a file in place of the dir', async () => {
  const solo = memberNamed('solo')
  const other = memberNamed('other')
  assert.deepEqual(await provider.inspectDataDir(other), {path: resolve(other.dataDir), exists: false, isDirectory: false, entries: [], wal: null, files: [], walDirEntries: []})

  await provider.start(solo, solo.configFile)
  assert.match(await waitForHealth(solo.clientURL, 20_000), /"health":"true"/)
  const client = connectEndpoint(solo.clientURL, {callTimeoutMs: 5000})
  const status = await client.maintenance.status().finally(() => client.close())
  const own = await provider.inspectDataDir(solo)
  assert.equal(own.exists && own.isDirectory, true)
  assert.deepEqual(own.entries, ['member'])
  assert.deepEqual(own.wal, {memberId: status.header.member_id, clusterId: status.header.cluster_id})
  assert.ok(own.files.includes('member/snap/db') && own.files.some((f) => /^member\/wal\/[0-9a-f-]+\.wal$/.test(f)), own.files.join(', '))
  assert.ok(own.walDirEntries.some((e) => e.endsWith('.wal')), own.walDirEntries.join(', '))
  await provider.stop(solo, 10_000)

  await mkdir(other.dataDir, {recursive: true})
  assert.deepEqual((await provider.inspectDataDir(other)).entries, [])
  await writeFile(join(other.dataDir, 'notes.txt'), 'not etcd data\n')
  assert.deepEqual(await provider.inspectDataDir(other), {path: resolve(other.dataDir), exists: true, isDirectory: true, entries: ['notes.txt'], wal: null, files: ['notes.txt'], walDirEntries: []})
  await rm(other.dataDir, {recursive: true})
  await writeFile(other.dataDir, 'a file where the data dir should be\n')
  assert.deepEqual(await provider.inspectDataDir(other), {path: resolve(other.dataDir), exists: true, isDirectory: false, entries: [], wal: null, files: [], walDirEntries: []})
  await rm(other.dataDir)
})
