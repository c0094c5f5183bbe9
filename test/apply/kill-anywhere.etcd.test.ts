// End to end, against real etcd (3.4.23) on loopback: `etcdplan apply` SIGKILLed at every step
// boundary and at every point inside every step, then run again, until the migration finishes. The
// runbook's 3 → 3 (disjoint, learners, add-first, DNS via a hosts file, rolling restart), 5,000 keys
// loaded and a writer putting a key every 20 ms throughout.
//
// The failpoint hook (src/apply/failpoint.ts) reports every point the applier passes; the test
// answers "kill" at the first point at or after the next one in the schedule, so the kills walk the
// whole plan: for each step, before it starts (the boundary), inside the journal write that marks it
// running, once it is marked running, right after its etcd call or node action, once it has verified
// its result but before the journal records it, and inside that journal write. After every kill: the
// journal on disk is a whole, valid journal (never truncated), the cluster has a leader, no member
// outside the spec's source and target, and never more than one learner. At the end: exactly the
// target members, all started voters, no learner; every key and every acknowledged write readable;
// the configs as planned; the journal complete. Every etcd started here is stopped in `finally`.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import type {Plan} from '../../src/plan/types.js'
import {readJournal as readValidJournal} from '../../src/apply/journal.js'
import {clusterEndpoints, stopAllMembers} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {startWriter, type Writer} from '../../lab/writer.js'
import {E2E_TIMEOUTS, RUNBOOK_JOIN, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {stopLeakedEtcd} from '../fixtures/leaked-etcd.js'
import {startFailpointHook, type FailpointCall, type FailpointHook} from '../fixtures/failpoint-hook.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, assertJournalComplete, explain, observeLive} from './migration-assertions.js'

const NAME = 'killed'
const KEYS = {count: 5000, valueBytes: 1024, prefix: '/e2e/killed/keys/'}

/** The points inside a step, in the order the applier passes them. A journal write is named by the point before it. */
const POINTS = ['before-step', 'journal-write:before-step', 'step-running', 'after-action', 'before-journal', 'journal-write:before-journal'] as const

test('apply SIGKILLed at every step boundary and every point inside every step still ends exactly at the target with nothing lost', {timeout: 1_200_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-kill-'))
  let spec: Spec | null = null
  let writer: Writer | null = null
  let hook: FailpointHook | null = null
  try {
    const hosts = await pickLoopbackHosts(6)
    const members = namedMembers('etcd', hosts)
    const hostsFile = join(dir, 'hosts')
    await writeFile(hostsFile, members.slice(0, 3).map((m) => `${m.host}\tetcd.killed.test`).join('\n') + '\n')
    const started = await startedSpecCluster(
      {
        name: NAME,
        dir,
        source: members.slice(0, 3),
        target: members.slice(3),
        join: RUNBOOK_JOIN,
        dns: {name: 'etcd.killed.test', switch: {via: 'hosts-file', file: hostsFile}, verify: true},
        timeouts: E2E_TIMEOUTS,
      },
      KEYS,
    )
    spec = started.spec
    const s = spec
    const specURLs = clusterEndpoints(s)
    const knownPeers = new Set([...s.source.members, ...s.target.members].map((m) => m.peerURL))

    const planFile = join(dir, 'killed.plan.json')
    const planned = await runCliAsync(['plan', started.path, '-o', planFile], {cwd: dir, timeoutMs: 60_000})
    assert.equal(planned.status, 0, explain(planned))
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan
    const schedule = plan.steps.flatMap((step) => POINTS.map((point) => `${point} ${step.id}`))
    const order = new Map(schedule.map((key, i) => [key, i]))

    hook = await startFailpointHook(dir)
    writer = startWriter(specURLs, {intervalMs: 20, prefix: '/e2e/killed/writer/'})
    const journalPath = join(dir, '.etcdplan', NAME, 'state.json')

    let next = 0
    const killedAt: string[] = []
    let finished = null
    for (let run = 1; run <= schedule.length + 5; run++) {
      let last = {point: '', step: ''}
      let killed: string | null = null
      hook.decide = (call: FailpointCall) => {
        // A journal write is named by the point that preceded it: "inside the write that marks the step done" is one place.
        const point = call.point === 'journal-write' ? `journal-write:${last.point}` : call.point
        last = {point, step: call.point === 'journal-write' ? last.step : call.step}
        const key = `${point} ${last.step}`
        const index = order.get(key)
        if (killed !== null || index === undefined || index < next) return 'continue'
        killed = key
        next = index + 1
        return 'kill'
      }
      const result = await runCliAsync(['apply', planFile, '--json'], {cwd: dir, env: hook.env, timeoutMs: 240_000})
      if (killed === null) {
        assert.equal(result.status, 0, `run ${run} was not killed and did not finish:\n${explain(result)}`)
        finished = result
        break
      }
      assert.equal(result.signal, 'SIGKILL', `run ${run} should have been killed at ${killed}:\n${explain(result)}`)
      killedAt.push(killed)
      await assertSafeAfterKill(journalPath, specURLs, knownPeers, killed)
      await clearStaleLock(dir, journalPath)
    }
    assert.ok(finished !== null, `the migration did not finish after ${schedule.length + 5} runs`)
    const figures = await writer.stop()
    writer = null

    const byPoint = new Map<string, number>()
    for (const key of killedAt) byPoint.set(key.split(' ')[0]!, (byPoint.get(key.split(' ')[0]!) ?? 0) + 1)
    t.diagnostic(`kill points tried: ${killedAt.length} (${[...byPoint].map(([p, n]) => `${p} ${n}`).join(', ')}) over ${plan.steps.length} steps; writer: ${figures.acknowledged} acknowledged, ${figures.failedAttempts} failed attempts`)
    // Every step was killed at its boundary and at least twice inside it.
    for (const step of plan.steps) {
      const inside = killedAt.filter((key) => key.endsWith(` ${step.id}`) && !key.startsWith('before-step '))
      assert.ok(killedAt.includes(`before-step ${step.id}`), `never killed at the boundary before ${step.id}`)
      assert.ok(inside.length >= 2, `killed inside ${step.id} only ${inside.length} time(s): ${inside.join(', ')}`)
    }

    const targetURLs = s.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, s.target.members)
    await assertDataIntact(targetURLs, KEYS, figures)
    await assertConfigsMatchPlan(plan, s.target.members)
    assertJournalComplete(JSON.parse(await readFile(journalPath, 'utf8')), plan)
    // The temp files of the journal writes killed before their rename were cleared by the next apply.
    assert.deepEqual((await readdir(join(dir, '.etcdplan', NAME))).filter((f) => f.endsWith('.tmp')), [])
    assert.match(await readFile(hostsFile, 'utf8'), new RegExp(s.target.members.map((m) => m.host.replaceAll('.', '\\.')).join('[\\s\\S]*')))
  } finally {
    try {
      if (writer !== null) await writer.stop()
      await hook?.close()
      if (spec !== null) await stopAllMembers(spec)
    } finally {
      const leaked = await stopLeakedEtcd(dir)
      await rm(dir, {recursive: true, force: true})
      if (leaked.length > 0) t.diagnostic(`stopped etcd processes left without a pid file: ${leaked.join(', ')}`)
    }
  }
})

