// End to end, against real etcd (3.4.23) on loopback: replacing members that are down, the commonest
// membership change in production. Each test starts its own source cluster and SIGKILLs members (by
// the local provider's pid file) before planning:
// - 3 members, etcd3 killed, the spec replaces it with etcd4 while a client keeps writing through
//   etcd1 and etcd2: `plan` says etcd3 is down (with the error) and removes it before adding etcd4;
//   `apply` finishes without waiting for etcd3 (well under timeouts.health), exactly at the target,
//   every key and every acknowledged write intact;
// - 5 members with two down → 5: both removed first, the two new ones added one at a time;
// - 3 members with two down: no quorum. `plan` and `apply` refuse (exit 1, code quorum-lost) with
//   etcd's disaster-recovery path, and nothing changes: the survivor's raft index stays where it was.
// Every etcd started here is stopped in `finally`, and the temp dir removed.
import {test, type TestContext} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import {statusAt} from '../../src/cluster/observe-cluster.js'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, type LabMember} from '../../lab/migration-spec.js'
import {startWriter} from '../../lab/writer.js'
import {E2E_TIMEOUTS, isAlive, startedSpecCluster, type StartedLabSpec} from '../fixtures/lab-cluster.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {cleanUpLab, memberOf, pidOf} from './faults-fixture.js'
import {assertDataIntact, assertExactMembership, explain, observeLive} from './migration-assertions.js'

const KEYS = {count: 1000, valueBytes: 512, prefix: '/e2e/dead/keys/'}
/** Long, so that an apply that waited for a dead member would show in its duration. */
const HEALTH = '40s'

async function startCluster(dir: string, name: string, source: readonly LabMember[], target: readonly LabMember[]): Promise<StartedLabSpec> {
  return startedSpecCluster({name, dir, source, target, timeouts: {...E2E_TIMEOUTS, health: HEALTH}}, KEYS)
}

/** SIGKILL, as a crashed machine would: no clean shutdown, the member stays in the member list. */
async function kill(spec: Spec, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const pid = await pidOf(spec, memberOf(spec, name))
    process.kill(pid, 'SIGKILL')
    const deadline = Date.now() + 10_000
    while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    assert.ok(!isAlive(pid), `${name} (pid ${pid}) did not die`)
  }
}

interface PlanJson {
  steps: Array<{id: string; before: {down: number}; after: {down: number; tolerates: number}}>
  warnings: Array<{code: string; message: string}>
  observation: {down: Array<{id: string; error: string}>}
}

async function planJson(t: TestContext, started: StartedLabSpec, dir: string): Promise<PlanJson> {
  const planned = await runCliAsync(['plan', started.path, '--json'], {cwd: dir, timeoutMs: 60_000})
  assert.equal(planned.status, 0, explain(planned))
  const plan = JSON.parse(planned.stdout) as PlanJson
  t.diagnostic(`plan: ${plan.steps.map((s) => s.id).join(', ')}`)
  return plan
}

async function applyToTarget(t: TestContext, started: StartedLabSpec, dir: string, spec: Spec): Promise<number> {
  const began = Date.now()
  const applied = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 240_000})
  const ms = Date.now() - began
  assert.equal(applied.status, 0, explain(applied))
  t.diagnostic(`apply took ${ms} ms`)
  await assertExactMembership(spec.target.members.map((m) => m.clientURL), spec.target.members)
  return ms
}

