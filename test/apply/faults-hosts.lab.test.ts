// Faults on the lab of separate hosts (real sshd, real etcd 3.4 inside network namespaces; no mocks):
// the runbook's layout (etcd1..3 on host A, etcd4..6 to host B, nodes.provider ssh), `etcdplan apply`
// run outside the hosts, and the host side failing under it. Proves, for each fault:
// - the ssh master connection to host B killed (SIGKILL, found by its control socket in this apply's
//   own TMPDIR) while start-member/etcd5 runs its round trip on B, and separately B's sshd stopped
//   (every session dropped) for ~3 s at the same moment: the apply either rides it out (exit 0, the
//   exact target) or stops resumable at that step (exit 1, the journal stops there, nothing beyond),
//   and a second apply finishes to the exact target with every key — never half-done;
// - host B unreachable (its link down) before the apply: refused in the preflight, before the first
//   change, with a message naming B's address and no stack trace; the member list and every source
//   member's raft index are as before, no learner was added;
// - host B's key in known_hosts replaced by another key: refused with the host-key message and what
//   to do, nothing changed, and known_hosts left as it was (etcdplan never writes it);
// - host B's link cut while wait-caught-up/etcd4 runs: the wait times out after timeouts.catchUp
//   (15 s) naming etcd4, no step beyond is taken (journal), and after the link is up again the
//   same apply finishes.
// Every etcd and sshd started here is ended by the lab's close() whatever happens.
import {test, type TestContext} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import type {LabHost} from '../../lab/netns-lab.js'
import {run} from '../../lab/lab-process.js'
import {generateKey} from '../../lab/lab-ssh.js'
import {sshOptionArgs} from '../../src/nodes/ssh/ssh-argv.js'
import type {Spec} from '../../src/spec/types.js'
import {startHostsCluster, type HostsCluster} from '../fixtures/hosts-cluster.js'
import {startFailpointHook, type FailpointAnswer, type FailpointHook} from '../fixtures/failpoint-hook.js'
import {jsonEvents, runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'
import {assertFailedAt, assertJournalStoppedAt, assertQuorumKept, assertResumesToTarget, memberOf, membership} from './faults-fixture.js'
import {assertDataIntact, assertExactMembership, assertJournalComplete, explain, observeLive, readJournal, readSavedPlan} from './migration-assertions.js'

const KEYS = (name: string) => ({count: 500, valueBytes: 256, prefix: `/e2e/${name}/keys/`})
const JOIN = {learner: true, order: 'add-first', rollingRestart: false} as const
const TIMEOUTS = {catchUp: '60s', health: '30s', step: '60s'} as const
/** A stack trace line, as node prints one: nothing of the kind may reach the operator. */
const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(node:.+\))$/m

// ---------------------------------------------------------------------------------------------
// Processes of this apply, from /proc

/** ppid and comm of a pid, from /proc/PID/stat; null when it is gone. */
async function procStat(pid: number): Promise<{ppid: number; comm: string} | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    const close = stat.lastIndexOf(')')
    const comm = stat.slice(stat.indexOf('(') + 1, close)
    const ppid = Number(stat.slice(close + 2).split(' ')[1])
    return {ppid, comm}
  } catch {
    return null
  }
}

async function cmdline(pid: number): Promise<string[]> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((w) => w !== '')
  } catch {
    return []
  }
}

/** The `ssh` children of the apply process (its round trips) whose argv names `address`. */
async function sshRoundTripsTo(applyPid: number, address: string): Promise<number[]> {
  const found: number[] = []
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid) || pid <= 0) continue
    const stat = await procStat(pid)
    if (stat === null || stat.ppid !== applyPid || stat.comm !== 'ssh') continue
    const argv = await cmdline(pid)
    if (argv.includes(address) && argv.includes('-T')) found.push(pid)
  }
  return found
}

/** Polls until the apply runs an ssh round trip to `address`; its pid, or null after `limitMs`. */
async function awaitRoundTrip(applyPid: () => number | null, address: string, limitMs = 60_000): Promise<number | null> {
  const deadline = Date.now() + limitMs
  while (Date.now() < deadline) {
    const pid = applyPid()
    if (pid !== null) {
      const trips = await sshRoundTripsTo(pid, address)
      if (trips.length > 0) return trips[0]!
    }
    await sleep(5)
  }
  return null
}

/**
 * The pid of this apply's ssh master connection to `host`: its control dir is the only
 * `etcdplan-ssh-*` below the apply's own TMPDIR; `ssh -O check` with the provider's own options
 * (hence the same %C socket name) names the master, and its /proc cmdline must name that dir.
 */
