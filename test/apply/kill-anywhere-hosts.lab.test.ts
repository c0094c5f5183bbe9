// End to end on the lab of separate hosts (real sshd, real etcd 3.4 inside network namespaces, the
// ssh provider): the runbook's join (etcd1..3 on host a → etcd4..6 on host b, learners, add-first,
// rolling restart) with keys loaded and a writer putting a key every 20 ms, `etcdplan apply PLAN`
// SIGKILLed again and again. A lab and cluster per kill would take minutes each, so the sample is a
// CHAIN over one migration: the first apply is killed at the first point of the schedule, a new
// apply of the same plan (same spec, same journal) resumes and is killed at the next point, and so
// on, until an apply runs to the end. The schedule is every step boundary (`before-step`) and the
// `after-action` failpoint of every host action (write-config, start-member, stop-member,
// restart-member, rewrite-config: the node action is done on the host, the step has not verified or
// journaled it): 50 points over 35 steps, about a minute of applies here, so one chain on one lab
// and cluster covers them all. One point is not a kill: after start-member/etcd5's start the
// hook answers `lose-reply` (etcd runs on host b, the applier gets a dropped connection instead of
// the answer); the step fails resumably, and the next apply must see etcd5 running and not start
// it a second time (its pid stays, it has no second process).
//
// After every kill: the journal on disk is whole; on each host at most one etcd per member (counted
// from the processes in the host's network namespace); no temp file of a config or pid-file write
// in the hosts' /etc/etcd or /var/lib/etcdplan. At the end: exactly the target, every key and
// acknowledged write, host b's configs as planned, the journal complete, no etcd left on host a and
// one per member on host b; the final apply's ssh ControlMaster connections ended with it (its
// control dir is gone), and those of the killed applies end by themselves (ControlPersist=30): no
// ssh master of any of the applies is left running. Every apply runs with a short TMPDIR of this
// test's own, so its control sockets (and their masters' command lines) are told apart from other tests'.
import {test, type TestContext} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import type {Plan, Step} from '../../src/plan/types.js'
import type {Spec} from '../../src/spec/types.js'
import {readJournal as readValidJournal} from '../../src/apply/journal.js'
import {namespacePidsSync} from '../../lab/lab-network.js'
import type {Lab} from '../../lab/netns-lab.js'
import {startWriter, type Writer, type WriterFigures} from '../../lab/writer.js'
import {E2E_TIMEOUTS, RUNBOOK_JOIN} from '../fixtures/lab-cluster.js'
import {startHostsCluster, type HostsCluster} from '../fixtures/hosts-cluster.js'
import {startFailpointHook, type FailpointAnswer, type FailpointCall, type FailpointHook} from '../fixtures/failpoint-hook.js'
import {clearStaleLock, jsonEvents, runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, assertJournalComplete, explain} from './migration-assertions.js'

const KEYS = {count: 2000, valueBytes: 512, prefix: '/e2e/killhosts/keys/'}
/** The step kinds that act on a member's host through the node provider (onHost). */
const HOST_ACTIONS: ReadonlySet<Step['kind']> = new Set(['write-config', 'start-member', 'stop-member', 'restart-member', 'rewrite-config'])
/** Not a kill: the start took effect on host b, its reply is lost. */
const LOST_REPLY_AT = 'after-action start-member/etcd5'
/** How long the masters of killed applies may outlive them: ControlPersist=30 (src/nodes/ssh/ssh-argv.ts), and some slack on a busy machine. */
const MASTERS_GONE_WITHIN_MS = 60_000

interface KillPoint {
  readonly key: string
  readonly answer: FailpointAnswer
}

/** Every step's boundary and, for a host action, its after-action point, in plan order. */
function killSchedule(plan: Plan): KillPoint[] {
  return plan.steps.flatMap((step) => {
    const points = [`before-step ${step.id}`, ...(HOST_ACTIONS.has(step.kind) ? [`after-action ${step.id}`] : [])]
    return points.map((key) => ({key, answer: key === LOST_REPLY_AT ? 'lose-reply' : 'kill'}) as KillPoint)
  })
}

