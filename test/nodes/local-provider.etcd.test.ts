// The local node provider against real etcd (Debian's 3.4.23) on random loopback addresses: start,
// isRunning, stop and awaitExit by pid file, the log tail; a start that cannot work is refused with
// etcd's own words; a snapshot saved with etcdctl restores into a fresh data dir that serves the
// data. Every etcd started here is stopped in `after` by its pid file, and the temp dir removed.
import {test, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdir, mkdtemp, readFile, rm} from 'node:fs/promises'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import {NodeProviderError} from '../../src/nodes/node-provider.js'
import {renderEtcdConfig} from '../../src/plan/etcd-config.js'
import {loadSpecFile} from '../../src/spec/load-spec.js'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import {initialClusterOf, startSourceCluster, stopAllMembers} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {writeMigrationSpec} from '../../lab/migration-spec.js'

const execFileAsync = promisify(execFile)
const etcdctlEnv = {...process.env, ETCDCTL_API: '3'}

let dir = ''
let spec: Spec | null = null
let provider: LocalNodeProvider
/** Members started here under other configs than the spec's (restored, port clash): stopped in `after` too. */
const extraMembers: MemberSpec[] = []

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etcdplan-provider-'))
  const [one, two] = await pickLoopbackHosts(2)
  const written = await writeMigrationSpec({
    name: 'provider-test',
    dir,
    source: [{name: 'solo', host: one!}],
    target: [{name: 'solo', host: one!}, {name: 'other', host: two!}],
  })
  const loaded = await loadSpecFile(written.path)
  assert.ok(loaded.spec, loaded.diagnostics.map((d) => d.message).join('\n'))
  spec = loaded.spec
  provider = new LocalNodeProvider(spec.nodes.local)
})

