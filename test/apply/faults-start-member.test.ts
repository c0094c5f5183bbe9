// start-member's checks before it starts etcd, decided from one observation and what the node
// provider finds on the host (a fake provider here; faults-start.etcd.test.ts runs them against real
// etcd): a member the cluster has never seen started is not started on a data dir holding anything
// but its own WAL (another member's WAL, a stray file, a file in place of the dir), while one with
// its own WAL (it started once, before publishing its name) or one that has published its name is
// started; a config file that differs from the plan's is not used (the error carries the diff), and
// a missing one is written again from the plan.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {StepFailedError} from '../../src/apply/apply-errors.js'
import type {StepContext} from '../../src/apply/step-context.js'
import {runStartMember} from '../../src/apply/steps/start-member.js'
import type {ClusterClient} from '../../src/cluster/cluster-client.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import type {FenceResult, DataDirContents, HostProbe, HostSnapshotStatus, NodeProvider, PutFileResult} from '../../src/nodes/node-provider.js'
import {buildPlan} from '../../src/plan/build-plan.js'
import type {StartMemberStep, WriteConfigStep} from '../../src/plan/types.js'
import {buildSpec, member, members} from '../fixtures/spec-builder.js'
import {liveCluster, type MemberState} from './live-cluster-builder.js'

const spec = buildSpec({source: members('etcd', 1, 3, 1), target: [...members('etcd', 1, 2, 1), member('etcd4', '127.0.2.1')], dns: false})
const plan = buildPlan(spec, `sha256:${'0'.repeat(64)}`, observeFromSpec(spec), 'spec.yaml')
const step = plan.steps.find((s): s is StartMemberStep => s.id === 'start-member/etcd4')!
const written = plan.steps.find((s): s is WriteConfigStep => s.id === 'write-config/etcd4')!
const source: MemberState[] = [1, 2, 3].map((i) => ({name: `etcd${i}`, host: `127.0.1.${i}`}))
/** The liveCluster builder gives member i the ID 1000 + i: etcd4 is 1003. */
const ETCD4_ID = '1003'

class FakeProvider implements NodeProvider {
  readonly configs = new Map<string, string>([[written.config.path, written.config.content]])
  dataDir: DataDirContents = {path: '/data/etcd4', exists: false, isDirectory: false, entries: [], wal: null, files: [], walDirEntries: []}
  running = false
  starts = 0
  async writeConfig(_m: unknown, path: string, content: string): Promise<void> {
    this.configs.set(path, content)
  }
  async readConfig(_m: unknown, path: string): Promise<string | null> {
    return this.configs.get(path) ?? null
  }
  async start(): Promise<void> {
    this.starts++
    this.running = true
  }
  async stop(): Promise<void> {
    this.running = false
  }
  async restart(): Promise<void> {
    this.running = true
  }
  async awaitExit(): Promise<boolean> {
    return !this.running
  }
  async isRunning(): Promise<boolean> {
    return this.running
  }
  async restore(): Promise<'restored'> {
    throw new Error('not in these tests')
  }
  async logTail(): Promise<string> {
    return ''
  }
  async inspectDataDir(): Promise<DataDirContents> {
    return this.dataDir
  }
  async moveDataDirAside(): Promise<string | null> {
    throw new Error('not in these tests')
  }
  async fenceMember(): Promise<FenceResult> {
    throw new Error('not in these tests')
  }
  async putFile(): Promise<PutFileResult> {
    throw new Error('not in these tests')
  }
  async snapshotStatus(): Promise<HostSnapshotStatus> {
    throw new Error('not in these tests')
  }
  async probeHost(): Promise<HostProbe> {
    throw new Error('not in these tests')
  }
  async readHostFiles(): Promise<never> {
    throw new Error('not in these tests')
  }
  async receivingSnapshotBytes(): Promise<never> {
    throw new Error('not in these tests')
  }
  async close(): Promise<void> {}
}

/** etcd4 a learner: unstarted until the provider runs it (or published already, with `published`). */
function contextWith(provider: FakeProvider, options: {published?: boolean} = {}): StepContext {
  const observe = async () => liveCluster([...source, {name: 'etcd4', host: '127.0.2.1', learner: true, started: provider.running || options.published === true, down: !provider.running}], {leader: 'etcd1'})
  return {
    step,
    plan,
    spec,
    provider,
    cluster: null as unknown as ClusterClient,
    emit: () => {},
    confirmed: new Set(),
    observe,
    observeSource: observe,
    recordMemberId: async () => {},
    savedSnapshot: () => null,
    recordSnapshot: async () => {},
  }
}

async function refusal(provider: FakeProvider, options: {published?: boolean} = {}): Promise<StepFailedError> {
  const error = await runStartMember(contextWith(provider, options), step).then(() => null, (e: unknown) => e)
  assert.ok(error instanceof StepFailedError, `start-member did not refuse: ${String(error)}`)
  assert.equal(provider.starts, 0, 'etcd was started anyway')
  return error
}

test('a never-started member with no data dir, or an empty one, is started', async () => {
  const absent = new FakeProvider()
  assert.equal(await runStartMember(contextWith(absent), step), 'etcd4 started and published its name')
  assert.equal(absent.starts, 1)
  const empty = new FakeProvider()
  empty.dataDir = {path: '/data/etcd4', exists: true, isDirectory: true, entries: [], wal: null, files: [], walDirEntries: []}
  await runStartMember(contextWith(empty), step)
  assert.equal(empty.starts, 1)
})

