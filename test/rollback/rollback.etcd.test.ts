// End to end, against real etcd (3.4.23) on loopback: `plan --rollback` after a join whose apply was
// SIGKILLed, then `apply` of that rollback plan, with a client writing throughout (the killed apply,
// the rollback plan and its apply). From two points of the killed join:
//  (a) right after the first new member was started as a learner: the rollback removes the learner;
//  (b) right after the DNS switch (hosts-file DNS, all three new members voters): the rollback points
//      the name back at the source members, then removes the three;
// each ends exactly at the source members (started voters, no learner), with every key and every
// acknowledged write, the added members' etcd processes gone, and the rollback's own journal
// complete. (c) past the point of no return (a source member removed): refused, exit 1, saying which
// member was removed and what remains possible; the member list and revision unchanged. Every etcd
// started here (also those the killed applies started) is stopped in `finally`, the temp dirs removed.
import {test, type TestContext} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import {hostsFileAddresses} from '../../src/dns/hosts-file.js'
import {clusterEndpoints} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, type LabMember, type MigrationSpecOptions} from '../../lab/migration-spec.js'
import {startWriter, type Writer, type WriterFigures} from '../../lab/writer.js'
import {E2E_TIMEOUTS, etcdPidsFor, RUNBOOK_JOIN, startedSpecCluster, type StartedLabSpec} from '../fixtures/lab-cluster.js'
import {cleanUpLab} from '../fixtures/leaked-etcd.js'
import {applyKilledAfter, jsonEvents, runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain, observeLive, readJournal} from '../apply/migration-assertions.js'

const KEYS = {count: 1000, valueBytes: 512, prefix: '/e2e/rollback/keys/'}

interface Lab {
  readonly dir: string
  readonly started: StartedLabSpec
  readonly spec: Spec
}

/** A temp dir with a started source cluster from `options(dir, hosts)`; every etcd stopped and the dir removed after `body`. */
async function withLab(t: {diagnostic(message: string): void}, prefix: string, options: (dir: string, members: LabMember[]) => Promise<Omit<MigrationSpecOptions, 'dir'>>, body: (lab: Lab) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `etcdplan-e2e-${prefix}-`))
  let spec: Spec | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const started = await startedSpecCluster({...(await options(dir, members)), dir}, KEYS)
    spec = started.spec
    await body({dir, started, spec})
  } finally {
    await cleanUpLab(t, dir, spec)
  }
}

/** `apply SPEC --auto-approve --json`, SIGKILLed by its pid the moment it reports `killAt` done. */
async function applyKilledAt(lab: Lab, killAt: string): Promise<AsyncCliResult> {
  const run = await applyKilledAfter(lab.started.path, lab.dir, killAt)
  assert.ok(run.killed && run.signal === 'SIGKILL', `the apply never reported ${killAt} done:\n${explain(run)}`)
  return run
}

/** Exactly the source members again, every key and acknowledged write, the added members' etcd gone. */
async function assertBackAtSource(t: TestContext, s: Spec, figures: WriterFigures, added: readonly string[]): Promise<void> {
  t.diagnostic(`writer: ${figures.acknowledged} acknowledged, ${figures.failedAttempts} failed attempts, max stall ${Math.round(figures.maxStallMs)} ms`)
  const sourceURLs = s.source.members.map((m) => m.clientURL)
  await assertExactMembership(sourceURLs, s.source.members)
  await assertDataIntact(sourceURLs, KEYS, figures)
  await assertAddedStopped(s, added)
}

