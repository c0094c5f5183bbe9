// The provider seams a remote host needs, against real etcd (Debian's 3.4.23, which has no etcdutl,
// so etcdctl is the tool) on random loopback addresses: snapshotStatus of a snapshot saved the way
// snapshot-save saves it (the Maintenance stream) gives the cluster's revision, and counts every key
// written since an earlier snapshot; a truncated snapshot is refused with etcdctl's own error (one
// line, or a bus-error crash cut to its first lines); a restore from a snapshot in another directory
// than the host path puts it there (same sha256) and serves the data, and a second restore says
// already-restored; a snapshot without its sha256 trailer is refused by restore; two restores of
// one member at once each stage into a directory of their own (restore-staging.ts) and end restored
// and already-restored; what killed attempts left beside the data dir is removed, a running
// attempt's kept; the WAL identity read from a real WAL is the member and cluster ID etcd reports,
// for the source and for the restored member. Every etcd started here is stopped in `after` (by pid file, then any left by command line)
// and the dir removed.
import {test, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {execFile, spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {access, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {basename, dirname, join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {promisify} from 'node:util'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import {saveSnapshot} from '../../src/cluster/snapshot-file.js'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import {NodeProviderError, RESTORED_MARK} from '../../src/nodes/node-provider.js'
import {isStagingNameOf} from '../../src/nodes/restore-staging.js'
import {firstWalFile, readWalIdentity, WAL_HEAD_BYTES, walDirOf} from '../../src/nodes/read-wal-identity.js'
import {renderEtcdConfig} from '../../src/plan/etcd-config.js'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import {initialClusterOf, startSourceCluster, stopAllMembers} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {writeAndLoadSpec} from '../fixtures/lab-cluster.js'
import {stopLeakedEtcd} from '../fixtures/leaked-etcd.js'
import {waitForHealth} from '../fixtures/wait-for-health.js'

const execFileAsync = promisify(execFile)
const FIRST_KEYS = 25
const LATER_KEYS = 10

let dir = ''
let spec: Spec | null = null
let provider: LocalNodeProvider
const endpoints = new EtcdEndpoints({callTimeoutMs: 5000})
/** Saved once the source runs (the first test), used by the others. */
let firstSnapshot = ''
let firstRevision = 0

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etcdplan-host-snapshot-'))
  const [one, two, three, four] = await pickLoopbackHosts(4)
  // racer and leftover: single-member clusters of their own, restored by the staging-dir tests.
  const loaded = await writeAndLoadSpec({name: 'host-snapshot', dir, strategy: 'snapshot', source: [{name: 'solo', host: one!}], target: [{name: 'fresh', host: two!}, {name: 'racer', host: three!}, {name: 'leftover', host: four!}]})
  spec = loaded.spec
  provider = new LocalNodeProvider(spec.nodes.local)
  await startSourceCluster(spec)
})

after(async () => {
  try {
    endpoints.close()
    if (spec !== null) await stopAllMembers(spec)
  } finally {
    await stopLeakedEtcd(dir)
    await rm(dir, {recursive: true, force: true})
  }
})

function source(): MemberSpec {
  assert.ok(spec)
  return spec.source.members[0]!
}

function target(name = 'fresh'): MemberSpec {
  assert.ok(spec)
  const found = spec.target.members.find((m) => m.name === name)
  assert.ok(found, `no target member ${name}`)
  return found
}

/** The data dir's staging dirs (restore-staging.ts) beside it, sorted. */
async function stagingDirsOf(member: MemberSpec): Promise<string[]> {
  return (await readdir(dirname(member.dataDir))).filter((name) => isStagingNameOf(member.dataDir, name)).sort()
}

/** The restored member started from its data dir: it serves the first snapshot's keys, none written after it. */
async function assertServesFirstSnapshot(member: MemberSpec, initialCluster: string): Promise<void> {
  assert.ok(spec)
  const config = renderEtcdConfig({member, spec, initialCluster, initialClusterState: 'new'})
  await provider.writeConfig(member, config.path, config.content)
  await provider.start(member, config.path)
  assert.match(await waitForHealth(member.clientURL, 15_000), /"health":"true"/, await provider.logTail(member, 20))
  assert.equal(Number(await endpoints.get(member.clientURL).getAll().prefix('/host/').count()), FIRST_KEYS, `${member.name} serves the snapshot's keys`)
  assert.equal((await etcdctl(member.clientURL, 'get', '/host/first/007', '--print-value-only')).trim(), 'value 7')
  await provider.stop(member, 10_000)
}

async function etcdctl(endpoint: string, ...args: string[]): Promise<string> {
  return (await execFileAsync('etcdctl', ['--endpoints', endpoint, ...args], {env: {...process.env, ETCDCTL_API: '3'}})).stdout
}

/** etcd's IDs in decimal, as `-w fields` prints them (JSON numbers would lose uint64 precision). */
async function identityOf(member: MemberSpec): Promise<{memberId: string; clusterId: string; revision: number}> {
  const fields = await etcdctl(member.clientURL, 'endpoint', 'status', '-w', 'fields')
  const field = (name: string): string => {
    const match = new RegExp(`^"${name}" : (\\d+)$`, 'm').exec(fields)
    assert.ok(match, `no ${name} in\n${fields}`)
    return match[1]!
  }
  return {memberId: field('MemberID'), clusterId: field('ClusterID'), revision: Number(field('Revision'))}
}

async function putKeys(member: MemberSpec, prefix: string, count: number): Promise<void> {
  const client = endpoints.get(member.clientURL)
  for (let i = 0; i < count; i++) await client.put(`${prefix}${String(i).padStart(3, '0')}`).value(`value ${i}`)
}

/** What etcdctl itself prints (stderr) for a snapshot it refuses. */
async function etcdctlStatusError(path: string): Promise<string> {
  return execFileAsync('etcdctl', ['snapshot', 'status', path, '-w', 'json'], {env: {...process.env, ETCDCTL_API: '3'}}).then(
    ({stdout}) => assert.fail(`etcdctl accepted ${path}: ${stdout}`),
    (e: {stderr: string}) => e.stderr.trim(),
  )
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false)
}

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex')
}