interface ChainResult {
  readonly plan: Plan
  /** The points where an apply was killed (or its reply lost), in order. */
  readonly hit: readonly string[]
  /** The points no apply passed (a host action a step did not need: a removed member that shut itself down). */
  readonly notReached: readonly string[]
  readonly runs: number
  readonly durationMs: number
}

test('ssh join across hosts, apply SIGKILLed at every step boundary and after every host action in one chain of resumes: exactly the target, nothing lost, no second etcd, no ssh master left', {timeout: 900_000}, async (t) => {
  await killChainOnHosts(t, 'killhosts')
})

/** One lab, one cluster, one migration; the chain of applies killed at the points of the schedule. */
async function killChainOnHosts(t: TestContext, name: string): Promise<void> {
  let cluster: HostsCluster | null = null
  let hook: FailpointHook | null = null
  let writer: Writer | null = null
  let cliTmp: string | null = null
  try {
    cluster = await startHostsCluster({name, spec: {join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS}, keys: KEYS})
    const {spec, lab, specPath, dir} = cluster
    hook = await startFailpointHook(dir)
    // Short, so that the control sockets below it fit a unix socket path (ssh-argv.ts), and the applies' own.
    cliTmp = await mkdtemp('/tmp/etcdplan-kh-')
    const planFile = join(dir, `${name}.plan.json`)
    const planned = await runCliAsync(['plan', specPath, '-o', planFile], {cwd: dir, timeoutMs: 120_000})
    assert.equal(planned.status, 0, explain(planned))
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan
    const points = killSchedule(plan)

    const allURLs = [...spec.source.members, ...spec.target.members].map((m) => m.clientURL)
    writer = startWriter(allURLs, {intervalMs: 20, prefix: `/e2e/${name}/writer/`})
    const chain = await runChain({dir, spec, plan, planFile, hook, lab, cliTmp, points})
    const figures: WriterFigures = await writer.stop()
    writer = null
    t.diagnostic(`${points.length} points over ${plan.steps.length} steps in ${chain.runs} applies, ${Math.round(chain.durationMs / 1000)} s; hit: ${chain.hit.join(', ')}`)
    if (chain.notReached.length > 0) t.diagnostic(`not reached (no host action needed there): ${chain.notReached.join(', ')}`)
    t.diagnostic(`writer: ${figures.acknowledged} acknowledged, ${figures.failedAttempts} failed attempts, max stall ${Math.round(figures.maxStallMs)} ms`)

    // Every boundary was a kill; so was every host action a step had to do.
    for (const point of points) {
      if (point.key.startsWith('before-step ')) assert.ok(chain.hit.includes(point.key), `never killed at ${point.key}`)
    }
    // A removed member shuts itself down, so stop-member usually has nothing to do on the host.
    const unreachedActions = chain.notReached.filter((key) => !key.startsWith('after-action stop-member/'))
    assert.deepEqual(unreachedActions, [], 'host actions no apply passed (only a stop-member may need none: a removed member shuts itself down)')

    const targetURLs = spec.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, spec.target.members)
    await assertDataIntact(targetURLs, KEYS, figures)
    const hostB = lab.host('b')
    await assertConfigsMatchPlan(plan, spec.target.members, (m) => readFile(hostB.rootOf(m.configFile), 'utf8'))
    const journalPath = join(dir, '.etcdplan', plan.name, 'state.json')
    assertJournalComplete(JSON.parse(await readFile(journalPath, 'utf8')), plan)
    assert.deepEqual((await readdir(dirname(journalPath))).filter((f) => f.includes('.tmp')), [], 'journal temp files left behind')

    const etcd = etcdOnHosts(lab)
    assert.deepEqual(etcd.get('a') ?? {}, {}, 'etcd still runs on host a')
    assert.deepEqual(Object.keys(etcd.get('b') ?? {}).sort(), spec.target.members.map((m) => m.configFile).sort(), 'not exactly one etcd per target member on host b')
    assertNoHostTempFiles(lab, 'at the end')

    // The killed applies' masters end by themselves (ControlPersist): none is left.
    const waited = await waitForNoMasters(cliTmp, MASTERS_GONE_WITHIN_MS)
    t.diagnostic(`ssh masters of the killed applies all gone ${Math.round(waited / 1000)} s after the last apply; control dirs the killed applies left in TMPDIR: ${readdirSync(cliTmp).length}`)
  } finally {
    await writer?.stop()
    await hook?.close()
    await cluster?.close()
    if (cliTmp !== null) await rm(cliTmp, {recursive: true, force: true})
  }
}