/**
 * What must hold the moment apply dies, wherever: the journal is a whole journal (a kill inside its
 * write leaves the previous version), the cluster keeps a leader, no member outside the spec, at most
 * one learner (etcd's rule; a second add-learner would be refused, but it must not even be tried).
 */
async function assertSafeAfterKill(journalPath: string, urls: readonly string[], knownPeers: ReadonlySet<string>, killedAt: string): Promise<void> {
  if (existsSync(journalPath)) {
    const journal = await readValidJournal(journalPath)
    assert.ok(journal !== null && journal.steps.length > 0, `after the kill at ${killedAt} the journal is not whole`)
  }
  // A kill right after a MoveLeader or a restart can land in the election that follows: a leader
  // must be there within a few seconds, not necessarily at this instant.
  let cluster = await observeLive(urls)
  for (let tries = 0; cluster.leaderId === null && tries < 20; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    cluster = await observeLive(urls)
  }
  assert.ok(cluster.leaderId !== null, `after the kill at ${killedAt} the cluster has no leader`)
  const unknown = cluster.members.filter((m) => !m.peerURLs.some((url) => knownPeers.has(url)))
  assert.deepEqual(unknown, [], `after the kill at ${killedAt} the cluster has members the spec does not name`)
  assert.ok(cluster.members.filter((m) => m.isLearner).length <= 1, `after the kill at ${killedAt} the cluster has more than one learner`)
}

/** A killed apply leaves its lock behind; like an operator, clear it with force-unlock (its pid is dead). */
async function clearStaleLock(dir: string, journalPath: string): Promise<void> {
  const lockPath = `${journalPath}.lock`
  if (!existsSync(lockPath)) return
  const {id} = JSON.parse(await readFile(lockPath, 'utf8')) as {id: string}
  const result = await runCliAsync(['force-unlock', id, '--state', journalPath, '--force'], {cwd: dir, timeoutMs: 60_000})
  assert.equal(result.status, 0, explain(result))
}
