// The ssh provider through the real OpenSSH client and a real sshd (a throwaway one on a loopback
// address: loopback-sshd.ts), with real etcd: one master connection per host for the whole apply,
// start/stop/isRunning of a member through it, close() ends the master and removes its temp dir;
// an unknown and a changed host key refused with what to do; a master connection killed in the
// middle of an operation ridden out; a host whose sshd is stopped is a clear error. Measures the
// round trip per operation with the master (printed as a test diagnostic). Every etcd started here
// is stopped in `after`, and the sshd this test started is stopped by its pid.
import {test, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {NodeProviderError} from '../../src/nodes/node-provider.js'
import {SshNodeProvider} from '../../src/nodes/ssh-provider.js'
import {sshOptionArgs} from '../../src/nodes/ssh/ssh-argv.js'
import {SshTransport} from '../../src/nodes/ssh/ssh-transport.js'
import type {MemberSpec, SshNodes} from '../../src/spec/types.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {isAlive} from '../fixtures/lab-cluster.js'
import {stopLeakedEtcd} from '../fixtures/leaked-etcd.js'
import {waitForHealth} from '../fixtures/wait-for-health.js'
import {startLoopbackSshd, type LoopbackSshd} from './ssh/loopback-sshd.js'

const execFileAsync = promisify(execFile)

let dir = ''
let sshd: LoopbackSshd
let options: SshNodes
let member: MemberSpec
const providers: SshNodeProvider[] = []

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etcdplan-ssh-sshd-'))
  const [sshHost, etcdHost] = await pickLoopbackHosts(2)
  sshd = await startLoopbackSshd(join(dir, 'sshd'), sshHost!)
  options = {user: 'root', port: sshd.port, identityFile: sshd.identityFile, knownHosts: sshd.knownHosts, sudo: false, service: 'process', unit: 'etcd-{name}.service', etcd: 'etcd', dataDir: join(dir, 'nodes', 'data', '{name}'), configFile: join(dir, 'nodes', 'etc', '{name}.yaml'), runDir: join(dir, 'nodes', 'run', '{name}'), snapshotDir: join(dir, 'nodes', 'snapshots')}
  member = {name: 'viassh', peerURL: `http://${etcdHost}:2380`, clientURL: `http://${etcdHost}:2379`, host: sshHost!, dataDir: join(dir, 'nodes', 'data', 'viassh'), configFile: join(dir, 'nodes', 'etc', 'viassh.yaml'), config: {}}
})

after(async () => {
  try {
    const p = newProvider()
    await p.stop(member, 10_000).catch(() => {})
    for (const provider of providers) await provider.close()
    await sshd?.stop()
  } finally {
    await stopLeakedEtcd(dir)
    await rm(dir, {recursive: true, force: true})
  }
})

function newProvider(overrides: Partial<SshNodes> = {}): SshNodeProvider {
  const provider = new SshNodeProvider({...options, ...overrides})
  providers.push(provider)
  return provider
}

const config = (): string => [`name: ${member.name}`, `data-dir: ${member.dataDir}`, `listen-peer-urls: ${member.peerURL}`, `listen-client-urls: ${member.clientURL}`, `initial-advertise-peer-urls: ${member.peerURL}`, `advertise-client-urls: ${member.clientURL}`, `initial-cluster: ${member.name}=${member.peerURL}`, 'initial-cluster-state: new'].join('\n') + '\n'

/** The pid of the master connection for the host (`ssh -O check` names it). */
async function masterPid(controlDir: string): Promise<number | null> {
  try {
    const {stderr} = await execFileAsync('ssh', [...sshOptionArgs(options, controlDir), '-O', 'check', '--', member.host])
    const found = /pid=(\d+)/.exec(stderr)
    return found === null ? null : Number(found[1])
  } catch (error) {
    const found = /pid=(\d+)/.exec(String((error as {stderr?: string}).stderr ?? ''))
    return found === null ? null : Number(found[1])
  }
}