async function masterPid(spec: Spec, applyTmp: string, host: string): Promise<number> {
  const dirs = (await readdir(applyTmp)).filter((d) => d.startsWith('etcdplan-ssh-'))
  assert.equal(dirs.length, 1, `control dirs of the apply in ${applyTmp}: ${dirs.join(', ')}`)
  const controlDir = join(applyTmp, dirs[0]!)
  const check = await run(['ssh', ...sshOptionArgs(spec.nodes.ssh!, controlDir), '-O', 'check', '--', host], {timeoutMs: 10_000})
  const match = /Master running \(pid=(\d+)\)/.exec(check.stderr)
  assert.ok(match, `no master for ${host} in ${controlDir}: ${check.stderr}`)
  const pid = Number(match[1])
  const argv = (await cmdline(pid)).join(' ')
  assert.ok(argv.includes(controlDir), `pid ${pid} is not this apply's master (${argv})`)
  return pid
}

// ---------------------------------------------------------------------------------------------
// Shared steps

async function startCluster(name: string, timeouts: {catchUp: string; health: string; step: string} = TIMEOUTS): Promise<HostsCluster> {
  // Config paths of this file's own: other labs on the machine run etcd1..6 with /etc/etcd/etcdN.yaml (each in its own host, but one pid namespace).
  return startHostsCluster({name, spec: {join: JOIN, timeouts}, keys: KEYS(name), ssh: {configFile: '/etc/etcd/{name}-faults.yaml'}})
}

/**
 * The source as it is: [name, peer URL, learner] of each member, and each source member's KV
 * revision and raft term (no write, no election). Not the raft index: etcd 3.4 serves an Alarm
 * Get through raft, so every observation (this one, the apply's own) appends an entry; it is
 * returned for the diagnostics only.
 */
async function sourceState(spec: Spec): Promise<{state: {members: Array<[string, string, boolean]>; revision: Record<string, number | null>; raftTerm: Record<string, number | null>}; raftIndex: Record<string, number | null>}> {
  const cluster = await observeLive(spec.source.members.map((m) => m.clientURL))
  const revision: Record<string, number | null> = {}
  const raftTerm: Record<string, number | null> = {}
  const raftIndex: Record<string, number | null> = {}
  for (const m of spec.source.members) {
    const status = cluster.statuses.find((s) => s.endpoint === m.clientURL)
    revision[m.name] = status?.revision ?? null
    raftTerm[m.name] = status?.raftTerm ?? null
    raftIndex[m.name] = status?.raftIndex ?? null
  }
  return {state: {members: membership(cluster), revision, raftTerm}, raftIndex}
}

/** The apply's error event (--json prints it last). */
function errorOf(result: AsyncCliResult): {code?: string; stepId?: string; message: string; hint: string} {
  const error = jsonEvents(result.stdout).find((e) => e.type === 'error') as {error?: {code?: string; stepId?: string; message?: string; hint?: string | null}} | undefined
  assert.ok(error?.error?.message !== undefined, explain(result))
  return {...error.error, message: error.error.message, hint: error.error.hint ?? ''}
}

function assertNoStackTrace(result: AsyncCliResult): void {
  assert.doesNotMatch(result.stderr, STACK_LINE, `a stack trace reached the operator:\n${result.stderr}`)
  assert.doesNotMatch(result.stdout, STACK_LINE, `a stack trace reached the operator:\n${result.stdout}`)
}

/** A refused apply left the source exactly as it was: same member list (no learner added), same revision and term, nothing of etcd4..6 started on B. */
async function assertNothingChanged(t: TestContext, cluster: HostsCluster, before: Awaited<ReturnType<typeof sourceState>>): Promise<void> {
  const after = await sourceState(cluster.spec)
  t.diagnostic(`raft index before ${JSON.stringify(before.raftIndex)}, after ${JSON.stringify(after.raftIndex)} (Alarm reads go through raft in etcd 3.4); revision ${JSON.stringify(after.state.revision)}`)
  assert.deepEqual(after.state, before.state)
  for (const m of cluster.spec.target.members) assert.equal(await cluster.provider.isRunning(m), false, `${m.name} runs on host b`)
}

/**
 * The ssh connection to host B dropped while `stepId` runs its round trip there (`fault`, given the
 * master's pid): the first apply rides it out or stops resumable at that step; then the rerun
 * finishes. Returns what happened, for the diagnostics.
 */
