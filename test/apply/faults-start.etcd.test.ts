// End to end, against real etcd (3.4.23) on loopback: a new member that cannot start. Each test is a
// 3 → 3 migration (etcd3 replaced by etcd4, learners) on its own fresh cluster with 500 keys, and one
// cause of a failed start:
// - port in use: etcd4's client port is taken by a plain TCP server after the preflight found it free
//   (when start-member begins: the failpoint hook binds it); etcd exits at once;
// - data dir not empty: etcd4's data dir gets another etcd's member/ dir (a snapshot restored under
//   another name) after the preflight found it empty (when start-member begins); etcd would start
//   under that identity, so etcdplan refuses to start it;
// (Taken before apply, both are refused by the preflight, before the add: preflight-host.etcd.test.ts.)
// - bad config: the failpoint hook truncates etcd4's config file (a torn write) after write-config,
//   when start-member begins; etcdplan refuses to start etcd with a config that is not the plan's;
// - a config etcd refuses: the spec gives etcd4 an option etcd rejects at start (election-timeout
//   below 5 heartbeats); etcd exits at once.
// Proves, for each: the apply fails at start-member/etcd4 with the cause in the error (etcd's log
// tail, what was found in the data dir, or the diff of the config); no step beyond is taken (journal
// and events); the cluster keeps its quorum (the 3 source voters healthy with a leader, a write
// accepted, the unstarted learner etcd4 not counted; and a client writing through the source members
// throughout the failed apply loses no acknowledged write). After the cause is fixed (port released, data
// dir moved away, config restored, spec repaired) the same apply command finishes with exactly the
// target members and every key. Every etcd started here is stopped in `finally`, and the temp dir
// removed.
import {test, type TestContext} from 'node:test'
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdtemp, readFile, rename, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import {localProvider} from '../../lab/local-cluster.js'
import {CLIENT_PORT, pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {startWriter, type Writer} from '../../lab/writer.js'
import {startedSpecCluster, type StartedLabSpec} from '../fixtures/lab-cluster.js'
import {startFailpointHook, type FailpointAnswer, type FailpointCall, type FailpointHook} from '../fixtures/failpoint-hook.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {assertFailedAt, assertJournalStoppedAt, assertQuorumKept, assertResumesToTarget, cleanUpLab, memberOf} from './faults-fixture.js'
import {readJournal} from './migration-assertions.js'

const execFileAsync = promisify(execFile)
const STEP = 'start-member/etcd4'

interface Lab {
  readonly dir: string
  readonly started: StartedLabSpec
  readonly spec: Spec
  readonly newMember: MemberSpec
  readonly keys: {count: number; valueBytes: number; prefix: string}
}

interface Fault {
  /** Before the first apply. */
  readonly inject?: (lab: Lab) => Promise<void>
  /** At each failpoint of the first apply. */
  readonly atFailpoint?: (call: FailpointCall, lab: Lab) => Promise<FailpointAnswer>
  /** The failure as the operator sees it. */
  readonly check: (failure: {message: string; hint: string}, lab: Lab) => void
  /** Removes the cause. */
  readonly fix: (lab: Lab) => Promise<void>
  /** Whether the first apply's journal is replaced (the fix changed the spec, so apply makes a new plan). */
  readonly replans?: boolean
  /** Spec YAML edit before the cluster starts (e.g. member config). */
  readonly editSpec?: (text: string) => string
}

async function startFault(t: TestContext, name: string, fault: Fault): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `etcdplan-e2e-${name}-`))
  let spec: Spec | null = null
  let hook: FailpointHook | null = null
  let writer: Writer | null = null
  try {
    const [etcd1, etcd2, etcd3, etcd4] = namedMembers('etcd', await pickLoopbackHosts(4))
    const keys = {count: 500, valueBytes: 256, prefix: `/e2e/${name}/keys/`}
    const started = await startedSpecCluster(
      {name, dir, source: [etcd1!, etcd2!, etcd3!], target: [etcd1!, etcd2!, etcd4!], join: {learner: true, rollingRestart: false}, timeouts: {catchUp: '60s', health: '30s', step: '60s'}},
      keys,
    )
    spec = started.spec
    if (fault.editSpec !== undefined) await writeFile(started.path, fault.editSpec(await readFile(started.path, 'utf8')))
    const lab: Lab = {dir, started, spec, newMember: memberOf(spec, 'etcd4'), keys}
    await fault.inject?.(lab)
    hook = await startFailpointHook(dir, (call) => fault.atFailpoint?.(call, lab) ?? 'continue')

    // A client keeps writing through the source members while the first apply runs and fails.
    writer = startWriter(spec.source.members.map((m) => m.clientURL), {intervalMs: 50, prefix: `/e2e/${name}/writer/`})
    const first = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, env: hook.env, timeoutMs: 180_000})
    const figures = await writer.stop()
    writer = null
    t.diagnostic(`first run: exit ${first.status} after ${Math.round(first.durationMs)} ms; writer: ${figures.acknowledged} acknowledged, ${figures.failedAttempts} failed attempts`)
    const failure = assertFailedAt(first, STEP)
    t.diagnostic(`error: ${failure.message}\nhint: ${failure.hint}`)
    fault.check(failure, lab)
    assert.match(failure.hint, /run the same apply again/)

    // Nothing beyond the start: the journal stops there, etcd4 runs no etcd, the source keeps its quorum.
    assertJournalStoppedAt(await readJournal(dir, name), STEP)
    assert.equal(await localProvider(spec).isRunning(lab.newMember), false, 'etcd4 runs')
    await assertQuorumKept(spec.source.members, {member: lab.newMember, unstarted: true})

    await fault.fix(lab)
    // Every key, and every write acknowledged while the first apply ran.
    await assertResumesToTarget(t, dir, spec, started.path, {startsAt: fault.replans === true ? 'replanned' : STEP, keys, writer: figures})
  } finally {
    await writer?.stop()
    await hook?.close()
    await cleanUpLab(t, dir, spec)
  }
}