async function walHead(member: MemberSpec): Promise<Buffer> {
  const walDir = walDirOf(member)
  const name = firstWalFile(await readdir(walDir))
  assert.ok(name, `no WAL file in ${walDir}`)
  const file = await open(join(walDir, name), 'r')
  try {
    const head = Buffer.alloc(WAL_HEAD_BYTES)
    const {bytesRead} = await file.read(head, 0, head.length, 0)
    return head.subarray(0, bytesRead)
  } finally {
    await file.close()
  }
}

test('snapshotStatus: the revision of the cluster at the save, and every key written since counted', async () => {
  const m = source()
  await putKeys(m, '/host/first/', FIRST_KEYS)
  firstRevision = (await identityOf(m)).revision
  firstSnapshot = join(dir, 'apply-machine', 'first.db')
  const {bytes} = await saveSnapshot(endpoints.get(m.clientURL), firstSnapshot)
  const first = await provider.snapshotStatus(m, firstSnapshot)
  assert.equal(first.tool, 'etcdctl', 'Debian 3.4.23 ships no etcdutl beside etcd')
  assert.equal(first.revision, firstRevision)
  // totalKey counts the entries of every bucket (etcd's own bookkeeping too), so compare two snapshots.
  assert.ok(first.totalKey >= FIRST_KEYS, `totalKey ${first.totalKey}`)
  // A saved snapshot is the database followed by its sha256 (32 bytes), which status does not count.
  assert.equal(first.totalSize, bytes - 32)

  await putKeys(m, '/host/later/', LATER_KEYS)
  const secondPath = join(dir, 'apply-machine', 'second.db')
  await saveSnapshot(endpoints.get(m.clientURL), secondPath)
  const second = await provider.snapshotStatus(m, secondPath)
  assert.equal(second.revision, firstRevision + LATER_KEYS)
  assert.equal(second.totalKey, first.totalKey + LATER_KEYS)
  assert.notEqual(second.hash, first.hash)
})