test('through ssh: config written, etcd started, found, stopped over one master; close ends it; round trips measured', async (t) => {
  const transport = new SshTransport(options)
  const provider = new SshNodeProvider(options, transport)
  providers.push(provider)
  let at = performance.now()
  await provider.writeConfig(member, member.configFile, config())
  const first = performance.now() - at
  const controlDir = transport.controlPath
  assert.ok(controlDir !== null)
  const master = await masterPid(controlDir)
  assert.ok(master !== null, 'a master connection runs for the host')
  const times: number[] = []
  for (let i = 0; i < 10; i++) {
    at = performance.now()
    assert.equal(await provider.readConfig(member, member.configFile), config())
    times.push(performance.now() - at)
  }
  await provider.start(member, member.configFile)
  assert.match(await waitForHealth(member.clientURL, 20_000), /"health":"true"/)
  at = performance.now()
  assert.equal(await provider.isRunning(member), true)
  const isRunningMs = performance.now() - at
  assert.equal(await masterPid(controlDir), master, 'every round trip used the same master')
  at = performance.now()
  await provider.stop(member, 10_000)
  const stopMs = performance.now() - at
  assert.equal(await provider.isRunning(member), false)
  times.sort((a, b) => a - b)
  t.diagnostic(`ssh round trip with the master: first (connect) ${first.toFixed(0)} ms, readConfig median ${times[5]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[9]!.toFixed(0)}), isRunning ${isRunningMs.toFixed(0)} ms, stop ${stopMs.toFixed(0)} ms`)
  await provider.close()
  assert.equal(existsSync(controlDir), false, 'close() removes the control dir')
  const deadline = Date.now() + 5000
  while (isAlive(master) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  assert.equal(isAlive(master), false, 'close() ends the master connection')
  await provider.close()
})

test('an unknown host key and a changed one are refused, with what to do; nothing is accepted into known_hosts', async () => {
  const empty = join(dir, 'empty_known_hosts')
  await writeFile(empty, '')
  const unknown = await newProvider({knownHosts: empty}).readConfig(member, member.configFile).then(() => null, (e: unknown) => e)
  assert.ok(unknown instanceof NodeProviderError, String(unknown))
  assert.match(unknown.message, new RegExp(`the host key of ${member.host.replace(/\./g, '\\.')} is not in known_hosts`))
  assert.match(unknown.message, /fingerprint out of band/)
  assert.equal(await readFile(empty, 'utf8'), '', 'the host key was added to known_hosts')

  const wrong = join(dir, 'wrong_known_hosts')
  await writeFile(wrong, sshd.wrongKnownHost)
  const changed = await newProvider({knownHosts: wrong}).readConfig(member, member.configFile).then(() => null, (e: unknown) => e)
  assert.ok(changed instanceof NodeProviderError, String(changed))
  assert.match(changed.message, /^could not read the config for viassh on .*: refused: the host key of .* is not the one in known_hosts \(it has changed\)/)
  assert.match(changed.message, /ssh-keygen -R/)
})

test('the master connection killed in the middle of an operation: ridden out (the operation runs again over a new master)', async () => {
  const transport = new SshTransport(options)
  const provider = new SshNodeProvider(options, transport)
  providers.push(provider)
  await provider.writeConfig(member, member.configFile, config())
  await provider.start(member, member.configFile)
  const master = await masterPid(transport.controlPath!)
  assert.ok(master !== null)
  // awaitExit waits 3 s on the host in one round trip; the master dies 0.5 s into it.
  const waiting = provider.awaitExit(member, 3000)
  await new Promise((r) => setTimeout(r, 500))
  process.kill(master, 'SIGKILL')
  assert.equal(await waiting, false, 'etcd still runs: awaitExit answers false after riding out the lost master')
  const second = await masterPid(transport.controlPath!)
  assert.ok(second !== null && second !== master, 'a new master was started')
  await provider.stop(member, 10_000)
  assert.equal(await provider.isRunning(member), false)
  await provider.close()
})

test('a host whose sshd is stopped: a clear error naming the host, quickly; back once sshd runs again', async () => {
  await sshd.stop()
  try {
    const at = Date.now()
    const error = await newProvider().isRunning(member).then(() => null, (e: unknown) => e)
    assert.ok(error instanceof NodeProviderError, String(error))
    assert.match(error.message, new RegExp(`${member.host.replace(/\./g, '\\.')} refused the ssh connection \\(Connection refused\\): is sshd running there`))
    assert.ok(Date.now() - at < 5000, `took ${Date.now() - at} ms`)
  } finally {
    await sshd.start()
  }
  assert.equal(await newProvider().isRunning(member), false)
})
