// End to end, against real etcd (3.4.23) on loopback: one apply of a migration at a time. A saved
// plan scales a 1-member cluster out to 3. First, a lock left by a dead apply (written by hand) makes
// apply refuse at once as STALE with the force-unlock command, changing nothing; `force-unlock ID
// --force` removes it. Then apply A runs; while it is on its steps, apply B of the same plan fails
// within seconds with "Error acquiring the state lock", A's pid and lock ID, and no apply event of
// its own; apply C with --lock-timeout 3m waits for A, then finds nothing to do and exits 0. A
// completes normally with every step run exactly once, and the lock is gone at the end. Last, on a
// second cluster with a manual DNS switch, an apply that stops for the operator (exit 3) leaves no
// lock, so the confirming apply takes it and finishes. Every etcd is stopped in `after` (or the
// test's `finally`), the temp dirs removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {mkdir, mkdtemp, readdir, writeFile} from 'node:fs/promises'
import {hostname, tmpdir, userInfo} from 'node:os'
import {join} from 'node:path'
import {randomUUID} from 'node:crypto'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, removeLab, startedSpecCluster, useLabCluster} from '../fixtures/lab-cluster.js'
import {jsonEvents, runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'
import {assertExactMembership, assertJournalComplete, explain, observeLive, readJournal} from './migration-assertions.js'
import type {Plan} from '../../src/plan/types.js'
import type {Spec} from '../../src/spec/types.js'

const NAME = 'locked'

const lab = useLabCluster(
  'etcdplan-e2e-lock-',
  async (dir) => {
    const members = namedMembers('etcd', await pickLoopbackHosts(3))
    return {name: NAME, dir, source: [members[0]!], target: members, timeouts: E2E_TIMEOUTS}
  },
  {start: true},
)

const lockPath = () => join(lab.dir, '.etcdplan', NAME, 'state.json.lock')
const journalPath = () => join(lab.dir, '.etcdplan', NAME, 'state.json')

async function savePlan(): Promise<Plan> {
  const planned = await runCliAsync(['plan', lab.specPath, '-o', 'plan.json'], {cwd: lab.dir, timeoutMs: 60_000})
  assert.equal(planned.status, 0, explain(planned))
  return JSON.parse(readFileSync(join(lab.dir, 'plan.json'), 'utf8')) as Plan
}

test('a lock left by a dead apply is refused as stale, with the force-unlock command; nothing changes until it is removed', {timeout: 120_000}, async (t) => {
  const plan = await savePlan()
  const before = await observeLive(lab.sourceURLs())
  const dead = spawn('true', {stdio: 'ignore'})
  await new Promise((resolve) => dead.once('exit', resolve))
  const id = randomUUID()
  await mkdir(join(lab.dir, '.etcdplan', NAME), {recursive: true})
  await writeFile(lockPath(), JSON.stringify({kind: 'etcdplan-lock', id, pid: dead.pid, host: hostname(), user: userInfo().username, operation: 'apply', planHash: plan.contentHash, name: NAME, createdAt: new Date().toISOString(), etcdplanVersion: '0.1.0'}))

  const refused = await runCliAsync(['apply', 'plan.json'], {cwd: lab.dir, timeoutMs: 60_000})
  t.diagnostic(`stale lock refused in ${Math.round(refused.durationMs)} ms`)
  assert.equal(refused.status, 1, explain(refused))
  assert.match(refused.stderr, /Error acquiring the state lock: the lock is STALE/, explain(refused))
  assert.ok(refused.stderr.includes(`pid ${dead.pid}`), explain(refused))
  assert.ok(refused.stderr.includes(`etcdplan force-unlock ${id}\n`), explain(refused))
  assert.equal(existsSync(lockPath()), true, 'the stale lock is left for the operator')
  assert.equal(existsSync(journalPath()), false, 'the refused apply wrote no journal')
  assertSameMembers(await observeLive(lab.sourceURLs()), before)

  const unlocked = await runCliAsync(['force-unlock', id, '--force'], {cwd: lab.dir, timeoutMs: 30_000})
  assert.equal(unlocked.status, 0, explain(unlocked))
  assert.equal(existsSync(lockPath()), false)
  assertSameMembers(await observeLive(lab.sourceURLs()), before)
})

test('while apply A runs, apply B fails at once on the state lock and apply C --lock-timeout waits for A, then has nothing to do', {timeout: 150_000}, async (t) => {
  const plan = await savePlan()
  const targetURLs = lab.spec.target.members.map((m) => m.clientURL)
  let aPid = 0
  let heldByA: {id: string; pid: number} | null = null
  let aExited = 0
  let b: Promise<AsyncCliResult & {endedAt: number}> | null = null
  let c: Promise<AsyncCliResult & {endedAt: number}> | null = null
  const started = performance.now()
  const ended = (p: Promise<AsyncCliResult>) => p.then((r) => ({...r, endedAt: performance.now()}))

  const a = await runCliAsync(['apply', 'plan.json', '--json'], {
    cwd: lab.dir,
    timeoutMs: 120_000,
    onStdoutLine: (line, child) => {
      if (b !== null || !line.includes('"step-start"')) return
      // A is on its first step: it holds the lock.
      aPid = child.pid ?? 0
      heldByA = JSON.parse(readFileSync(lockPath(), 'utf8')) as {id: string; pid: number}
      t.diagnostic(`A (pid ${aPid}) started its first step after ${Math.round(performance.now() - started)} ms; B and C start`)
      b = ended(runCliAsync(['apply', 'plan.json', '--json'], {cwd: lab.dir, timeoutMs: 60_000}))
      c = ended(runCliAsync(['apply', 'plan.json', '--json', '--lock-timeout', '3m'], {cwd: lab.dir, timeoutMs: 120_000}))
    },
  })
  aExited = performance.now()
  t.diagnostic(`A exited ${a.status} after ${Math.round(a.durationMs)} ms`)
  assert.equal(a.status, 0, explain(a))
  assert.ok(b !== null && c !== null && heldByA !== null, `A never started a step\n${explain(a)}`)
  const lockOfA: {id: string; pid: number} = heldByA
  assert.equal(lockOfA.pid, aPid, 'the lock names A')

  // B: refused within seconds, while A still ran, naming A's pid and lock ID; it ran nothing.
  const refused = await (b as Promise<AsyncCliResult & {endedAt: number}>)
  t.diagnostic(`B exited ${refused.status} after ${Math.round(refused.durationMs)} ms`)
  assert.equal(refused.status, 1, explain(refused))
  assert.ok(refused.durationMs < 10_000, `B took ${refused.durationMs} ms`)
  assert.ok(refused.endedAt < aExited, 'B was refused while A was still running')
  const events = jsonEvents(refused.stdout)
  assert.deepEqual(events.map((e) => e.type), ['error'], `B emitted apply events\n${explain(refused)}`)
  const message = String((events[0] as {error?: {message?: string}}).error?.message)
  assert.match(message, /^Error acquiring the state lock/)
  assert.ok(message.includes(`pid ${aPid}`), message)
  assert.ok(message.includes(`ID:        ${lockOfA.id}`), message)

  // C: waited for A's lock, then took it after A released it, and found the journal complete.
  const waited = await (c as Promise<AsyncCliResult & {endedAt: number}>)
  t.diagnostic(`C exited ${waited.status} after ${Math.round(waited.durationMs)} ms, ${Math.round(waited.endedAt - aExited)} ms after A`)
  assert.equal(waited.status, 0, explain(waited))
  assert.ok(waited.endedAt >= aExited, 'C finished before A')
  // With --json the wait is an event too, naming the holder.
  const cEvents = jsonEvents(waited.stdout)
  const lockWait = cEvents.find((e) => e.type === 'lock-wait') as {timeoutMs?: number; holder?: {pid?: number; id?: string}} | undefined
  assert.equal(lockWait?.timeoutMs, 180_000, explain(waited))
  assert.deepEqual([lockWait?.holder?.pid, lockWait?.holder?.id], [aPid, lockOfA.id], explain(waited))
  assert.ok(cEvents.some((e) => e.type === 'lock-acquired'), explain(waited))
  assert.equal(waited.stderr, '', 'with --json nothing goes to stderr')
  const start = cEvents.find((e) => e.type === 'apply-start') as {done?: number; steps?: number} | undefined
  assert.equal(start?.done, plan.steps.length, `C had something to do\n${explain(waited)}`)
  assert.deepEqual(cEvents.filter((e) => e.type === 'step-start'), [])
  assert.equal((cEvents.find((e) => e.type === 'apply-done') as {ran?: number} | undefined)?.ran, 0)

  // A's run is the only one that did anything: each step attempted once, the journal never superseded.
  const journal = await readJournal(lab.dir, NAME)
  assertJournalComplete(journal, plan)
  assert.deepEqual(journal.steps.filter((s) => s.attempts !== 1).map((s) => `${s.id}: ${s.attempts}`), [])
  assert.deepEqual((await readdir(join(lab.dir, '.etcdplan', NAME))).filter((f) => f.includes('superseded')), [])
  await assertExactMembership(targetURLs, lab.spec.target.members)
  assert.equal(existsSync(lockPath()), false, 'the lock is released at the end')
})

test('an apply that stops for the operator (exit 3) releases the lock; the confirming apply takes it and finishes', {timeout: 150_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-lock-dns-'))
  let spec: Spec | null = null
  try {
    const [old, next] = namedMembers('etcd', await pickLoopbackHosts(2))
    const name = 'locked-dns'
    const started = await startedSpecCluster({name, dir, source: [old!], target: [next!], dns: {name: 'etcd.test.internal', switch: {via: 'manual'}, verify: false}, timeouts: {catchUp: '2m', health: '30s', step: '20s'}})
    spec = started.spec
    const lock = join(dir, '.etcdplan', name, 'state.json.lock')
    const stopped = await runCliAsync(['apply', started.path, '--auto-approve'], {cwd: dir, timeoutMs: 120_000})
    t.diagnostic(`stopped for the operator after ${Math.round(stopped.durationMs)} ms`)
    assert.equal(stopped.status, 3, explain(stopped))
    assert.equal(existsSync(lock), false, 'the stopped apply left its lock')
    const confirmed = await runCliAsync(['apply', join('.etcdplan', name, 'plan.json'), '--confirm', 'switch-dns'], {cwd: dir, timeoutMs: 120_000})
    t.diagnostic(`confirmed and finished after ${Math.round(confirmed.durationMs)} ms`)
    assert.equal(confirmed.status, 0, explain(confirmed))
    assert.doesNotMatch(confirmed.stderr, /state lock/, explain(confirmed))
    assert.equal(existsSync(lock), false)
    await assertExactMembership(started.spec.target.members.map((m) => m.clientURL), started.spec.target.members)
  } finally {
    await removeLab(dir, spec)
  }
})

function assertSameMembers(now: LiveCluster, before: LiveCluster): void {
  assert.equal(now.clusterId, before.clusterId)
  const ids = (c: LiveCluster) => c.members.map((m) => `${m.peerURLs.join(',')}=${m.id}:${m.isLearner ? 'learner' : 'voter'}`).sort()
  assert.deepEqual(ids(now), ids(before))
}
