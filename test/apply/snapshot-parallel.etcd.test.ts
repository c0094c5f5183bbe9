// End to end, against real etcd 3.4.23 on loopback: the restores of a snapshot migration 3 → 3 run at
// the same time (src/apply/parallel-steps.ts), each journaled on its own. Proves, from the journal's
// startedAt/finishedAt: the three restore-member steps overlap in time; the apply ends like a
// sequential one (exactly the target members, every key, HashKV of the new members equal to the
// source's); the old members' stops overlap, the old leader's after the others'. SIGKILLed while the restores run (right after one has restored, before it is journaled),
// the journal left behind is whole, and the same command resumes: the killed restore is found done
// ("already holds the restored member"), nothing is restored twice, the migration finishes. A
// restore that fails in the group (its data dir is taken by a foreign file) lets its siblings finish
// and journals them done, journals itself failed, and reports its dependents as not run; once the
// operator moves the directory aside, the same apply resumes and finishes. Every etcd started here
// is stopped in `finally`.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdir, mkdtemp, rename, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import type {Journal} from '../../src/apply/journal.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, removeLab, startedSpecCluster, type StartedLabSpec} from '../fixtures/lab-cluster.js'
import {startFailpointHook, type FailpointAnswer} from '../fixtures/failpoint-hook.js'
import {clearStaleLock, jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain, readJournal} from './migration-assertions.js'

const NAME = 'parallel'
// 15 MB: restores that take long enough to overlap measurably, pages of keys under gRPC's 4 MiB reply limit.
const KEYS = {count: 5000, valueBytes: 3000, prefix: '/e2e/parallel/keys/'}
const RESTORES = ['restore-member/etcd4', 'restore-member/etcd5', 'restore-member/etcd6']

async function lab(dir: string): Promise<StartedLabSpec> {
  const members = namedMembers('etcd', await pickLoopbackHosts(6))
  return startedSpecCluster({name: NAME, dir, strategy: 'snapshot', source: members.slice(0, 3), target: members.slice(3), timeouts: E2E_TIMEOUTS}, KEYS)
}

function record(journal: Journal, id: string): {start: number; end: number} {
  const step = journal.steps.find((s) => s.id === id)
  assert.ok(step?.startedAt != null && step.finishedAt != null, `${id} has startedAt and finishedAt: ${JSON.stringify(step)}`)
  return {start: Date.parse(step.startedAt), end: Date.parse(step.finishedAt)}
}

test('the restores of a snapshot migration run at the same time, and the apply ends as a sequential one would', {timeout: 240_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-parallel-'))
  let spec: Spec | null = null
  try {
    const started = await lab(dir)
    spec = started.spec
    const applied = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 180_000})
    t.diagnostic(`apply took ${Math.round(applied.durationMs)} ms`)
    assert.equal(applied.status, 0, explain(applied))
    const journal = await readJournal(dir, NAME)
    const spans = RESTORES.map((id) => record(journal, id))
    t.diagnostic(`restores: ${spans.map((s) => `${s.start}-${s.end}`).join(', ')}`)
    // Overlap: every restore started before any of them finished.
    const lastStart = Math.max(...spans.map((s) => s.start))
    const firstEnd = Math.min(...spans.map((s) => s.end))
    assert.ok(lastStart < firstEnd, `the restores did not overlap: ${JSON.stringify(spans)}`)
    const events = jsonEvents(applied.stdout)
    for (const id of RESTORES) {
      assert.equal(events.filter((e) => e.type === 'step-start' && e.id === id).length, 1, `one step-start for ${id}`)
      assert.equal(events.filter((e) => e.type === 'step-done' && e.id === id).length, 1, `one step-done for ${id}`)
    }
    // The old members stop together, the old cluster's leader (as preflight saw it) after the others are gone.
    const leader = /leader (etcd\d)/.exec(String(events.find((e) => e.type === 'step-done' && e.id === 'preflight')?.outcome))?.[1]
    assert.ok(leader !== undefined, explain(applied))
    const stops = spec.source.members.map((m) => ({name: m.name, ...record(journal, `stop-member/${m.name}`)}))
    const followers = stops.filter((s) => s.name !== leader)
    const leaderStop = stops.find((s) => s.name === leader)!
    t.diagnostic(`stops (leader ${leader}): ${stops.map((s) => `${s.name} ${s.start}-${s.end}`).join(', ')}`)
    assert.ok(Math.max(...followers.map((s) => s.start)) < Math.min(...followers.map((s) => s.end)), `the followers' stops did not overlap: ${JSON.stringify(stops)}`)
    assert.ok(leaderStop.start >= Math.max(...followers.map((s) => s.end)), `the leader's stop began before its followers were stopped: ${JSON.stringify(stops)}`)
    const verified = events.find((e) => e.type === 'step-done' && e.id === 'verify-data')
    assert.match(String(verified?.outcome), /HashKV [0-9a-f]{8} on all 3 new members as on the source/, explain(applied))
    const targetURLs = spec.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, spec.target.members)
    await assertDataIntact(targetURLs, KEYS)
    // `status` reads the journal the parallel run wrote.
    const status = await runCliAsync(['status', started.path, '--json'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(status.status, 0, explain(status))
  } finally {
    await removeLab(dir, spec)
  }
})