interface ChainInput {
  readonly dir: string
  readonly spec: Spec
  readonly plan: Plan
  readonly planFile: string
  readonly hook: FailpointHook
  readonly lab: Lab
  readonly cliTmp: string
  readonly points: readonly KillPoint[]
}

/**
 * `apply PLAN` again and again, each run stopped at the first point of `points` at or after the next
 * one (a kill, or a lost reply), until a run passes none and finishes. After each stopped run: the
 * journal is whole, the hosts hold no second etcd of a member and no temp file, and a killed run's
 * stale lock is cleared as an operator would.
 */
async function runChain(input: ChainInput): Promise<ChainResult> {
  const {dir, plan, planFile, hook, lab, cliTmp, points} = input
  const order = new Map(points.map((point, i) => [point.key, i]))
  const journalPath = join(dir, '.etcdplan', plan.name, 'state.json')
  const passed = new Set<string>()
  const hit: string[] = []
  let next = 0
  let lostReply: {member: string; pid: number} | null = null
  const started = Date.now()
  for (let run = 1; run <= points.length + 3; run++) {
    let stopped: KillPoint | null = null
    const calls: string[] = []
    hook.decide = (call: FailpointCall) => {
      if (call.point === 'journal-write') return 'continue'
      const key = `${call.point} ${call.step}`
      calls.push(key)
      passed.add(key)
      const index = order.get(key)
      if (stopped !== null || index === undefined || index < next) return 'continue'
      stopped = points[index]!
      next = index + 1
      return stopped.answer
    }
    const dirsBefore = new Set(readdirSync(cliTmp))
    const result = await runCliAsync(['apply', planFile, '--json'], {cwd: dir, env: {...hook.env, TMPDIR: cliTmp}, timeoutMs: 300_000})
    if (lostReply !== null) {
      // The run after the lost reply: the start is observed, never done again.
      assertObservedNotRedone(result, calls, lostReply, lab, configFileOf(input.spec, lostReply.member))
      lostReply = null
    }
    const point = stopped as KillPoint | null
    if (point === null) {
      assert.equal(result.status, 0, `run ${run} passed no kill point and did not finish:\n${explain(result)}`)
      const leftDirs = readdirSync(cliTmp).filter((d) => !dirsBefore.has(d))
      assert.deepEqual(leftDirs, [], 'the finished apply left its ssh control dir (its masters were not closed)')
      const notReached = points.map((p) => p.key).filter((key) => !passed.has(key))
      return {plan, hit, notReached, runs: run, durationMs: Date.now() - started}
    }
    hit.push(point.key)
    if (point.answer === 'kill') {
      assert.equal(result.signal, 'SIGKILL', `run ${run} should have been killed at ${point.key}:\n${explain(result)}`)
    } else {
      assert.notEqual(result.status, 0, `run ${run}: the reply lost at ${point.key} should fail the step:\n${explain(result)}`)
      const failed = jsonEvents(result.stdout).filter((e) => e.type === 'step-failed')
      assert.deepEqual(failed.map((e) => e.id), [point.key.split(' ')[1]], explain(result))
      assert.match(String(failed[0]!.error), /reply lost/, explain(result))
      const member = point.key.split('/')[1]!
      const pids = etcdOnHosts(lab).get('b')?.[configFileOf(input.spec, member)] ?? []
      lostReply = {member, pid: pids[0] ?? -1}
    }
    await assertJournalWhole(journalPath, point.key)
    assertAtMostOneEtcd(lab, point.key)
    assertNoHostTempFiles(lab, `after the kill at ${point.key}`)
    await clearStaleLock(dir, journalPath)
  }
  assert.fail(`the migration did not finish after ${points.length + 3} runs`)
}

function configFileOf(spec: Spec, member: string): string {
  const found = spec.target.members.find((m) => m.name === member)
  assert.ok(found !== undefined, `the spec has no target member ${member}`)
  return found.configFile
}

