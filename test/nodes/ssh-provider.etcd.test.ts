// The ssh node provider's operations against real etcd (Debian's 3.4.23) on loopback, with the
// helper script run exactly as ssh would run it but on this machine (LocalTransport: `sh -c` with
// the quoted command line, the script on stdin): start, adopt and stop a member; identity checks (a
// reused pid running something else is never signalled; a process on the member's port that is not
// etcd is never taken for it; an etcd etcdplan did not start is found by its port); a start that
// fails at once with the log tail; configs written atomically with mode 0600 when they name key
// files; putFile idempotent and refusing a corrupt copy; snapshot status, restore and
// already-restored (with etcdctl for 3.4, etcdutl for a member whose etcd is 3.5); the host script's
// staging dirs (killed runs' leftovers removed, a running one's kept, two restores at once: restored
// and already-restored); inspectDataDir with a real WAL; moveDataDirAside; probeHost ports in use / free
// / not the host's; a lost connection ridden out; and `service: systemd` by the exact commands it
// sends (fake systemctl/journalctl first on PATH). Every etcd started here is stopped in `after`
// (through the provider, then any left by command line), and the temp dir removed.
import {test, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {promisify} from 'node:util'
import {NodeProviderError, RESTORED_MARK} from '../../src/nodes/node-provider.js'
import {isStagingNameOf} from '../../src/nodes/restore-staging.js'
import {START_MARK} from '../../src/nodes/start-mark.js'
import {SshNodeProvider} from '../../src/nodes/ssh-provider.js'
import type {MemberSpec, SshNodes} from '../../src/spec/types.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {etcd35} from '../../lab/etcd-versions.js'
import {isAlive, waitGone, etcdPidsFor} from '../fixtures/lab-cluster.js'
import {stopLeakedEtcd} from '../fixtures/leaked-etcd.js'
import {waitForHealth} from '../fixtures/wait-for-health.js'
import {CorruptingTransport, DroppingTransport, LocalTransport} from './ssh/local-transport.js'
import {installFakeSystemd} from './ssh/fake-systemd.js'

const execFileAsync = promisify(execFile)
const etcdctlEnv = {...process.env, ETCDCTL_API: '3'}

let dir = ''
let hosts: string[] = []
let options: SshNodes
let transport: LocalTransport
let provider: SshNodeProvider
const started: {provider: SshNodeProvider; member: MemberSpec}[] = []
const children: ChildProcess[] = []

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etcdplan-ssh-provider-'))
  hosts = await pickLoopbackHosts(4)
  options = {sudo: false, service: 'process', unit: 'etcd-{name}.service', etcd: 'etcd', dataDir: join(dir, 'nodes', 'data', '{name}'), configFile: join(dir, 'nodes', 'etc', '{name}.yaml'), runDir: join(dir, 'nodes', 'run', '{name}'), snapshotDir: join(dir, 'nodes', 'snapshots')}
  transport = new LocalTransport()
  provider = new SshNodeProvider(options, transport)
})

after(async () => {
  try {
    for (const child of children) if (child.pid !== undefined && isAlive(child.pid)) child.kill('SIGKILL')
    for (const {provider: p, member} of started) await p.stop(member, 10_000).catch(() => {})
  } finally {
    await stopLeakedEtcd(dir)
    await rm(dir, {recursive: true, force: true})
  }
})

function member(name: string, host: string, extra: Partial<MemberSpec> = {}): MemberSpec {
  return {name, peerURL: `http://${host}:2380`, clientURL: `http://${host}:2379`, host: 'lab-host', dataDir: join(dir, 'nodes', 'data', name), configFile: join(dir, 'nodes', 'etc', `${name}.yaml`), config: {}, ...extra}
}

function configOf(m: MemberSpec, extra = ''): string {
  const peer = m.peerURL
  return [`name: ${m.name}`, `data-dir: ${m.dataDir}`, `listen-peer-urls: ${peer}`, `listen-client-urls: ${m.clientURL}`, `initial-advertise-peer-urls: ${peer}`, `advertise-client-urls: ${m.clientURL}`, `initial-cluster: ${m.name}=${peer}`, 'initial-cluster-state: new', 'initial-cluster-token: ssh-test', extra].join('\n')
}