test('a never-started member whose data dir holds its own WAL (it started once, before publishing its name) is started', async () => {
  const provider = new FakeProvider()
  provider.dataDir = {path: '/data/etcd4', exists: true, isDirectory: true, entries: ['member'], wal: {memberId: ETCD4_ID, clusterId: '77'}, files: ['member/snap/db', 'member/wal/0000000000000000-0000000000000000.wal'], walDirEntries: ['0000000000000000-0000000000000000.wal']}
  await runStartMember(contextWith(provider), step)
  assert.equal(provider.starts, 1)
})

test('a never-started member whose data dir holds another member\'s WAL is refused: what was found, and to move it away', async () => {
  const provider = new FakeProvider()
  provider.dataDir = {path: '/data/etcd4', exists: true, isDirectory: true, entries: ['member'], wal: {memberId: '4096', clusterId: '255'}, files: ['member/snap/db', 'member/wal/0000000000000000-0000000000000000.wal'], walDirEntries: ['0000000000000000-0000000000000000.wal']}
  const error = await refusal(provider)
  assert.equal(error.stepId, 'start-member/etcd4')
  assert.equal(
    error.message,
    'step start-member/etcd4 failed: precondition data-dir-empty (".etcdplan/local/etcd4/data is empty (a used data dir would rejoin under an old identity)") does not hold: the data dir /data/etcd4 of etcd4 is not empty (it holds member); its write-ahead log belongs to member 1000 of cluster ff, not to etcd4 (3eb), but etcd4 has never started in this cluster (the member list shows it unstarted). etcd was not started: it would run with that data, under another identity, instead of joining as etcd4.',
  )
  assert.equal(error.hint, 'move /data/etcd4 away (never delete a data dir you have not checked), then run the same apply again: etcd4 then starts with an empty data dir and joins')
})

test('a never-started member whose data dir holds stray files, or is a file, is refused', async () => {
  const stray = new FakeProvider()
  stray.dataDir = {path: '/data/etcd4', exists: true, isDirectory: true, entries: ['a', 'b', 'c', 'd', 'e', 'f', 'notes.txt'], wal: null, files: ['a', 'b', 'c', 'd', 'e', 'f', 'notes.txt'], walDirEntries: []}
  assert.match((await refusal(stray)).message, /the data dir \/data\/etcd4 of etcd4 is not empty \(it holds a, b, c, d, e, and 2 more\), but etcd4 has never started/)
  const file = new FakeProvider()
  file.dataDir = {path: '/data/etcd4', exists: true, isDirectory: false, entries: [], wal: null, files: [], walDirEntries: []}
  assert.match((await refusal(file)).message, /the data dir \/data\/etcd4 of etcd4 is not a directory, but etcd4 has never started/)
})

test('a member that has published its name (it started before) is started whatever its data dir holds', async () => {
  const provider = new FakeProvider()
  provider.dataDir = {path: '/data/etcd4', exists: true, isDirectory: true, entries: ['member'], wal: {memberId: '4096', clusterId: '255'}, files: ['member/snap/db', 'member/wal/0000000000000000-0000000000000000.wal'], walDirEntries: ['0000000000000000-0000000000000000.wal']}
  await runStartMember(contextWith(provider, {published: true}), step)
  assert.equal(provider.starts, 1)
})

test('a config file that is not the plan\'s is not started with: the error shows the diff, planned → on disk', async () => {
  const provider = new FakeProvider()
  provider.configs.set(written.config.path, written.config.content.replace('initial-cluster-state: existing', 'initial-cluster-state: new'))
  const error = await refusal(provider)
  assert.match(error.message, /^step start-member\/etcd4 failed: precondition config-written \("\.etcdplan\/local\/etcd4\/etcd\.yaml holds the planned config"\) does not hold: \.etcdplan\/local\/etcd4\/etcd\.yaml is not the config the plan wrote for etcd4 \(write-config\/etcd4\): it was changed since, so etcd was not started with it/)
  assert.match(error.message, /\n {4}\| -initial-cluster-state: existing\n {4}\| \+initial-cluster-state: new/)
  assert.match(error.hint ?? '', /^restore the planned content .*, or delete the file and the next apply writes the planned config again; then run the same apply again/)
  // Not overwritten: what to do with it is the operator's call.
  assert.match(provider.configs.get(written.config.path) ?? '', /initial-cluster-state: new/)
})

test('a missing config file is written again from the plan, then etcd is started', async () => {
  const provider = new FakeProvider()
  provider.configs.clear()
  const outcome = await runStartMember(contextWith(provider), step)
  assert.equal(outcome, '.etcdplan/local/etcd4/etcd.yaml was missing and was written again from the plan (write-config/etcd4); etcd4 started and published its name')
  assert.equal(provider.configs.get(written.config.path), written.config.content)
  assert.equal(provider.starts, 1)
})

test('a running member is neither checked nor started again', async () => {
  const provider = new FakeProvider()
  provider.running = true
  provider.configs.set(written.config.path, 'changed by hand\n')
  provider.dataDir = {path: '/data/etcd4', exists: true, isDirectory: true, entries: ['junk'], wal: null, files: ['junk'], walDirEntries: []}
  assert.equal(await runStartMember(contextWith(provider), step), 'etcd4 was already running')
  assert.equal(provider.starts, 0)
})