/** After a lost reply of a start: the next run found etcd running (same pid, one process) and did not start it again. */
function assertObservedNotRedone(result: AsyncCliResult, calls: readonly string[], lost: {member: string; pid: number}, lab: Lab, configFile: string): void {
  const stepId = `start-member/${lost.member}`
  assert.ok(lost.pid > 0, `no etcd of ${lost.member} ran on host b after its start's reply was lost`)
  assert.ok(!calls.includes(`after-action ${stepId}`), `the run after the lost reply started ${lost.member} again`)
  const done = jsonEvents(result.stdout).find((e) => e.type === 'step-done' && e.id === stepId)
  assert.ok(done !== undefined, `the run after the lost reply did not finish ${stepId}:\n${explain(result)}`)
  assert.match(String(done.outcome), /already running/, `${stepId} should have observed the running etcd`)
  const now = etcdOnHosts(lab).get('b')?.[configFile] ?? []
  assert.ok(now.length <= 1 && (now.length === 0 || now[0] === lost.pid), `${lost.member} has pids ${now.join(', ')} on host b, not only ${lost.pid}`)
}

/**
 * The etcd processes of each lab host, by the config file they run: host name → config path → pids.
 * A host is a network and mount namespace (not a pid namespace): its processes are the ones
 * `ip netns pids` lists for its namespace, read in this machine's /proc.
 */
function etcdOnHosts(lab: Lab): Map<string, Record<string, number[]>> {
  const byHost = new Map<string, Record<string, number[]>>()
  for (const host of lab.hosts) {
    const configs: Record<string, number[]> = {}
    for (const pid of namespacePidsSync(host.namespace)) {
      let argv: string[]
      try {
        argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      } catch {
        continue
      }
      if (basename(argv[0] ?? '') !== 'etcd') continue
      const at = argv.indexOf('--config-file')
      const config = at === -1 ? `(no config file: ${argv.join(' ')})` : (argv[at + 1] ?? '')
      ;(configs[config] ??= []).push(pid)
    }
    byHost.set(host.name, configs)
  }
  return byHost
}

function assertAtMostOneEtcd(lab: Lab, killedAt: string): void {
  for (const [host, configs] of etcdOnHosts(lab)) {
    const twice = Object.entries(configs).filter(([, pids]) => pids.length > 1)
    assert.deepEqual(twice, [], `after the kill at ${killedAt} host ${host} runs a member's etcd more than once`)
  }
}

/** No temp file of an atomic write (`*.etcdplan-PID.tmp`, `*.part`) in the hosts' own /etc/etcd or /var/lib/etcdplan. */
function assertNoHostTempFiles(lab: Lab, when: string): void {
  for (const host of lab.hosts) {
    for (const root of ['/etc/etcd', '/var/lib/etcdplan']) {
      const dir = host.rootOf(root)
      if (!existsSync(dir)) continue
      const temp = (readdirSync(dir, {recursive: true}) as string[]).filter((f) => /\.tmp|\.part$/.test(f))
      assert.deepEqual(temp, [], `${when}: temp files left in host ${host.name}'s ${root}`)
    }
  }
}

/** The processes whose command line names a path below cliTmp: the ssh masters (and clients) of the applies. */
function sshOfApplies(cliTmp: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(cliTmp)) pids.push(Number(entry))
    } catch {
      // gone
    }
  }
  return pids
}

/** Waits until no ssh of the applies runs; the time it took. Fails naming them if some outlive `ms`. */
async function waitForNoMasters(cliTmp: string, ms: number): Promise<number> {
  const started = Date.now()
  for (;;) {
    const left = sshOfApplies(cliTmp)
    if (left.length === 0) return Date.now() - started
    if (Date.now() - started > ms) {
      const lines = left.map((pid) => `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`)
      assert.fail(`ssh masters of the applies still run ${ms / 1000} s after the last one:\n${lines.join('\n')}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

/** A kill inside a journal write leaves the previous version: the journal on disk is always whole. */
async function assertJournalWhole(journalPath: string, killedAt: string): Promise<void> {
  if (!existsSync(journalPath)) return
  const journal = await readValidJournal(journalPath)
  assert.ok(journal !== null && journal.steps.length > 0, `after the kill at ${killedAt} the journal is not whole`)
}