async function startMember(p: SshNodeProvider, m: MemberSpec): Promise<number> {
  started.push({provider: p, member: m})
  await p.writeConfig(m, m.configFile, configOf(m))
  await p.start(m, m.configFile)
  assert.match(await waitForHealth(m.clientURL, 20_000), /"health":"true"/)
  return pidFileOf(p, m)
}

/** The member's staging dirs beside its data dir (restore-staging.ts), sorted. */
async function stagingDirsOf(m: MemberSpec): Promise<string[]> {
  return (await readdir(dirname(m.dataDir))).filter((name) => isStagingNameOf(m.dataDir, name)).sort()
}

async function pidFileOf(p: SshNodeProvider, m: MemberSpec): Promise<number> {
  return Number.parseInt(await readFile(p.pidFile(m), 'utf8'), 10)
}



test('start, start again, pid file lost (adopted), stop, stop again; the log has the start mark', async () => {
  const m = member('one', hosts[0]!)
  const pid = await startMember(provider, m)
  assert.equal(await provider.isRunning(m), true)
  await provider.start(m, m.configFile)
  assert.deepEqual(await etcdPidsFor(m.configFile), [pid], 'a second start launched another etcd')
  await rm(provider.pidFile(m))
  assert.equal(await provider.isRunning(m), true)
  assert.equal(await pidFileOf(provider, m), pid, 'the adopted etcd\'s pid is written to the pid file')
  await rm(provider.pidFile(m))
  await provider.start(m, m.configFile)
  assert.deepEqual(await etcdPidsFor(m.configFile), [pid])
  const tail = await provider.logTail(m, 200)
  assert.ok(tail.split('\n').some((l) => l.startsWith(`${START_MARK} for one with --config-file ${m.configFile}`)), tail.slice(0, 500))
  await provider.stop(m, 10_000)
  assert.ok(await waitGone(pid))
  assert.equal(await provider.isRunning(m), false)
  assert.equal(existsSync(provider.pidFile(m)), false)
  await provider.stop(m, 10_000)
  assert.equal(await provider.awaitExit(m, 1000), true)
})

test('a reused pid in the pid file running something else is corrected and never signalled', async () => {
  const m = member('one', hosts[0]!)
  const pid = await startMember(provider, m)
  const sleeper = spawn('sleep', ['60'], {stdio: 'ignore'})
  children.push(sleeper)
  await writeFile(provider.pidFile(m), `${sleeper.pid}\n`)
  assert.equal(await provider.isRunning(m), true)
  assert.equal(await pidFileOf(provider, m), pid)
  await writeFile(provider.pidFile(m), `${sleeper.pid}\n`)
  await provider.stop(m, 10_000)
  assert.ok(await waitGone(pid))
  assert.equal(isAlive(sleeper.pid!), true, 'stop() signalled the process a stale pid file named')
})

test('an etcd etcdplan did not start (flags, no config file, another name) is found by its peer port and stopped; a non-etcd on the port is not', async () => {
  const m = member('src1', hosts[1]!)
  const foreign = spawn('etcd', ['--name', 'legacy', '--data-dir', join(dir, 'nodes', 'legacy'), '--listen-peer-urls', m.peerURL, '--initial-advertise-peer-urls', m.peerURL, '--listen-client-urls', m.clientURL, '--advertise-client-urls', m.clientURL, '--initial-cluster', `legacy=${m.peerURL}`], {stdio: 'ignore', detached: true})
  children.push(foreign)
  assert.match(await waitForHealth(m.clientURL, 20_000), /"health":"true"/)
  assert.equal(await provider.isRunning(m), true)
  assert.equal(await pidFileOf(provider, m), foreign.pid)
  await provider.stop(m, 10_000)
  assert.ok(await waitGone(foreign.pid!))

  // Something that is not etcd holds the member's client port: not this member's etcd, never signalled.
  const squatter = spawn(process.execPath, ['-e', `require('net').createServer().listen(2379, ${JSON.stringify(hosts[1])}); setTimeout(() => {}, 60000)`], {stdio: 'ignore'})
  children.push(squatter)
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(await provider.isRunning(m), false)
  await provider.stop(m, 1000)
  assert.equal(isAlive(squatter.pid!), true)
  // ... and etcd cannot start on it: exits at once, with etcd's words and the start mark in the tail.
  await provider.writeConfig(m, m.configFile, configOf(m))
  const error = await provider.start(m, m.configFile).then(() => null, (e: unknown) => e)
  assert.ok(error instanceof NodeProviderError, String(error))
  assert.match(error.message, /src1 on lab-host exited at once/)
  assert.match(error.logTail, /address already in use/)
  assert.match(error.logTail, new RegExp(`^${START_MARK} for src1`, 'm'))
  assert.equal(existsSync(provider.pidFile(m)), false)
  squatter.kill('SIGKILL')
})

