// End to end, against real etcd on loopback: `etcdplan apply` SIGKILLed at every step boundary and
// at every point inside every step, then run again, until the migration finishes. On 3.4.23, two
// migrations: the runbook's join 3 → 3 (disjoint, learners, add-first, DNS via a hosts file, rolling
// restart) with 5,000 keys loaded and a writer putting a key every 20 ms throughout, and the same
// 3 → 3 by snapshot and restore (no writer: writes after the snapshot are lost by design). On 3.5,
// the join under a writer killed at a sample (SAMPLED_35: the steps whose etcd behaviour differs
// between releases — learner add and promotion, start, leader transfer, removal, restart, verify —
// at the points where a step has acted but not recorded it), to keep CI time down.
//
// The failpoint hook (src/apply/failpoint.ts) reports every point the applier passes; the test
// answers "kill" at the first point at or after the next one in the schedule, so the kills walk the
// whole plan: for each step, before it starts (the boundary), inside the journal write that marks it
// running, once it is marked running, right after its etcd call or node action, once it has verified
// its result but before the journal records it, and inside that journal write (the snapshot sweep:
// the boundary, after the action, before and inside the journal write). After every kill: the
// journal on disk is a whole, valid journal (never truncated), a cluster has a leader, no member
// outside the spec, and never more than one learner. At the end: exactly the target members, all
// started voters, no learner; every key (and every acknowledged write) readable; DNS switched; the
// journal complete. Every etcd started here is stopped in `finally`.
import {test, type TestContext} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, readdir, readFile, writeFile} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import type {Plan} from '../../src/plan/types.js'
import {readJournal as readValidJournal} from '../../src/apply/journal.js'
import {ClusterUnreachableError} from '../../src/cluster/observe-cluster.js'
import {clusterEndpoints, localProvider} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {ETCD_34, etcd35} from '../../lab/etcd-versions.js'
import {namedMembers, type LabMember} from '../../lab/migration-spec.js'
import {startWriter} from '../../lab/writer.js'
import {E2E_TIMEOUTS, RUNBOOK_JOIN, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {cleanUpLab} from '../fixtures/leaked-etcd.js'
import {startFailpointHook, type FailpointCall, type FailpointHook} from '../fixtures/failpoint-hook.js'
import {clearStaleLock, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, assertJournalComplete, explain, observeLive} from './migration-assertions.js'

const NAME = 'killed'
const KEYS = {count: 5000, valueBytes: 1024, prefix: '/e2e/killed/keys/'}

/** The points inside a step, in the order the applier passes them. A journal write is named by the point before it. */
const POINTS = ['before-step', 'journal-write:before-step', 'step-running', 'after-action', 'before-journal', 'journal-write:before-journal'] as const

/**
 * For the second sweep, the boundary and the points where a step has done its work but not recorded
 * it (the ones a resume must get right); the others add nothing the join sweep does not already
 * prove about the journal, and keep the suite under 10 minutes.
 */
const ACTED_POINTS = ['before-step', 'after-action', 'before-journal', 'journal-write:before-journal'] as const

/** The 3.5 sample: step ids (of the join 3 → 3) killed at ACTED_POINTS. */
const SAMPLED_35 = ['add-learner/etcd4', 'start-member/etcd4', 'promote/etcd4', 'move-leader/etcd1', 'remove-member/etcd1', 'restart-member/etcd6', 'verify'] as const

interface KillSweep {
  /** Every kill, as "point step-id", in order. */
  readonly killedAt: readonly string[]
  readonly plan: Plan
}

/**
 * Plans the spec into a plan file, then runs `apply PLAN` again and again, each run killed at the
 * first failpoint at or after the next one in the schedule (every point of every step, in order),
 * until a run is not killed and finishes. After every kill: `afterKill`, then the stale lock is
 * cleared as an operator would.
 */
async function killAtEveryPoint(dir: string, specPath: string, hook: FailpointHook, points: readonly string[], afterKill: (killedAt: string) => Promise<void>, steps?: readonly string[]): Promise<KillSweep> {
  const planFile = join(dir, 'killed.plan.json')
  const planned = await runCliAsync(['plan', specPath, '-o', planFile], {cwd: dir, timeoutMs: 60_000})
  assert.equal(planned.status, 0, explain(planned))
  const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan
  // Every step, or (a sample) only these; a sampled step id the plan lacks is a broken test, not a smaller sample.
  for (const id of steps ?? []) assert.ok(plan.steps.some((step) => step.id === id), `the plan has no step ${id}`)
  const swept = plan.steps.filter((step) => steps === undefined || steps.includes(step.id))
  const schedule = swept.flatMap((step) => points.map((point) => `${point} ${step.id}`))
  const journalPath = join(dir, '.etcdplan', plan.name, 'state.json')
  // The points not killed at yet. Each run is killed at the first of them it passes: in a plain walk
  // that is the next in the schedule; steps that run together (parallel-steps.ts) pass theirs
  // interleaved, and a sibling's point is taken when it comes, before that sibling can finish.
  const remaining = new Set(schedule)
  const killedAt: string[] = []
  for (let run = 1; run <= schedule.length + 5; run++) {
    // The last point each step passed (a journal write is named by it).
    const lastPoint = new Map<string, string>()
    let killed: string | null = null
    hook.decide = (call: FailpointCall) => {
      // A journal write is named by the point its step passed before it: "inside the write that
      // marks the step done" is one place. The applier names the step of each write.
      const point = call.point === 'journal-write' ? `journal-write:${lastPoint.get(call.step) ?? ''}` : call.point
      lastPoint.set(call.step, point)
      const key = `${point} ${call.step}`
      if (killed !== null || !remaining.has(key)) return 'continue'
      killed = key
      remaining.delete(key)
      return 'kill'
    }
    const result = await runCliAsync(['apply', planFile, '--json'], {cwd: dir, env: hook.env, timeoutMs: 240_000})
    if (killed === null) {
      assert.equal(result.status, 0, `run ${run} was not killed and did not finish:\n${explain(result)}`)
      // Every step was killed at its boundary and at least twice inside it.
      for (const step of swept) {
        const inside = killedAt.filter((key) => key.endsWith(` ${step.id}`) && !key.startsWith('before-step '))
        assert.ok(killedAt.includes(`before-step ${step.id}`), `never killed at the boundary before ${step.id}`)
        assert.ok(inside.length >= 2, `killed inside ${step.id} only ${inside.length} time(s): ${inside.join(', ')}`)
      }
      assertJournalComplete(JSON.parse(await readFile(journalPath, 'utf8')), plan)
      // The temp files of the journal writes killed before their rename were cleared by the next apply.
      assert.deepEqual((await readdir(dirname(journalPath))).filter((f) => f.endsWith('.tmp')), [])
      return {killedAt, plan}
    }
    assert.equal(result.signal, 'SIGKILL', `run ${run} should have been killed at ${killed}:\n${explain(result)}`)
    killedAt.push(killed)
    await assertJournalWhole(journalPath, killed)
    await afterKill(killed)
    await clearStaleLock(dir, journalPath)
  }
  assert.fail(`the migration did not finish after ${schedule.length + 5} runs`)
}

function describeKills(sweep: KillSweep): string {
  const byPoint = new Map<string, number>()
  for (const key of sweep.killedAt) byPoint.set(key.split(' ')[0]!, (byPoint.get(key.split(' ')[0]!) ?? 0) + 1)
  return `kill points tried: ${sweep.killedAt.length} (${[...byPoint].map(([p, n]) => `${p} ${n}`).join(', ')}) over ${sweep.plan.steps.length} steps`
}

/** The hosts file names exactly the target members' addresses, in order. */
async function assertDnsSwitched(hostsFile: string, spec: Spec): Promise<void> {
  assert.match(await readFile(hostsFile, 'utf8'), new RegExp(spec.target.members.map((m) => m.host.replaceAll('.', '\\.')).join('[\\s\\S]*')))
}

async function withKillLab(t: TestContext, prefix: string, body: (lab: {dir: string; hostsFile: string; setSpec(spec: Spec): void; hook: FailpointHook}) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  let spec: Spec | null = null
  let hook: FailpointHook | null = null
  try {
    hook = await startFailpointHook(dir)
    await body({dir, hostsFile: join(dir, 'hosts'), setSpec: (s) => (spec = s), hook})
  } finally {
    try {
      await hook?.close()
    } finally {
      await cleanUpLab(t, dir, spec)
    }
  }
}

async function writeHostsFile(path: string, name: string, members: readonly LabMember[]): Promise<void> {
  await writeFile(path, members.map((m) => `${m.host}\t${name}`).join('\n') + '\n')
}

test('join: apply SIGKILLed at every step boundary and every point inside every step still ends exactly at the target with nothing lost', {timeout: 1_200_000}, async (t) => {
  await joinSweep(t, ETCD_34.etcd, POINTS)
})

test('join on etcd 3.5: apply SIGKILLed at a sample of steps, where each has acted but not recorded it, still ends exactly at the target with nothing lost', {timeout: 600_000}, async (t) => {
  await joinSweep(t, etcd35().etcd, ACTED_POINTS, SAMPLED_35)
})

async function joinSweep(t: TestContext, etcd: string, points: readonly string[], steps?: readonly string[]): Promise<void> {
  await withKillLab(t, 'etcdplan-e2e-kill-', async ({dir, hostsFile, setSpec, hook}) => {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    await writeHostsFile(hostsFile, 'etcd.killed.test', members.slice(0, 3))
    const started = await startedSpecCluster(
      {name: NAME, dir, source: members.slice(0, 3), target: members.slice(3), join: RUNBOOK_JOIN, dns: {name: 'etcd.killed.test', switch: {via: 'hosts-file', file: hostsFile}, verify: true}, timeouts: E2E_TIMEOUTS, etcd},
      KEYS,
    )
    const s = started.spec
    setSpec(s)
    const specURLs = clusterEndpoints(s)
    const everyone = {urls: specURLs, peers: new Set([...s.source.members, ...s.target.members].map((m) => m.peerURL))}
    const writer = startWriter(specURLs, {intervalMs: 20, prefix: '/e2e/killed/writer/'})
    let figures
    try {
      const sweep = await killAtEveryPoint(dir, started.path, hook, points, (killedAt) => assertClustersSafe([everyone], killedAt), steps)
      figures = await writer.stop()
      t.diagnostic(`${describeKills(sweep)}; writer: ${figures.acknowledged} acknowledged, ${figures.failedAttempts} failed attempts`)
      const targetURLs = s.target.members.map((m) => m.clientURL)
      await assertExactMembership(targetURLs, s.target.members)
      await assertDataIntact(targetURLs, KEYS, figures)
      await assertConfigsMatchPlan(sweep.plan, s.target.members)
      await assertDnsSwitched(hostsFile, s)
    } finally {
      if (figures === undefined) await writer.stop()
    }
  })
}

test('snapshot: apply SIGKILLed at every step boundary and at least twice inside every step still ends exactly at the target with nothing lost', {timeout: 1_200_000}, async (t) => {
  await withKillLab(t, 'etcdplan-e2e-killsnap-', async ({dir, hostsFile, setSpec, hook}) => {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    await writeHostsFile(hostsFile, 'etcd.killsnap.test', members.slice(0, 3))
    // No writer: a snapshot migration loses writes made after the snapshot, and verify-data refuses then.
    const started = await startedSpecCluster(
      {name: 'killsnap', dir, strategy: 'snapshot', source: members.slice(0, 3), target: members.slice(3), dns: {name: 'etcd.killsnap.test', switch: {via: 'hosts-file', file: hostsFile}, verify: true}, timeouts: E2E_TIMEOUTS},
      KEYS,
    )
    const s = started.spec
    setSpec(s)
    const sourceURLs = s.source.members.map((m) => m.clientURL)
    const targetURLs = s.target.members.map((m) => m.clientURL)
    const sourceClusterId = (await observeLive(sourceURLs)).clusterId
    // Two clusters: the old one until its members stop, the restored one once a quorum of it runs.
    const clusters = [
      {urls: sourceURLs, peers: new Set(s.source.members.map((m) => m.peerURL))},
      {urls: targetURLs, peers: new Set(s.target.members.map((m) => m.peerURL))},
    ]
    const sweep = await killAtEveryPoint(dir, started.path, hook, ACTED_POINTS, (killedAt) => assertClustersSafe(clusters, killedAt))
    t.diagnostic(describeKills(sweep))
    const after = await assertExactMembership(targetURLs, s.target.members)
    assert.notEqual(after.clusterId, sourceClusterId, 'a restored cluster has a new cluster ID')
    await assertDataIntact(targetURLs, KEYS)
    const provider = localProvider(s)
    for (const old of s.source.members) assert.equal(await provider.isRunning(old), false, `${old.name} still runs`)
    await assertDnsSwitched(hostsFile, s)
  })
})

/** A kill inside a journal write leaves the previous version: the journal on disk is always whole. */
async function assertJournalWhole(journalPath: string, killedAt: string): Promise<void> {
  if (!existsSync(journalPath)) return
  const journal = await readValidJournal(journalPath)
  assert.ok(journal !== null && journal.steps.length > 0, `after the kill at ${killedAt} the journal is not whole`)
}

/**
 * What must hold the moment apply dies, wherever: a cluster keeps a leader (of the two of a snapshot
 * migration, one always runs), and every cluster that answers has no member outside its side of the
 * spec and at most one learner (etcd's rule; a second add-learner must not even be tried).
 */
async function assertClustersSafe(clusters: ReadonlyArray<{urls: readonly string[]; peers: ReadonlySet<string>}>, killedAt: string): Promise<void> {
  const observeAll = () => Promise.all(clusters.map(({urls}) => observeLive(urls).catch((error: unknown) => (error instanceof ClusterUnreachableError ? null : Promise.reject(error)))))
  // A kill right after a MoveLeader or a restart can land in the election that follows: a leader
  // must be there within a few seconds, not necessarily at this instant.
  let observed = await observeAll()
  for (let tries = 0; !observed.some((c) => c?.leaderId != null) && tries < 20; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    observed = await observeAll()
  }
  assert.ok(observed.some((c) => c?.leaderId != null), `after the kill at ${killedAt} no cluster has a leader`)
  observed.forEach((cluster, i) => {
    if (cluster === null) return
    const unknown = cluster.members.filter((m) => !m.peerURLs.some((url) => clusters[i]!.peers.has(url)))
    assert.deepEqual(unknown, [], `after the kill at ${killedAt} a cluster has members the spec does not name there`)
    assert.ok(cluster.members.filter((m) => m.isLearner).length <= 1, `after the kill at ${killedAt} a cluster has more than one learner`)
  })
}

