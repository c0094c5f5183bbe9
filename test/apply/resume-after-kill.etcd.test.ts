// End to end, against real etcd (3.4.23) on loopback: an apply killed mid-way (SIGKILL, no chance to
// clean up) resumes. A 3 → 3 migration with 3,000 keys and a writer running throughout; the first
// `apply SPEC --auto-approve --json` is SIGKILLed as soon as it reports the second new member added
// as a learner. Proves: the journal left behind is valid JSON and not complete; running the same
// command again exits 0, skips (step-skip) exactly the steps the journal recorded as done, and ends
// like an uninterrupted apply — exactly the target members, all started voters, every key and every
// acknowledged write readable, configs as planned, journal complete. Every etcd started here (also
// those the killed apply started) is stopped in `finally`, and the temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readdir, mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import {observeCluster} from '../../src/cluster/observe-cluster.js'
import type {Journal} from '../../src/apply/journal.js'
import type {Plan} from '../../src/plan/types.js'
import {loadSpecFile} from '../../src/spec/load-spec.js'
import type {Spec} from '../../src/spec/types.js'
import {clusterEndpoints, startSourceCluster, stopAllMembers} from '../../lab/local-cluster.js'
import {loadKeys, verifyKeys} from '../../lab/load-keys.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, writeMigrationSpec} from '../../lab/migration-spec.js'
import {startWriter, verifyAcknowledged, type Writer} from '../../lab/writer.js'
import {jsonEvents, runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'

const NAME = 'resume'
const KEYS = {count: 3000, valueBytes: 1024, prefix: '/e2e/resume/keys/'}

test('an apply SIGKILLed after the second add-learner resumes to the same end state', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-resume-'))
  let spec: Spec | null = null
  let writer: Writer | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const written = await writeMigrationSpec({name: NAME, dir, source: members.slice(0, 3), target: members.slice(3), timeouts: {catchUp: '2m', health: '30s', step: '60s'}})
    const loaded = await loadSpecFile(written.path)
    assert.ok(loaded.spec, `the written spec does not load:\n${loaded.diagnostics.map((d) => d.message).join('\n')}`)
    spec = loaded.spec
    const s = spec
    const targetURLs = s.target.members.map((m) => m.clientURL)
    const killAt = `add-learner/${s.target.members[1]!.name}`
    const journalPath = join(dir, '.etcdplan', NAME, 'state.json')

    await startSourceCluster(s)
    await loadKeys(s.source.members.map((m) => m.clientURL), KEYS)
    writer = startWriter(clusterEndpoints(s), {intervalMs: 20, prefix: '/e2e/resume/writer/'})

    // First run: killed by its pid the moment it reports the second learner added.
    let killed = false
    const first = await runCliAsync(['apply', written.path, '--auto-approve', '--json'], {
      cwd: dir,
      timeoutMs: 180_000,
      onStdoutLine: (line, child) => {
        if (killed || !line.startsWith('{')) return
        const event = JSON.parse(line) as {type: string; id?: string}
        if (event.type === 'step-done' && event.id === killAt && child.pid !== undefined) {
          killed = true
          process.kill(child.pid, 'SIGKILL')
        }
      },
    })
    t.diagnostic(`first run killed after ${Math.round(first.durationMs)} ms`)
    assert.ok(killed, `the first run never reported ${killAt} done:\n${explain(first)}`)
    assert.equal(first.signal, 'SIGKILL', explain(first))
    assert.equal(first.status, null)

    const interrupted = JSON.parse(await readFile(journalPath, 'utf8')) as Journal
    assert.equal(interrupted.kind, 'etcdplan-journal')
    assert.notEqual(interrupted.status, 'complete')
    const doneBeforeKill = interrupted.steps.filter((step) => step.status === 'done').map((step) => step.id)
    assert.ok(doneBeforeKill.includes(killAt), `the journal does not record ${killAt} as done: ${JSON.stringify(interrupted.steps)}`)
    assert.ok(doneBeforeKill.length < interrupted.steps.length)
    t.diagnostic(`done before the kill: ${doneBeforeKill.join(', ')}`)

    // Second run: the same command resumes the saved plan.
    const second = await runCliAsync(['apply', written.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 180_000})
    const figures = await writer.stop()
    writer = null
    t.diagnostic(`second run took ${Math.round(second.durationMs)} ms; writer: ${figures.acknowledged} acknowledged, ${figures.failedAttempts} failed attempts, max stall ${Math.round(figures.maxStallMs)} ms`)
    assert.equal(second.status, 0, explain(second))
    const events = jsonEvents(second.stdout)
    assert.equal(events[0]?.type, 'apply-start', explain(second))
    assert.equal(events[0]?.['done'], doneBeforeKill.length, explain(second))
    assert.deepEqual(events.filter((e) => e.type === 'step-skip').map((e) => e.id), doneBeforeKill)
    assert.deepEqual(events.filter((e) => e.type === 'step-failed'), [])
    assert.equal(events.at(-1)?.type, 'apply-done', explain(second))

    // The end state of an uninterrupted apply.
    const cluster = await observe(targetURLs)
    assert.deepEqual(membersOf(cluster), s.target.members.map((m) => [m.name, m.peerURL]).sort())
    for (const m of cluster.members) {
      assert.equal(m.started, true, `${m.name} is not started`)
      assert.equal(m.isLearner, false, `${m.name} is a learner`)
    }
    assert.deepEqual(await verifyKeys(targetURLs, KEYS), {missing: [], wrong: []})
    assert.ok(figures.acknowledged > 0, 'the writer never got a write acknowledged')
    assert.deepEqual(await verifyAcknowledged(targetURLs, figures.acked), [])

    const plan = JSON.parse(await readFile(join(dir, '.etcdplan', NAME, 'plan.json'), 'utf8')) as Plan
    const lastConfig = new Map<string, string>()
    for (const step of plan.steps) if (step.kind === 'write-config' || step.kind === 'rewrite-config') lastConfig.set(step.config.path, step.config.content)
    for (const m of s.target.members) assert.equal(await readFile(m.configFile, 'utf8'), lastConfig.get(m.configFile), `${m.name}: ${m.configFile} differs from the plan's last config`)

    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as Journal
    assert.equal(journal.status, 'complete')
    assert.equal(journal.planHash, plan.contentHash)
    assert.deepEqual(journal.steps.filter((step) => step.status !== 'done').map((step) => `${step.id}: ${step.status}`), [])
  } finally {
    try {
      if (writer !== null) await writer.stop()
      if (spec !== null) await stopAllMembers(spec)
    } finally {
      const leaked = await stopLeakedEtcd(dir)
      await rm(dir, {recursive: true, force: true})
      if (leaked.length > 0) t.diagnostic(`stopped etcd processes left without a pid file: ${leaked.join(', ')}`)
    }
  }
})