test('writeConfig: atomic, directory created, 0600 when it names a key file, 0644 otherwise; no temp file left', async () => {
  const m = member('cfg', hosts[2]!)
  const path = join(dir, 'nodes', 'etc', 'deep', 'cfg.yaml')
  await provider.writeConfig(m, path, 'name: cfg\n')
  assert.equal((await stat(path)).mode & 0o777, 0o644)
  const tls = 'name: cfg\nclient-transport-security:\n  cert-file: /etc/etcd/pki/cfg.pem\n  key-file: /etc/etcd/pki/cfg-key.pem\n'
  await provider.writeConfig(m, path, tls)
  assert.equal((await stat(path)).mode & 0o777, 0o600)
  assert.equal(await provider.readConfig(m, path), tls)
  assert.deepEqual(await readdir(join(dir, 'nodes', 'etc', 'deep')), ['cfg.yaml'])
})

test('putFile: copied, then not copied again (same sha256); a corrupt copy is refused naming both paths, nothing left', async () => {
  const m = member('put', hosts[2]!)
  const local = join(dir, 'local.bin')
  await writeFile(local, Buffer.alloc(200_000, 7))
  const remote = join(dir, 'nodes', 'remote', 'file.bin')
  const first = await provider.putFile(m, {localPath: local, remotePath: remote})
  assert.equal(first.copied, true)
  assert.equal(first.bytes, 200_000)
  assert.equal((await stat(remote)).mode & 0o777, 0o600)
  assert.equal((await provider.putFile(m, {localPath: local, remotePath: remote})).copied, false)

  const corrupt = new SshNodeProvider(options, new CorruptingTransport(transport, () => Buffer.alloc(200_000, 8)))
  const other = join(dir, 'nodes', 'remote', 'other.bin')
  await assert.rejects(corrupt.putFile(m, {localPath: local, remotePath: other}), (e: unknown) => e instanceof NodeProviderError && e.message.includes(local) && e.message.includes(other) && /gave a different file/.test(e.message))
  assert.deepEqual(await readdir(join(dir, 'nodes', 'remote')), ['file.bin'])
})