test('3 members, one SIGKILLed, replaced by a new member while a client writes: the dead one is removed first and apply does not wait for it', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-dead-one-'))
  let spec: Spec | null = null
  try {
    const [m1, m2, m3, m4] = namedMembers('etcd', await pickLoopbackHosts(4))
    const started = await startCluster(dir, 'dead-one', [m1!, m2!, m3!], [m1!, m2!, m4!])
    spec = started.spec
    await kill(spec, ['etcd3'])

    const plan = await planJson(t, started, dir)
    const ids = plan.steps.map((s) => s.id)
    assert.deepEqual(ids.slice(0, 4), ['preflight', 'remove-member/etcd3', 'stop-member/etcd3', 'write-config/etcd4'])
    assert.ok(ids.indexOf('remove-member/etcd3') < ids.indexOf('add-learner/etcd4'))
    assert.equal(plan.observation.down.length, 1)
    const warning = plan.warnings.find((w) => w.code === 'member-down')
    assert.ok(warning, JSON.stringify(plan.warnings))
    assert.match(warning.message, /^etcd3 \(http:\/\/[\d.]+:2379\) is down: .*(ECONNREFUSED|deadline|UNAVAILABLE)/i)
    assert.equal(plan.steps[0]!.before.down, 1)

    const rendered = await runCliAsync(['plan', started.path, '--no-color'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(rendered.status, 0, explain(rendered))
    assert.match(rendered.stdout, /voters\s+down\s+learners\s+quorum\s+tolerates/)
    assert.match(rendered.stdout, /etcd3 .* is down/)

    const writer = startWriter([m1!, m2!].map((m) => memberOf(spec!, m.name).clientURL), {prefix: '/e2e/dead/writes/'})
    let ms: number
    try {
      ms = await applyToTarget(t, started, dir, spec)
    } finally {
      const figures = await writer.stop()
      t.diagnostic(`writer: ${figures.acknowledged} acknowledged, ${figures.failedAttempts} failed attempts, max stall ${figures.maxStallMs} ms`)
      await assertDataIntact(spec.target.members.map((m) => m.clientURL), KEYS, figures)
    }
    // Waiting for etcd3 at any gate would have cost timeouts.health (40 s).
    assert.ok(ms < 40_000, `apply took ${ms} ms: it waited for the dead member`)
  } finally {
    await cleanUpLab(t, dir, spec)
  }
})

test('5 members with two down → 5: both removed first, their replacements added one at a time', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-dead-two-'))
  let spec: Spec | null = null
  try {
    const hosts = namedMembers('etcd', await pickLoopbackHosts(7))
    const started = await startCluster(dir, 'dead-two', hosts.slice(0, 5), [...hosts.slice(0, 3), ...hosts.slice(5)])
    spec = started.spec
    await kill(spec, ['etcd4', 'etcd5'])

    const plan = await planJson(t, started, dir)
    const ids = plan.steps.map((s) => s.id)
    const firstAdd = ids.findIndex((id) => id.startsWith('add-learner/'))
    assert.ok(ids.indexOf('remove-member/etcd4') < firstAdd && ids.indexOf('remove-member/etcd5') < firstAdd, ids.join(', '))
    assert.equal(plan.observation.down.length, 2)
    assert.equal(plan.steps.find((s) => s.id === 'remove-member/etcd5')!.after.tolerates, 1)

    await applyToTarget(t, started, dir, spec)
    await assertDataIntact(spec.target.members.map((m) => m.clientURL), KEYS)
  } finally {
    await cleanUpLab(t, dir, spec)
  }
})

test('3 members with two down: plan and apply refuse with the recovery path, and nothing changes', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-no-quorum-'))
  let spec: Spec | null = null
  try {
    const [m1, m2, m3, m4, m5] = namedMembers('etcd', await pickLoopbackHosts(5))
    const started = await startCluster(dir, 'no-quorum', [m1!, m2!, m3!], [m1!, m4!, m5!])
    spec = started.spec
    const survivor: MemberSpec = memberOf(spec, 'etcd1')
    const before = await observeLive([survivor.clientURL])
    assert.equal(before.members.length, 3)
    await kill(spec, ['etcd2', 'etcd3'])
    const indexBefore = await raftIndexOf(survivor.clientURL)

    for (const args of [['plan', started.path, '--json'], ['apply', started.path, '--auto-approve', '--json']]) {
      const result = await runCliAsync(args, {cwd: dir, timeoutMs: 60_000})
      assert.equal(result.status, 1, explain(result))
      const line = result.stdout.trim().split('\n').at(-1)!
      const error = (JSON.parse(line) as {error: {code: string; message: string; hint: string; answering: string[]}}).error
      assert.equal(error.code, 'quorum-lost', line)
      assert.match(error.message, /lost its quorum: only 1 of its 3 voters answer \(http:[^)]*\), quorum needs 2/)
      assert.deepEqual(error.answering, [survivor.clientURL])
      assert.match(error.message, /Nothing was changed/)
      assert.match(error.hint, /snapshot save/)
      assert.match(error.hint, /--force-new-cluster/)
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
    }
    const rendered = await runCliAsync(['plan', started.path], {cwd: dir, timeoutMs: 60_000})
    assert.equal(rendered.status, 1)
    assert.match(rendered.stderr, /lost its quorum/)
    // Nothing proposed: the survivor's raft log did not move, and no target member was started.
    assert.equal(await raftIndexOf(survivor.clientURL), indexBefore)
    for (const name of ['etcd4', 'etcd5']) assert.equal((await statusOnce(memberOf(spec, name).clientURL)).error !== null, true, `${name} must not run`)
  } finally {
    await cleanUpLab(t, dir, spec)
  }
})

async function statusOnce(url: string) {
  const endpoints = new EtcdEndpoints({callTimeoutMs: 2000})
  try {
    return await statusAt(endpoints, url, {statusTimeoutMs: 2000})
  } finally {
    endpoints.close()
  }
}

async function raftIndexOf(url: string): Promise<number> {
  const status = await statusOnce(url)
  assert.equal(status.error, null, `${url} must answer Status`)
  return status.raftIndex!
}