test('port in use: start-member fails with etcd\'s log tail; after the port is released the same apply finishes', {timeout: 240_000}, async (t) => {
  let blocker: Server | null = null
  try {
    await startFault(t, 'start-port', {
      atFailpoint: async (call, {newMember}) => {
        // After the preflight found the port free: someone takes it between the add and the start.
        if (call.point === 'step-running' && call.step === STEP && blocker === null) {
          // Connections (the apply's own Status calls) are closed at once, so close() does not wait for them.
          const server = createServer((socket) => socket.destroy())
          await new Promise<void>((resolve, reject) => server.once('error', reject).listen(CLIENT_PORT, new URL(newMember.clientURL).hostname, resolve))
          blocker = server
        }
        return 'continue'
      },
      check: ({message}) => {
        assert.match(message, /etcd for etcd4 (exited at once \(exit code \d+\)|is not running any more)/)
        // The log tail, quoted under the message.
        assert.match(message, /\n {4}\| .*address already in use/)
      },
      fix: async () => {
        const server = blocker as Server | null
        if (server !== null) await new Promise((resolve) => server.close(resolve))
        blocker = null
      },
    })
  } finally {
    const server = blocker as Server | null
    if (server !== null) server.close()
  }
})

test('data dir not empty: etcdplan refuses to start a never-started member on another etcd\'s data; after it is moved away the same apply finishes', {timeout: 240_000}, async (t) => {
  let foreignId = ''
  await startFault(t, 'start-datadir', {
    atFailpoint: async (call, {dir, spec, newMember}) => {
      // After the preflight found the data dir empty: it fills between the add and the start.
      if (call.point !== 'step-running' || call.step !== STEP || foreignId !== '') return 'continue'
      // Another etcd's member/ dir: a snapshot of the source restored under another name and peer URL.
      const env = {...process.env, ETCDCTL_API: '3'}
      const snapshot = join(dir, 'other.db')
      await execFileAsync('etcdctl', ['--endpoints', spec.source.members[0]!.clientURL, 'snapshot', 'save', snapshot], {env})
      await execFileAsync('etcdctl', ['snapshot', 'restore', snapshot, '--name', 'impostor', '--data-dir', newMember.dataDir, '--initial-cluster', 'impostor=http://127.0.0.1:12380', '--initial-advertise-peer-urls', 'http://127.0.0.1:12380'], {env})
      const wal = await localProvider(spec).inspectDataDir(newMember)
      assert.ok(wal.wal !== null, 'the restored data dir has no readable WAL')
      foreignId = BigInt(wal.wal.memberId).toString(16)
      return 'continue'
    },
    check: ({message, hint}, {newMember}) => {
      assert.ok(message.includes(`the data dir ${newMember.dataDir} of etcd4 is not empty (it holds member); its write-ahead log belongs to member ${foreignId} of cluster `), message)
      assert.match(message, /but etcd4 has never started in this cluster \(the member list shows it unstarted\)\. etcd was not started/)
      assert.ok(hint.startsWith(`move ${newMember.dataDir} away (never delete a data dir you have not checked)`), hint)
    },
    fix: async ({newMember}) => {
      await rename(newMember.dataDir, `${newMember.dataDir}.moved-away`)
    },
  })
})

test('bad config: a config file changed after write-config is not started; after it is restored the same apply finishes', {timeout: 240_000}, async (t) => {
  let original: string | null = null
  await startFault(t, 'start-config', {
    atFailpoint: async (call, {newMember}) => {
      if (call.point === 'step-running' && call.step === STEP && original === null) {
        // A torn write: the first half of the file.
        original = await readFile(newMember.configFile, 'utf8')
        await writeFile(newMember.configFile, original.slice(0, Math.floor(original.length / 2)))
      }
      return 'continue'
    },
    check: ({message, hint}, {newMember}) => {
      assert.ok(message.includes(`${newMember.configFile} is not the config the plan wrote for etcd4 (write-config/etcd4): it was changed since, so etcd was not started with it`), message)
      // The diff from the planned config to the file: the lost second half shows as removed lines.
      assert.match(message, /\n {4}\| --- .*\(planned, write-config\/etcd4\)\n {4}\| \+\+\+ .*\(on disk\)/)
      assert.match(message, /\n {4}\| -initial-cluster-state: existing/)
      assert.match(hint, /restore the planned content .* or delete the file and the next apply writes the planned config again/)
    },
    fix: async ({newMember}) => {
      assert.ok(original !== null, 'the hook never corrupted the config')
      await writeFile(newMember.configFile, original)
    },
  })
})

test('a config etcd refuses: start-member fails with etcd\'s log tail; after the spec is repaired apply plans again from the half-joined member and finishes', {timeout: 240_000}, async (t) => {
  const BAD = 'config: {heartbeat-interval: 500, election-timeout: 1000}, '
  await startFault(t, 'start-refused', {
    editSpec: (text) => {
      const edited = text.replace(/(\{ ?name: etcd4, )/, `$1${BAD}`)
      assert.notEqual(edited, text, `could not give etcd4 a config in:\n${text}`)
      return edited
    },
    check: ({message}) => {
      assert.match(message, /etcd for etcd4 (exited at once \(exit code \d+\)|is not running any more)/)
      assert.match(message, /\n {4}\| .*election-timeout/)
    },
    fix: async ({started}) => {
      await writeFile(started.path, (await readFile(started.path, 'utf8')).replace(BAD, ''))
    },
    replans: true,
  })
})