/** plan --rollback -o, then apply of that plan; returns the plan's step ids. Asserts both succeed. */
async function rollBack(lab: Lab, t: {diagnostic(message: string): void}): Promise<string[]> {
  const planned = await runCliAsync(['plan', lab.started.path, '--rollback', '-o', 'rollback.plan.json'], {cwd: lab.dir, timeoutMs: 60_000})
  assert.equal(planned.status, 0, explain(planned))
  assert.match(planned.stdout, new RegExp(`Rollback of migration "${lab.spec.name}": returns to its source members`), explain(planned))
  assert.match(planned.stdout, /etcdplan apply rollback\.plan\.json/, explain(planned))
  const plan = JSON.parse(await readFile(join(lab.dir, 'rollback.plan.json'), 'utf8')) as {name: string; steps: Array<{id: string}>; rollbackOf: unknown}
  assert.equal(plan.name, `${lab.spec.name}-rollback`)
  const applied = await runCliAsync(['apply', 'rollback.plan.json', '--json'], {cwd: lab.dir, timeoutMs: 180_000})
  t.diagnostic(`rollback apply took ${Math.round(applied.durationMs)} ms: ${plan.steps.map((s) => s.id).join(', ')}`)
  assert.equal(applied.status, 0, explain(applied))
  const events = jsonEvents(applied.stdout)
  assert.deepEqual(events.filter((e) => e.type === 'step-failed'), [])
  assert.equal(events.at(-1)?.type, 'apply-done', explain(applied))
  // Its own journal, complete; the forward journal stays where the killed apply left it.
  assert.equal((await readJournal(lab.dir, `${lab.spec.name}-rollback`)).status, 'complete')
  assert.notEqual((await readJournal(lab.dir, lab.spec.name)).status, 'complete')
  return plan.steps.map((s) => s.id)
}

async function assertAddedStopped(spec: Spec, names: readonly string[]): Promise<void> {
  for (const member of spec.target.members.filter((m) => names.includes(m.name))) assert.deepEqual(await etcdPidsFor(member.configFile), [], `${member.name}'s etcd still runs`)
}

test('(a) join killed after the first new member started as a learner: the rollback removes it, exactly the source, nothing lost', {timeout: 300_000}, async (t) => {
  await withLab(t, 'rollback-learner', async (_dir, m) => ({name: 'rb-learner', source: m.slice(0, 3), target: m.slice(3), join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS}), async (lab) => {
    const s = lab.spec
    const added = s.target.members[0]!
    let writer: Writer | null = startWriter(clusterEndpoints(s), {intervalMs: 20, prefix: '/e2e/rollback/a/'})
    try {
      await applyKilledAt(lab, `start-member/${added.name}`)
      const ids = await rollBack(lab, t)
      // The member the rollback removes is fenced too (issue 13): it must not rejoin either.
      assert.deepEqual(ids, ['preflight', `remove-member/${added.name}`, `stop-member/${added.name}`, `fence-member/${added.name}`, 'verify'])
      const w = writer
      writer = null
      await assertBackAtSource(t, s, await w.stop(), [added.name])
    } finally {
      if (writer !== null) await writer.stop()
    }
  })
})

test('(b) join killed after the DNS switch: the rollback points the name back at the source, removes the three, nothing lost', {timeout: 400_000}, async (t) => {
  const NAME = 'etcd.rollback.test'
  let hostsFile = ''
  await withLab(
    t,
    'rollback-dns',
    async (dir, m) => {
      hostsFile = join(dir, 'hosts')
      await writeFile(hostsFile, m.slice(0, 3).map((x) => `${x.host}\t${NAME}`).join('\n') + '\n')
      return {name: 'rb-dns', source: m.slice(0, 3), target: m.slice(3), join: RUNBOOK_JOIN, dns: {name: NAME, switch: {via: 'hosts-file', file: hostsFile}, verify: true}, timeouts: E2E_TIMEOUTS}
    },
    async (lab) => {
      const s = lab.spec
      const hostsOf = (members: readonly {host: string}[]) => members.map((x) => x.host).sort()
      let writer: Writer | null = startWriter(clusterEndpoints(s), {intervalMs: 20, prefix: '/e2e/rollback/b/'})
      try {
        await applyKilledAt(lab, 'switch-dns')
        assert.deepEqual([...hostsFileAddresses(await readFile(hostsFile, 'utf8'), NAME)].sort(), hostsOf(s.target.members), 'the killed apply did not switch the name')
        const ids = await rollBack(lab, t)
        // DNS back first, then each added voter removed (leadership moved off it first).
        assert.equal(ids[1], 'switch-dns', ids.join(', '))
        for (const m of s.target.members) assert.ok(ids.indexOf(`move-leader/${m.name}`) < ids.indexOf(`remove-member/${m.name}`), ids.join(', '))
        assert.deepEqual([...hostsFileAddresses(await readFile(hostsFile, 'utf8'), NAME)].sort(), hostsOf(s.source.members), 'the name does not lead back to the source members')
        const w = writer
        writer = null
        await assertBackAtSource(t, s, await w.stop(), s.target.members.map((m) => m.name))
      } finally {
        if (writer !== null) await writer.stop()
      }
    },
  )
})