test('inspectDataDir (a real WAL: the IDs etcd reports), snapshot status and restore on the host, already-restored, a foreign data dir refused, moveDataDirAside', async () => {
  const m = member('snapsrc', hosts[2]!)
  await startMember(provider, m)
  await execFileAsync('etcdctl', ['--endpoints', m.clientURL, 'put', 'k', 'v'], {env: etcdctlEnv})
  const status = JSON.parse((await execFileAsync('etcdctl', ['--endpoints', m.clientURL, 'endpoint', 'status', '-w', 'json'], {env: etcdctlEnv})).stdout) as {Status: {header: {member_id: number | string; cluster_id: number | string}}}[]
  const own = await provider.inspectDataDir(m)
  assert.equal(own.exists && own.isDirectory, true)
  assert.deepEqual(own.entries, ['member'])
  assert.ok(own.files.includes('member/snap/db') && own.walDirEntries.some((e) => e.endsWith('.wal')), own.files.join(', '))
  assert.ok(own.wal !== null)
  // etcdctl's JSON prints the uint64 IDs as numbers (rounded by JSON.parse): compare the leading digits.
  assert.equal(own.wal.memberId.slice(0, 12), String(BigInt(Math.round(Number(status[0]!.Status.header.member_id)))).slice(0, 12))

  const snapshot = join(dir, 'apply-machine', 'snap.db')
  await mkdir(join(dir, 'apply-machine'), {recursive: true})
  await execFileAsync('etcdctl', ['--endpoints', m.clientURL, 'snapshot', 'save', snapshot], {env: etcdctlEnv})
  await provider.stop(m, 10_000)

  const target = member('restored', hosts[3]!)
  const request = {snapshotPath: snapshot, localSnapshotPath: snapshot, dataDir: target.dataDir, initialCluster: `restored=${target.peerURL}`, initialClusterToken: 'new-token', peerURL: target.peerURL}
  assert.equal(await provider.restore(target, request), 'restored')
  const onHost = join(options.snapshotDir, 'snap.db')
  assert.ok(existsSync(onHost), 'the snapshot is put into snapshotDir on the host')
  const checked = await provider.snapshotStatus(target, onHost)
  assert.equal(checked.tool, 'etcdctl')
  assert.ok(checked.revision >= 2 && checked.totalKey > 0)
  assert.match(await readFile(join(target.dataDir, RESTORED_MARK), 'utf8'), /sha256:[0-9a-f]{64}/)
  assert.equal(await provider.restore(target, request), 'already-restored')
  assert.deepEqual(await stagingDirsOf(target), [], 'the staging dir was renamed into place')

  await provider.writeConfig(target, target.configFile, configOf(target))
  started.push({provider, member: target})
  await provider.start(target, target.configFile)
  assert.match(await waitForHealth(target.clientURL, 20_000), /"health":"true"/)
  assert.match((await execFileAsync('etcdctl', ['--endpoints', target.clientURL, 'get', 'k', '--print-value-only'], {env: etcdctlEnv})).stdout, /^v$/m)
  await provider.stop(target, 10_000)

  // A member whose own etcd is 3.5 (etcdutl beside it): the helper's snapshot_tool picks etcdutl on
  // the host, for status and restore, and the mark names it; 3.4 (above) used etcdctl.
  assert.match(await readFile(join(target.dataDir, RESTORED_MARK), 'utf8'), /^tool:etcdctl$/m)
  const newer = member('restored35', hosts[3]!, {etcd: etcd35().etcd})
  assert.equal(await provider.restore(newer, {...request, dataDir: newer.dataDir, initialCluster: `restored35=${newer.peerURL}`}), 'restored')
  assert.match(await readFile(join(newer.dataDir, RESTORED_MARK), 'utf8'), /^tool:etcdutl$/m)
  assert.equal((await provider.snapshotStatus(newer, onHost)).tool, 'etcdutl')

  await assert.rejects(provider.restore(m, {...request, dataDir: m.dataDir}), /already exists and was not restored by etcdplan/)
  await assert.rejects(provider.snapshotStatus(target, join(dir, 'nodes', 'no-such.db')), (e: unknown) => e instanceof NodeProviderError && /does not verify \(etcdctl snapshot status/.test(e.message))

  const aside = await provider.moveDataDirAside(m)
  assert.ok(aside !== null && /\.failed-start-\d{8}T\d{6}Z$/.test(aside), String(aside))
  assert.equal(existsSync(m.dataDir), false)
  assert.equal(existsSync(aside), true)
  assert.equal(await provider.moveDataDirAside(m), null)
  assert.deepEqual(await provider.inspectDataDir(m), {path: m.dataDir, exists: false, isDirectory: false, entries: [], wal: null, files: [], walDirEntries: []})
  await writeFile(m.dataDir, 'a file where the data dir should be\n')
  assert.deepEqual((await provider.inspectDataDir(m)).isDirectory, false)
  await rm(m.dataDir)
})

// The host script's op_restore, run as ssh runs it: each run stages into a directory of its own
// (`<dataDir>.restoring-<its pid>-<hex>`), removes what killed runs left, leaves a run still going
// alone, and never renames over a data dir that appeared meanwhile (mv -T), so that two runs at once
// (a retry beside a run whose connection was lost) end restored and already-restored.
test('restore on the host: leftovers of killed runs removed, a running one\'s kept; two restores at once: one restored, the other already-restored; etcd serves the snapshot', async () => {
  const snapshot = join(dir, 'apply-machine', 'snap.db')
  assert.ok(existsSync(snapshot), 'the restore test above saved the snapshot')
  const raced = member('raced', hosts[3]!)
  const request = {snapshotPath: snapshot, localSnapshotPath: snapshot, dataDir: raced.dataDir, initialCluster: `raced=${raced.peerURL}`, initialClusterToken: 'raced-token', peerURL: raced.peerURL}
  const parent = dirname(raced.dataDir)
  // 99999999 is above the kernel's largest pid (pid_max is at most 2^22): that run is gone.
  const leftovers = ['raced.restoring', 'raced.restoring-99999999-abc', 'raced.restoring-old']
  const running = spawn('sleep', ['60'], {stdio: 'ignore'})
  children.push(running)
  const live = `raced.restoring-${running.pid}-0123abcd`
  for (const name of [...leftovers, live, 'racedx.restoring']) {
    await mkdir(join(parent, name, 'member'), {recursive: true})
    await writeFile(join(parent, name, 'member', 'junk'), 'half a restore\n')
  }
  let most = 0
  let done = false
  const watching = (async () => {
    while (!done) {
      most = Math.max(most, (await stagingDirsOf(raced)).filter((name) => name !== live).length)
      await sleep(2)
    }
  })()
  const outcomes = await Promise.all([provider.restore(raced, request), provider.restore(raced, request)]).finally(() => {
    done = true
  })
  await watching
  running.kill('SIGKILL')
  assert.deepEqual([...outcomes].sort(), ['already-restored', 'restored'])
  assert.ok(most >= 2, `the two runs restored side by side, each in its own staging dir (at most ${most} seen at once)`)
  assert.deepEqual(await stagingDirsOf(raced), [live], 'the leftovers and both runs\' staging dirs are gone; the running one\'s is kept')
  assert.ok(existsSync(join(parent, 'racedx.restoring')), 'another data dir\'s staging dir is not touched')
  assert.equal(existsSync(join(raced.dataDir, 'member', 'junk')), false, 'nothing of a leftover in the data dir')
  assert.match(await readFile(join(raced.dataDir, RESTORED_MARK), 'utf8'), /sha256:[0-9a-f]{64}/)

  await provider.writeConfig(raced, raced.configFile, configOf(raced))
  started.push({provider, member: raced})
  await provider.start(raced, raced.configFile)
  assert.match(await waitForHealth(raced.clientURL, 20_000), /"health":"true"/)
  assert.match((await execFileAsync('etcdctl', ['--endpoints', raced.clientURL, 'get', 'k', '--print-value-only'], {env: etcdctlEnv})).stdout, /^v$/m)
  await provider.stop(raced, 10_000)
})

test('probeHost in one round trip: the binary\'s version, ports in use / free / not the host\'s, files', async () => {
  const m = member('probe', hosts[0]!)
  await startMember(provider, m)
  const before = transport.runs.length
  const probe = await provider.probeHost(m, {listen: [m.peerURL, `http://${hosts[0]}:2381`, 'http://198.18.0.254:2379', 'http://0.0.0.0:2380'], files: [m.configFile, join(dir, 'nope'), dir]})
  assert.equal(transport.runs.length - before, 1)
  assert.match(probe.binary.version ?? '', /^3\.\d+\.\d+/)
  assert.deepEqual(probe.listen.map((l) => l.state), ['in-use', 'free', 'error', 'in-use'])
  assert.deepEqual(probe.files.map((f) => f.error), [null, 'no such file', 'it is a directory'])
  const missing = await new SshNodeProvider({...options, etcd: '/nonexistent/etcd'}, transport).probeHost(m, {listen: [], files: []})
  assert.match(missing.binary.error ?? '', /no such file/)
  await provider.stop(m, 10_000)
})

test('receivingSnapshotBytes in one round trip: the largest tmp file etcd receives the leader\'s snapshot into, none before and after', async () => {
  const m = member('receiving', hosts[0]!)
  const snapDir = join(m.dataDir, 'member', 'snap')
  const before = transport.runs.length
  assert.equal(await provider.receivingSnapshotBytes(m), null, 'no data dir yet')
  assert.equal(transport.runs.length - before, 1)
  await mkdir(snapDir, {recursive: true})
  // etcd's names (server/etcdserver/api/snap/db.go): the DB, a raft snapshot, and the temp file a leader's snapshot arrives in.
  await writeFile(join(snapDir, 'db'), Buffer.alloc(20_480))
  await writeFile(join(snapDir, '0000000000000002-0000000000000c86.snap'), Buffer.alloc(8086))
  assert.equal(await provider.receivingSnapshotBytes(m), null, 'a data dir receiving nothing')
  await writeFile(join(snapDir, 'tmp2629948071'), Buffer.alloc(32_047))
  assert.equal(await provider.receivingSnapshotBytes(m), 32_047)
})

test('a connection lost mid-operation is ridden out: the operation runs again over a fresh master, once in effect', async () => {
  const m = member('retry', hosts[1]!)
  const dropping = new SshNodeProvider(options, new DroppingTransport(transport, 2))
  started.push({provider, member: m})
  await provider.writeConfig(m, m.configFile, configOf(m))
  const resets = transport.resets
  await dropping.start(m, m.configFile)
  assert.equal(transport.resets - resets, 2)
  assert.match(await waitForHealth(m.clientURL, 20_000), /"health":"true"/)
  assert.equal((await etcdPidsFor(m.configFile)).length, 1)
  const refused = new SshNodeProvider(options, new DroppingTransport(transport, 1, false))
  await assert.rejects(refused.isRunning(m), (e: unknown) => e instanceof NodeProviderError && /could not see whether etcd runs for retry on lab-host/.test(e.message))
  await provider.stop(m, 10_000)
})

test('service: systemd — exactly these systemctl and journalctl commands; start marks merged into the log tail', async () => {
  const fakes = join(dir, 'fake-bin')
  const fake = await installFakeSystemd(fakes)
  const local = new LocalTransport({PATH: `${fakes}:${process.env.PATH ?? ''}`})
  const systemd = new SshNodeProvider({...options, service: 'systemd', unit: 'etcd-{name}.service'}, local)
  const m = member('unit1', hosts[3]!, {dataDir: join(dir, 'nodes', 'data', 'unit1')})
  await systemd.writeConfig(m, m.configFile, configOf(m))
  await fake.configFor('etcd-unit1.service', m.configFile)
  await systemd.start(m, m.configFile)
  assert.match(await waitForHealth(m.clientURL, 20_000), /"health":"true"/)
  await systemd.start(m, m.configFile)
  assert.equal(await systemd.isRunning(m), true)
  const tail = await systemd.logTail(m, 500)
  assert.match(tail, new RegExp(`^${START_MARK} for unit1 with --config-file ${m.configFile}`, 'm'))
  await systemd.restart(m, m.configFile, 10_000)
  await systemd.stop(m, 10_000)
  assert.equal(await systemd.isRunning(m), false)
  assert.equal(await systemd.awaitExit(m, 1000), true)
  const commands = (await readFile(fake.commands, 'utf8')).trimEnd().split('\n').map((l) => l.split('\t'))
  const u = 'etcd-unit1.service'
  assert.deepEqual(commands, [
    ['systemctl', 'is-active', '--quiet', u],
    ['systemctl', 'start', u],
    ['systemctl', 'is-active', '--quiet', u],
    ['systemctl', 'is-active', '--quiet', u],
    ['systemctl', 'is-active', '--quiet', u],
    ['journalctl', '-u', u, '-n', '500', '--no-pager', '-o', 'cat', '--until', commands[5]![9]!],
    ['journalctl', '-u', u, '-n', '500', '--no-pager', '-o', 'cat', '--since', commands[5]![9]!],
    ['systemctl', 'restart', u],
    ['systemctl', 'is-active', '--quiet', u],
    ['systemctl', 'stop', u],
    ['systemctl', 'is-active', '--quiet', u],
    ['systemctl', 'is-active', '--quiet', u],
  ])
  assert.match(commands[5]![9]!, /^@\d{10}$/)
})