async function dropMidStep(t: TestContext, name: string, stepId: string, fault: (b: LabHost, master: number) => Promise<void>): Promise<void> {
  let cluster: HostsCluster | null = null
  let hook: FailpointHook | null = null
  let applyTmp: string | null = null
  try {
    cluster = await startCluster(name)
    const {spec, specPath, dir, lab} = cluster
    const b = lab.host('b')
    // Short: a control socket's path must fit in 108 bytes (sun_path), and ssh's %C alone is 40.
    applyTmp = await mkdtemp('/tmp/ef-')
    let applyPid: number | null = null
    let injected: Promise<string> | null = null
    hook = await startFailpointHook(dir, async (call): Promise<FailpointAnswer> => {
      if (call.point === 'step-running' && call.step === stepId && injected === null) {
        // The applier waits for this answer: find B's master now, act once the step's round trip to B runs.
        const master = await masterPid(spec, applyTmp!, b.address)
        injected = (async () => {
          const trip = await awaitRoundTrip(() => applyPid, b.address)
          const at = Date.now()
          await fault(b, master)
          return `round trip ${trip ?? '(none seen)'} to ${b.address}; master ${master}; fault took ${Date.now() - at} ms`
        })()
      }
      return 'continue'
    })
    const first = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {
      cwd: dir,
      env: {...hook.env, TMPDIR: applyTmp!},
      timeoutMs: 300_000,
      onStdoutLine: (_line, child) => {
        applyPid ??= child.pid ?? null
      },
    })
    assert.ok(injected !== null, `the hook never saw ${stepId}:\n${explain(first)}`)
    t.diagnostic(`fault: ${await injected}`)
    t.diagnostic(`first run: exit ${first.status} after ${Math.round(first.durationMs)} ms`)
    assertNoStackTrace(first)
    const keys = KEYS(name)
    if (first.status === 0) {
      t.diagnostic('the apply rode the dropped connection out')
      assert.deepEqual(jsonEvents(first.stdout).filter((e) => e.type === 'step-failed'), [])
      await assertExactMembership(spec.target.members.map((m) => m.clientURL), spec.target.members)
      await assertDataIntact(spec.target.members.map((m) => m.clientURL), keys)
      assertJournalComplete(await readJournal(dir, name), await readSavedPlan(dir, name))
    } else {
      const {message, hint} = assertFailedAt(first, stepId)
      t.diagnostic(`stopped resumable at ${stepId}: ${message}\nhint: ${hint}`)
      assert.match(message, new RegExp(b.address.replaceAll('.', '\\.')))
      assertJournalStoppedAt(await readJournal(dir, name), stepId)
      // Not half-done: etcd1..4 vote, the member of the step is a learner (added, not promoted), the quorum holds.
      const member = memberOf(spec, stepId.split('/')[1]!)
      await assertQuorumKept([...spec.source.members, memberOf(spec, 'etcd4')], {member, unstarted: false})
      if (b.sshdPid() === null) await b.startSshd()
      hook.decide = () => 'continue'
      await assertResumesToTarget(t, dir, spec, specPath, {startsAt: stepId, keys})
    }
    for (const m of spec.source.members) assert.equal(await cluster.provider.isRunning(m), false, `${m.name} still runs on host a`)
  } finally {
    await hook?.close()
    if (cluster !== null && cluster.lab.host('b').sshdPid() === null) await cluster.lab.host('b').startSshd().catch(() => undefined)
    await cluster?.close()
    if (applyTmp !== null) await rm(applyTmp, {recursive: true, force: true})
  }
}

// ---------------------------------------------------------------------------------------------

test('the ssh master connection to host B killed while start-member/etcd5 runs there: rides it out or stops resumable, never half-done', {timeout: 600_000}, async (t) => {
  await dropMidStep(t, 'faults-ssh-master', 'start-member/etcd5', async (_b, master) => {
    process.kill(master, 'SIGKILL')
  })
})

test("host B's sshd stopped (sessions dropped) for 3 s while start-member/etcd5 runs there: rides it out or stops resumable, never half-done", {timeout: 600_000}, async (t) => {
  await dropMidStep(t, 'faults-sshd-down', 'start-member/etcd5', async (b) => {
    await b.stopSshd()
    await sleep(3_000)
    await b.startSshd()
  })
})

test('host B unreachable (its link down) before the apply: refused in the preflight naming the host, nothing changed', {timeout: 300_000}, async (t) => {
  let cluster: HostsCluster | null = null
  try {
    cluster = await startCluster('faults-unreachable')
    const {spec, specPath, dir, lab} = cluster
    const b = lab.host('b')
    const before = await sourceState(spec)
    await b.linkDown()
    const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 240_000})
    t.diagnostic(`exit ${result.status} after ${Math.round(result.durationMs)} ms`)
    assert.notEqual(result.status, 0, explain(result))
    assertNoStackTrace(result)
    const error = errorOf(result)
    t.diagnostic(`error: ${error.message}\nhint: ${error.hint}`)
    assert.match(error.message, new RegExp(b.address.replaceAll('.', '\\.')), explain(result))
    assert.match(error.message, /no route to|timed out|cut off|unreachable|down/i)
    // Found by the preflight, before the first change: no step but preflight started.
    const started = jsonEvents(result.stdout).filter((e) => e.type === 'step-start').map((e) => e.id)
    assert.deepEqual(started, ['preflight'], explain(result))
    assertJournalStoppedAt(await readJournal(dir, 'faults-unreachable'), 'preflight')
    await b.linkUp()
    await assertNothingChanged(t, cluster, before)
  } finally {
    await cluster?.lab.host('b').linkUp().catch(() => undefined)
    await cluster?.close()
  }
})