test('(c) past the point of no return (a source member removed): refused, exit 1, says why and what remains; nothing changed', {timeout: 300_000}, async (t) => {
  // Replace one member of 3: etcd4 joins, then etcd3 (a source member) is removed.
  await withLab(t, 'rollback-refused', async (_dir, m) => ({name: 'rb-refused', source: m.slice(0, 3), target: [m[0]!, m[1]!, m[3]!], join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS}), async (lab) => {
    const s = lab.spec
    const removed = s.source.members[2]!
    await applyKilledAt(lab, `remove-member/${removed.name}`)
    const urls = [...s.source.members, ...s.target.members].map((m) => m.clientURL)
    const before = await observeLive(urls)
    const revision = (c: typeof before) => Math.max(...c.statuses.map((x) => x.revision ?? 0))

    const refused = await runCliAsync(['plan', lab.started.path, '--rollback', '-o', 'rollback.plan.json'], {cwd: lab.dir, timeoutMs: 60_000})
    assert.equal(refused.status, 1, explain(refused))
    t.diagnostic(refused.stderr.trim())
    assert.match(refused.stderr, new RegExp(`cannot plan a rollback of "${s.name}": it is past its point of no return — ${removed.name} was removed from the cluster`), explain(refused))
    assert.match(refused.stderr, /etcd never lets a removed member ID rejoin/, explain(refused))
    assert.match(refused.stderr, /what remains possible: the cluster is .* and keeps serving; finish the migration/, explain(refused))
    assert.doesNotMatch(refused.stderr, /\n\s+at /, 'a stack trace')
    const json = await runCliAsync(['plan', lab.started.path, '--rollback', '--json'], {cwd: lab.dir, timeoutMs: 60_000})
    assert.equal(json.status, 1, explain(json))
    const error = (JSON.parse(json.stdout.trim().split('\n').at(-1)!) as {error: {code: string; removed: string[]}}).error
    assert.equal(error.code, 'past-point-of-no-return')
    assert.deepEqual(error.removed, [removed.name])

    const after = await observeLive(urls)
    assert.deepEqual(after.members, before.members)
    assert.equal(revision(after), revision(before))
    await assert.rejects(readFile(join(lab.dir, 'rollback.plan.json')), 'a refused rollback wrote a plan file')
  })
})

test('without a journal: nothing was applied, nothing to roll back (exit 1)', {timeout: 120_000}, async (t) => {
  await withLab(t, 'rollback-none', async (_dir, m) => ({name: 'rb-none', source: m.slice(0, 3), target: m.slice(3, 4), timeouts: E2E_TIMEOUTS}), async (lab) => {
    const refused = await runCliAsync(['plan', lab.started.path, '--rollback'], {cwd: lab.dir, timeoutMs: 60_000})
    assert.equal(refused.status, 1, explain(refused))
    assert.match(refused.stderr, /nothing was applied of migration "rb-none" \(no journal at \.etcdplan\/rb-none\/state\.json\); nothing to roll back/, explain(refused))
  })
})