/**
 * A SIGKILL between spawning a member and writing its pid file would leave an etcd that
 * stopAllMembers cannot see. Any process whose command line names a config file under this test's
 * own temp dir was started by this test (or the apply it ran): stop those, by pid.
 */
async function stopLeakedEtcd(dir: string): Promise<number[]> {
  const marker = join(dir, 'nodes')
  const leaked: number[] = []
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')
    if (!cmdline.includes('--config-file') || !cmdline.includes(marker)) continue
    const pid = Number(entry)
    try {
      process.kill(pid, 'SIGKILL')
      leaked.push(pid)
    } catch {
      // gone already
    }
  }
  return leaked
}

async function observe(urls: readonly string[]): Promise<LiveCluster> {
  const endpoints = new EtcdEndpoints({callTimeoutMs: 5000})
  try {
    return await observeCluster(endpoints, urls, {statusTimeoutMs: 3000})
  } finally {
    endpoints.close()
  }
}

function membersOf(cluster: LiveCluster): Array<[string, string]> {
  return cluster.members.map((m): [string, string] => [m.name, m.peerURLs[0] ?? '']).sort()
}

function explain(result: AsyncCliResult): string {
  const tail = result.stdout.trimEnd().split('\n').slice(-25).join('\n')
  return `exit ${result.status} (signal ${result.signal}${result.timedOut ? ', timed out' : ''})\n--- stderr:\n${result.stderr}\n--- stdout (last 25 lines):\n${tail}`
}