after(async () => {
  try {
    for (const m of extraMembers) await provider.stop(m, 10_000)
    if (spec !== null) await stopAllMembers(spec)
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
})

function solo(): MemberSpec {
  assert.ok(spec)
  return spec.source.members[0]!
}

async function writeConfig(member: MemberSpec): Promise<void> {
  assert.ok(spec)
  const config = renderEtcdConfig({member, spec, initialCluster: initialClusterOf([member]), initialClusterState: 'new'})
  await provider.writeConfig(member, config.path, config.content)
}

async function pidOf(member: MemberSpec): Promise<number> {
  return Number.parseInt(await readFile(provider.pidFile(member), 'utf8'), 10)
}

async function etcdctl(endpoint: string, ...args: string[]): Promise<string> {
  return (await execFileAsync('etcdctl', ['--endpoints', endpoint, ...args], {env: etcdctlEnv})).stdout
}

async function health(member: MemberSpec): Promise<void> {
  const deadline = Date.now() + 15_000
  let last = ''
  while (Date.now() < deadline) {
    try {
      last = await (await fetch(`${member.clientURL}/health`, {signal: AbortSignal.timeout(1000)})).text()
      if (last.includes('"health":"true"')) return
    } catch (error) {
      last = (error as Error).message
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  assert.fail(`${member.name} did not become healthy: ${last}\n${await provider.logTail(member, 20)}`)
}

test('writeConfig and readConfig', async () => {
  const m = solo()
  assert.equal(await provider.readConfig(m, m.configFile), null)
  await writeConfig(m)
  const text = await provider.readConfig(m, m.configFile)
  assert.match(text ?? '', /^name: solo$/m)
  assert.match(text ?? '', /^initial-cluster-state: new$/m)
})

test('start, isRunning, logTail, stop', async () => {
  const m = solo()
  assert.equal(await provider.isRunning(m), false)
  await provider.start(m, m.configFile)
  assert.equal(await provider.isRunning(m), true)
  await health(m)
  // Starting a running member again is a no-op: same pid.
  const pid = await pidOf(m)
  await provider.start(m, m.configFile)
  assert.equal(await pidOf(m), pid)
  const tail = await provider.logTail(m, 5)
  assert.ok(tail.length > 0)
  assert.ok(tail.split('\n').length <= 5)
  await provider.stop(m, 10_000)
  assert.equal(await provider.isRunning(m), false)
  await assert.rejects(readFile(provider.pidFile(m)), {code: 'ENOENT'})
  // Stopping a stopped member is a no-op.
  await provider.stop(m, 10_000)
})

test('awaitExit: false while etcd runs, true once it has exited by itself', async () => {
  const m = solo()
  await provider.start(m, m.configFile)
  assert.equal(await provider.awaitExit(m, 300), false)
  // A removed member shuts itself down; here the test ends it by its pid.
  process.kill(await pidOf(m), 'SIGTERM')
  assert.equal(await provider.awaitExit(m, 10_000), true)
  assert.equal(await provider.isRunning(m), false)
  assert.equal(await provider.awaitExit(m, 10), true)
})

test('a port already in use: start rejects with NodeProviderError and etcd\'s log', async () => {
  assert.ok(spec)
  const other = spec.target.members.find((m) => m.name === 'other')!
  await writeConfig(other)
  const blocker: Server = createServer()
  await new Promise<void>((resolve, reject) => blocker.once('error', reject).listen(2379, new URL(other.clientURL).hostname, resolve))
  try {
    const error = await provider.start(other, other.configFile).then(() => null, (e: unknown) => e)
    assert.ok(error instanceof NodeProviderError, `start did not reject with a NodeProviderError: ${String(error)}`)
    assert.equal(error.member, 'other')
    assert.match(error.message, /exited at once/)
    assert.match(error.logTail, /address already in use/)
    assert.equal(await provider.isRunning(other), false)
  } finally {
    await new Promise((resolve) => blocker.close(resolve))
  }
})

test('a config etcd refuses: start rejects with the log tail', async () => {
  assert.ok(spec)
  const other = spec.target.members.find((m) => m.name === 'other')!
  await provider.writeConfig(other, other.configFile, `name: other\ndata-dir: ${other.dataDir}\ninitial-cluster-state: sideways\n`)
  const error = await provider.start(other, other.configFile).then(() => null, (e: unknown) => e)
  assert.ok(error instanceof NodeProviderError)
  assert.ok(error.logTail.length > 0)
  assert.match(error.logTail, /sideways|initial-cluster-state|clusterState/i)
})

test('restore: a snapshot saved with etcdctl serves its data from a fresh data dir', async () => {
  assert.ok(spec)
  const m = solo()
  // A fresh 1-member cluster: the spec's source.
  await rm(m.dataDir, {recursive: true, force: true})
  await startSourceCluster(spec)
  await etcdctl(m.clientURL, 'put', '/restore/key', 'restored value')
  const snapshot = join(dir, 'solo.db')
  await etcdctl(m.clientURL, 'snapshot', 'save', snapshot)
  await provider.stop(m, 10_000)

  const restored: MemberSpec = {...m, dataDir: join(dir, 'restored', 'data'), configFile: join(dir, 'restored', 'etcd.yaml')}
  extraMembers.push(restored)
  const request = {snapshotPath: snapshot, dataDir: restored.dataDir, initialCluster: initialClusterOf([restored]), initialClusterToken: 'restored-token', peerURL: restored.peerURL}
  assert.equal(await provider.restore(restored, request), 'restored')
  // A second apply finds the restore complete (it is marked) and leaves it alone.
  assert.equal(await provider.restore(restored, request), 'already-restored')
  // A data dir etcdplan did not restore is never restored over.
  const foreign = {...request, dataDir: join(dir, 'foreign', 'data')}
  await mkdir(join(foreign.dataDir, 'member'), {recursive: true})
  await assert.rejects(provider.restore({...restored, dataDir: foreign.dataDir}, foreign), (e: unknown) => e instanceof NodeProviderError && /already exists and was not restored by etcdplan/.test(e.message))
  await writeConfig(restored)
  await provider.start(restored, restored.configFile)
  await health(restored)
  assert.equal((await etcdctl(restored.clientURL, 'get', '/restore/key', '--print-value-only')).trim(), 'restored value')
  await provider.stop(restored, 10_000)
  assert.equal(await provider.isRunning(restored), false)
})