test('snapshotStatus refuses truncated snapshots with etcdctl\'s error', async () => {
  assert.ok(firstSnapshot !== '', 'the first test saved a snapshot')
  const whole = await readFile(firstSnapshot)
  const m = source()
  // Cut inside bolt's header: etcdctl says so in one line.
  const header = join(dir, 'apply-machine', 'cut-in-header.db')
  await writeFile(header, whole.subarray(0, 100))
  const refused = await provider.snapshotStatus(m, header).then(() => null, (e: unknown) => e)
  assert.ok(refused instanceof NodeProviderError, `not refused with a NodeProviderError: ${String(refused)}`)
  const direct = await etcdctlStatusError(header)
  assert.equal(direct, 'Error: invalid database')
  assert.equal(refused.stderr, direct, 'the error carries what etcdctl said')
  assert.equal(refused.member, m.name)
  assert.equal(refused.message, `the snapshot ${header} does not verify (etcdctl snapshot status on ${m.name}'s host): Error: invalid database`)

  // Cut mid-file: what 3.4.23's etcdctl does depends on where the cut falls in bolt's pages, which
  // differ from snapshot to snapshot. Either it crashes on its memory map with a bus error and a
  // goroutine dump (the message keeps the first lines, the dump stays in stderr), or it reads a page
  // that is not what it expects and says so in one `Error:` line (e.g. `cannot get hash of bucket`).
  const half = join(dir, 'apply-machine', 'cut-in-half.db')
  await writeFile(half, whole.subarray(0, Math.floor(whole.length / 2) + 100))
  const crashed = await provider.snapshotStatus(m, half).then(() => null, (e: unknown) => e)
  assert.ok(crashed instanceof NodeProviderError, `not refused with a NodeProviderError: ${String(crashed)}`)
  const dump = await etcdctlStatusError(half)
  if (/SIGBUS/.test(dump)) {
    assert.match(crashed.stderr, /fatal error: fault[\s\S]*snapshotStatusCommandFunc/, 'etcdctl\'s own crash, in full')
    assert.match(crashed.message, /does not verify \(etcdctl snapshot status on solo's host\): unexpected fault address 0x[0-9a-f]+; fatal error: fault; \[signal SIGBUS/)
  } else {
    assert.match(dump, /^Error: /, `etcdctl neither crashed nor said Error: ${dump}`)
    assert.ok(crashed.stderr.includes('Error: '), `the error carries what etcdctl said: ${crashed.stderr}`)
    assert.ok(crashed.message.startsWith(`the snapshot ${half} does not verify (etcdctl snapshot status on ${m.name}'s host): Error: `), crashed.message)
  }
  assert.ok(crashed.message.length < 600, `the message is short: ${crashed.message.length} chars`)

  const missing = await provider.snapshotStatus(m, join(dir, 'no-such.db')).then(() => null, (e: unknown) => e)
  assert.ok(missing instanceof NodeProviderError)
  assert.match(missing.message, /no-such\.db does not verify/)
})

test('restore from a snapshot elsewhere on the apply machine: put on the host, restored, serves the data; then already-restored', async () => {
  assert.ok(spec)
  assert.ok(firstSnapshot !== '', 'the first test saved a snapshot')
  const fresh = target()
  const hostPath = join(dir, 'host', 'fresh', 'snapshot.db')
  const request = {snapshotPath: hostPath, localSnapshotPath: firstSnapshot, dataDir: fresh.dataDir, initialCluster: initialClusterOf([fresh]), initialClusterToken: 'fresh-token', peerURL: fresh.peerURL}
  assert.equal(await provider.restore(fresh, request), 'restored')
  assert.equal(await sha256Of(hostPath), await sha256Of(firstSnapshot), 'the host holds the apply machine\'s snapshot, byte for byte')
  assert.match(await readFile(join(fresh.dataDir, 'restored-by-etcdplan'), 'utf8'), new RegExp(`sha256:${await sha256Of(firstSnapshot)}`))
  assert.equal(await provider.restore(fresh, request), 'already-restored')
  // Already restored needs the snapshot no more: an apply resumed after it was deleted goes on.
  await rm(hostPath)
  assert.equal(await provider.restore(fresh, request), 'already-restored')

  const config = renderEtcdConfig({member: fresh, spec, initialCluster: request.initialCluster, initialClusterState: 'new'})
  await provider.writeConfig(fresh, config.path, config.content)
  await provider.start(fresh, config.path)
  assert.match(await waitForHealth(fresh.clientURL, 15_000), /"health":"true"/, await provider.logTail(fresh, 20))
  assert.equal(Number(await endpoints.get(fresh.clientURL).getAll().prefix('/host/').count()), FIRST_KEYS, 'the keys of the snapshot, none written after it')
  assert.equal((await etcdctl(fresh.clientURL, 'get', '/host/first/007', '--print-value-only')).trim(), 'value 7')
  const restored = await identityOf(fresh)
  assert.equal(restored.revision, firstRevision, 'a restored cluster keeps the snapshot\'s revision (etcd-facts.md)')
  assert.notEqual(restored.clusterId, (await identityOf(source())).clusterId, 'and has a new cluster ID')
})

// etcdctl 3.4's `snapshot status` passes this file (bolt's check finds its pages intact; the trailer
// is not its business): restore is where it is caught.
test('restore refuses a snapshot that lost its sha256 trailer, and leaves no data dir', async () => {
  assert.ok(firstSnapshot !== '', 'the first test saved a snapshot')
  const whole = await readFile(firstSnapshot)
  // Whole pages of the database without the 32-byte sha256 after them: etcdctl 3.4 takes a size that
  // is a multiple of 512 for a file without the hash, and refuses it without --skip-hash-check.
  const cut = join(dir, 'apply-machine', 'no-trailer.db')
  await writeFile(cut, whole.subarray(0, whole.length - 32))
  const member: MemberSpec = {...target(), dataDir: join(dir, 'no-trailer', 'data')}
  const request = {snapshotPath: join(dir, 'host', 'no-trailer', 'snapshot.db'), localSnapshotPath: cut, dataDir: member.dataDir, initialCluster: initialClusterOf([member]), initialClusterToken: 'cut-token', peerURL: member.peerURL}
  const error = await provider.restore(member, request).then(() => null, (e: unknown) => e)
  assert.ok(error instanceof NodeProviderError, `not refused with a NodeProviderError: ${String(error)}`)
  assert.match(error.stderr, /^Error: snapshot missing hash but --skip-hash-check=false$/m)
  assert.equal(error.message, `restoring the snapshot ${request.snapshotPath} for fresh failed (etcdctl snapshot restore): Error: snapshot missing hash but --skip-hash-check=false`)
  await assert.rejects(readdir(member.dataDir), {code: 'ENOENT'})
  assert.deepEqual(await stagingDirsOf(member), [], 'the half-restored staging dir was removed')
})

// The orphan race in its strongest form: two attempts for the same member at once. Each stages into
// a directory of its own, the first rename wins, and the other finds the data dir with the mark.
// With one shared staging dir the second attempt emptied the first's under it (the bug).
test('two restores of the same member at once: each in its own staging dir, one restored, the other already-restored; no staging dir left; etcd serves the snapshot', async () => {
  assert.ok(firstSnapshot !== '', 'the first test saved a snapshot')
  const racer = target('racer')
  const request = {snapshotPath: join(dir, 'host', 'racer', 'snapshot.db'), localSnapshotPath: firstSnapshot, dataDir: racer.dataDir, initialCluster: initialClusterOf([racer]), initialClusterToken: 'racer-token', peerURL: racer.peerURL}
  await mkdir(dirname(racer.dataDir), {recursive: true})
  // Watch the data dir's parent while both run: two staging dirs at once prove the attempts overlapped.
  let most = 0
  let done = false
  const watching = (async () => {
    while (!done) {
      most = Math.max(most, (await stagingDirsOf(racer)).length)
      await sleep(2)
    }
  })()
  const outcomes = await Promise.all([provider.restore(racer, request), provider.restore(racer, request)]).finally(() => {
    done = true
  })
  await watching
  assert.deepEqual([...outcomes].sort(), ['already-restored', 'restored'])
  assert.equal(most, 2, 'the two restores ran side by side, each in its own staging dir')
  assert.deepEqual(await stagingDirsOf(racer), [])
  assert.match(await readFile(join(racer.dataDir, RESTORED_MARK), 'utf8'), new RegExp(`sha256:${await sha256Of(firstSnapshot)}`))
  await assertServesFirstSnapshot(racer, request.initialCluster)
})

test('a restore removes what killed attempts left (the plain .restoring of earlier versions, a dead pid\'s, this pid\'s unused one), keeps a running attempt\'s, and restores', async () => {
  assert.ok(firstSnapshot !== '', 'the first test saved a snapshot')
  const member = target('leftover')
  const request = {snapshotPath: join(dir, 'host', 'leftover', 'snapshot.db'), localSnapshotPath: firstSnapshot, dataDir: member.dataDir, initialCluster: initialClusterOf([member]), initialClusterToken: 'leftover-token', peerURL: member.peerURL}
  // A pid above the kernel's largest (pid_max is at most 2^22) never runs; this process's own pid
  // on a dir it does not use is an earlier process's that had the same pid.
  const base = basename(member.dataDir)
  const leftovers = [`${base}.restoring`, `${base}.restoring-99999999-abc`, `${base}.restoring-old`, `${base}.restoring-${process.pid}-deadbeef`]
  const running = spawn('sleep', ['60'], {stdio: 'ignore'})
  try {
    const live = `${base}.restoring-${running.pid}-0123abcd`
    for (const name of [...leftovers, live]) {
      await mkdir(join(dirname(member.dataDir), name, 'member', 'snap'), {recursive: true})
      await writeFile(join(dirname(member.dataDir), name, 'member', 'snap', 'junk'), 'half a restore\n')
    }
    assert.equal(await provider.restore(member, request), 'restored')
    assert.deepEqual(await stagingDirsOf(member), [live], 'only the running attempt\'s staging dir is left')
    assert.deepEqual((await readdir(join(member.dataDir, 'member', 'snap'))).filter((name) => name === 'junk'), [], 'nothing of a leftover in the data dir')
    await rm(join(dirname(member.dataDir), live), {recursive: true})
  } finally {
    running.kill('SIGKILL')
  }
  assert.ok(await exists(join(member.dataDir, RESTORED_MARK)))
  await assertServesFirstSnapshot(member, request.initialCluster)
})

test('readWalIdentity on real WALs: the member and cluster IDs etcd reports; inspectDataDir says the same', async () => {
  for (const member of [source(), target()]) {
    const reported = await identityOf(member)
    const head = await walHead(member)
    assert.deepEqual(readWalIdentity(head), {memberId: reported.memberId, clusterId: reported.clusterId}, member.name)
    assert.deepEqual((await provider.inspectDataDir(member)).wal, {memberId: reported.memberId, clusterId: reported.clusterId})
    // Too little of the file, or something else than a WAL: no identity (never a wrong one).
    for (const cut of [0, 7, 8, 20, 40]) assert.equal(readWalIdentity(head.subarray(0, cut)), null, `${member.name}: first ${cut} bytes`)
  }
  assert.equal(readWalIdentity(await readFile(firstSnapshot)), null, 'a snapshot (bolt db) is not a WAL')
})