test('an apply SIGKILLed while the restores run resumes: the killed restore is found done, none runs twice', {timeout: 240_000}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-parallel-kill-'))
  let spec: Spec | null = null
  const hook = await startFailpointHook(dir)
  try {
    const started = await lab(dir)
    spec = started.spec
    // Killed right after etcd5's restore acted, before the journal records it: its siblings are
    // running or done at that moment.
    let killed = false
    hook.decide = (call) => {
      if (!killed && call.point === 'after-action' && call.step === 'restore-member/etcd5') {
        killed = true
        return 'kill'
      }
      return 'continue'
    }
    const first = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, env: hook.env, timeoutMs: 180_000})
    assert.ok(killed, `the kill point was never reached:\n${explain(first)}`)
    assert.equal(first.signal, 'SIGKILL', explain(first))
    const interrupted = await readJournal(dir, NAME)
    assert.notEqual(interrupted.status, 'complete')
    const etcd5 = interrupted.steps.find((s) => s.id === 'restore-member/etcd5')
    assert.equal(etcd5?.status, 'running', 'etcd5 restored, not journaled')
    assert.ok(interrupted.steps.filter((s) => RESTORES.includes(s.id)).every((s) => s.status === 'running' || s.status === 'done'), JSON.stringify(interrupted.steps))

    await clearStaleLock(dir, join(dir, '.etcdplan', NAME, 'state.json'))
    hook.decide = () => 'continue'
    const resumed = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, env: hook.env, timeoutMs: 180_000})
    assert.equal(resumed.status, 0, explain(resumed))
    const events = jsonEvents(resumed.stdout)
    const outcome = events.find((e) => e.type === 'step-done' && e.id === 'restore-member/etcd5')?.outcome
    assert.match(String(outcome), /already holds the restored member/, explain(resumed))
    // The restores journaled done before the kill are skipped, not run again.
    for (const s of interrupted.steps.filter((s) => RESTORES.includes(s.id) && s.status === 'done')) {
      assert.ok(events.some((e) => e.type === 'step-skip' && e.id === s.id), `${s.id} skipped`)
    }
    const targetURLs = spec.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, spec.target.members)
    await assertDataIntact(targetURLs, KEYS)
  } finally {
    await hook.close()
    await removeLab(dir, spec)
  }
})

test('a restore failing in the group lets its siblings finish, names its dependents as not run, and resumes once fixed', {timeout: 240_000}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-parallel-fail-'))
  let spec: Spec | null = null
  const hook = await startFailpointHook(dir)
  try {
    const started = await lab(dir)
    spec = started.spec
    const etcd6 = spec.target.members.find((m) => m.name === 'etcd6')!
    // After preflight, a foreign file takes etcd6's data dir: etcdplan never restores over it.
    hook.decide = async (call): Promise<FailpointAnswer> => {
      if (call.point === 'before-step' && call.step === 'restore-member/etcd4') {
        await mkdir(etcd6.dataDir, {recursive: true})
        await writeFile(join(etcd6.dataDir, 'not-etcdplans'), 'someone else\'s\n')
      }
      return 'continue'
    }
    const failed = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, env: hook.env, timeoutMs: 180_000})
    assert.equal(failed.status, 1, explain(failed))
    const journal = await readJournal(dir, NAME)
    const statusOf = (id: string) => journal.steps.find((s) => s.id === id)?.status
    assert.equal(journal.status, 'failed')
    assert.equal(statusOf('restore-member/etcd4'), 'done', 'a sibling finished')
    assert.equal(statusOf('restore-member/etcd5'), 'done', 'a sibling finished')
    assert.equal(statusOf('restore-member/etcd6'), 'failed')
    assert.equal(statusOf('start-member/etcd4'), 'pending', 'nothing after the group ran')
    const events = jsonEvents(failed.stdout)
    const upstream = events.find((e) => e.type === 'upstream-failed')
    assert.equal(upstream?.failed, 'restore-member/etcd6')
    assert.ok((upstream?.notRun as string[]).includes('start-member/etcd6') && (upstream?.notRun as string[]).includes('verify'), JSON.stringify(upstream))
    // With --json the error is the last event: what failed, why, what to do, what did not run.
    const error = events.find((e) => e.type === 'error')?.error as {stepId: string; message: string; hint: string; notRun: string[]} | undefined
    assert.equal(error?.stepId, 'restore-member/etcd6', explain(failed))
    assert.match(error.message, /etcd6 already exists and was not restored by etcdplan/)
    assert.match(error.hint, /move it aside/)
    assert.ok(!error.notRun.includes('restore-member/etcd4') && error.notRun.includes('start-member/etcd6'), JSON.stringify(error.notRun))
    assert.doesNotMatch(failed.stdout + failed.stderr, /\n\s+at /, 'no stack trace')

    // The operator moves the directory aside; the same apply resumes at etcd6's restore.
    await rename(etcd6.dataDir, `${etcd6.dataDir}.aside`)
    hook.decide = () => 'continue'
    const resumed = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, env: hook.env, timeoutMs: 180_000})
    assert.equal(resumed.status, 0, explain(resumed))
    const again = jsonEvents(resumed.stdout)
    assert.ok(again.some((e) => e.type === 'step-skip' && e.id === 'restore-member/etcd4'), 'etcd4 not restored twice')
    assert.ok(again.some((e) => e.type === 'step-done' && e.id === 'restore-member/etcd6'))
    await assertDataIntact(spec.target.members.map((m) => m.clientURL), KEYS)
  } finally {
    await hook.close()
    await removeLab(dir, spec)
  }
})