test("host B's key in known_hosts replaced by another: refused with the host-key message and what to do, nothing changed, known_hosts untouched", {timeout: 300_000}, async (t) => {
  let cluster: HostsCluster | null = null
  let original: string | null = null
  try {
    cluster = await startCluster('faults-host-key')
    const {spec, specPath, dir, lab} = cluster
    const b = lab.host('b')
    const before = await sourceState(spec)
    original = await readFile(lab.ssh.knownHosts, 'utf8')
    const other = (await generateKey(join(dir, 'impostor_host_key'), 'not-host-b')).split(' ').slice(0, 2).join(' ')
    const lines = original.split('\n')
    const index = lines.findIndex((l) => l.startsWith(`${b.address},`))
    assert.notEqual(index, -1, `no line for ${b.address} in known_hosts:\n${original}`)
    lines[index] = `${b.address},${b.alias} ${other}`
    const replaced = lines.join('\n')
    await writeFile(lab.ssh.knownHosts, replaced)

    const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 240_000})
    t.diagnostic(`exit ${result.status} after ${Math.round(result.durationMs)} ms`)
    assert.notEqual(result.status, 0, explain(result))
    assertNoStackTrace(result)
    const error = errorOf(result)
    t.diagnostic(`error: ${error.message}\nhint: ${error.hint}`)
    assert.match(error.message, new RegExp(`the host key of ${b.address.replaceAll('.', '\\.')} is not the one in known_hosts \\(it has changed\\)`))
    assert.match(error.message, /check the host key's fingerprint out of band/)
    assert.match(error.message, /etcdplan never accepts a host key by itself/)
    assert.match(error.message, new RegExp(`ssh-keygen -R ${b.address.replaceAll('.', '\\.')}`))
    const started = jsonEvents(result.stdout).filter((e) => e.type === 'step-start').map((e) => e.id)
    assert.deepEqual(started, ['preflight'], explain(result))
    assert.equal(await readFile(lab.ssh.knownHosts, 'utf8'), replaced, 'etcdplan changed known_hosts')
    await writeFile(lab.ssh.knownHosts, original)
    original = null
    await assertNothingChanged(t, cluster, before)
  } finally {
    if (original !== null && cluster !== null) await writeFile(cluster.lab.ssh.knownHosts, original)
    await cluster?.close()
  }
})

test("host B's link cut while wait-caught-up/etcd4 runs: the wait times out naming etcd4, nothing beyond; after the link is back the same apply finishes", {timeout: 600_000}, async (t) => {
  let cluster: HostsCluster | null = null
  let hook: FailpointHook | null = null
  const name = 'faults-link-cut'
  const stepId = 'wait-caught-up/etcd4'
  try {
    cluster = await startCluster(name, {...TIMEOUTS, catchUp: '15s'})
    const {spec, specPath, dir, lab} = cluster
    const b = lab.host('b')
    let cutAt: number | null = null
    hook = await startFailpointHook(dir, async (call): Promise<FailpointAnswer> => {
      if (call.point === 'step-running' && call.step === stepId && cutAt === null) {
        await b.linkDown()
        cutAt = Date.now()
      }
      return 'continue'
    })
    const first = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, env: hook.env, timeoutMs: 300_000})
    const endedAt = Date.now()
    assert.ok(cutAt !== null, `the hook never saw ${stepId}:\n${explain(first)}`)
    t.diagnostic(`first run: exit ${first.status} after ${Math.round(first.durationMs)} ms, ${Math.round((endedAt - cutAt) / 1000)} s after the cut`)
    assertNoStackTrace(first)
    const {message, hint} = assertFailedAt(first, stepId)
    t.diagnostic(`error: ${message}\nhint: ${hint}`)
    const etcd4 = memberOf(spec, 'etcd4')
    assert.match(message, new RegExp(`etcd4 \\(${etcd4.clientURL}\\) did not catch up within 15 s \\(timeouts\\.catchUp\\)`))
    assert.match(hint, /etcd4/)
    assertJournalStoppedAt(await readJournal(dir, name), stepId)
    // Nothing beyond: etcd4 is still a learner; etcd1..3 keep their quorum on host A.
    await assertQuorumKept(spec.source.members, {member: etcd4, unstarted: false})

    await b.linkUp()
    hook.decide = () => 'continue'
    await assertResumesToTarget(t, dir, spec, specPath, {startsAt: stepId, keys: KEYS(name)})
  } finally {
    await hook?.close()
    await cluster?.lab.host('b').linkUp().catch(() => undefined)
    await cluster?.close()
  }
})
