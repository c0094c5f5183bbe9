// End to end, against real etcd (3.4.23) on loopback: an apply killed mid-way (SIGKILL, no chance to
// clean up) resumes. A 3 → 3 migration with 3,000 keys and a writer running throughout; the first
// `apply SPEC --auto-approve --json` is SIGKILLed as soon as it reports the second new member added
// as a learner. Proves: the journal left behind is valid JSON and not complete; running the same
// command again exits 0, skips (step-skip) exactly the steps the journal recorded as done, and ends
// like an uninterrupted apply — exactly the target members, all started voters, every key and every
// acknowledged write readable, configs as planned, journal complete. Before that, the lock the
// killed apply left is reported as stale with the force-unlock command, which clears it. Every etcd
// started here (also those the killed apply started) is stopped in `finally`, and the temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import {clusterEndpoints} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {startWriter, type Writer} from '../../lab/writer.js'
import {E2E_TIMEOUTS, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {cleanUpLab} from '../fixtures/leaked-etcd.js'
import {applyKilledAfter, jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, assertJournalComplete, explain, readJournal, readSavedPlan} from './migration-assertions.js'

const NAME = 'resume'
const KEYS = {count: 3000, valueBytes: 1024, prefix: '/e2e/resume/keys/'}

test('an apply SIGKILLed after the second add-learner resumes to the same end state', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-resume-'))
  let spec: Spec | null = null
  let writer: Writer | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const started = await startedSpecCluster({name: NAME, dir, source: members.slice(0, 3), target: members.slice(3), timeouts: E2E_TIMEOUTS}, KEYS)
    spec = started.spec
    const s = spec
    const targetURLs = s.target.members.map((m) => m.clientURL)
    const killAt = `add-learner/${s.target.members[1]!.name}`

    writer = startWriter(clusterEndpoints(s), {intervalMs: 20, prefix: '/e2e/resume/writer/'})

    // First run: killed by its pid the moment it reports the second learner added.
    const first = await applyKilledAfter(started.path, dir, killAt)
    t.diagnostic(`first run killed after ${Math.round(first.durationMs)} ms`)
    assert.ok(first.killed, `the first run never reported ${killAt} done:\n${explain(first)}`)
    assert.equal(first.signal, 'SIGKILL', explain(first))
    assert.equal(first.status, null)

    const interrupted = await readJournal(dir, NAME)
    assert.equal(interrupted.kind, 'etcdplan-journal')
    assert.notEqual(interrupted.status, 'complete')
    const doneBeforeKill = interrupted.steps.filter((step) => step.status === 'done').map((step) => step.id)
    assert.ok(doneBeforeKill.includes(killAt), `the journal does not record ${killAt} as done: ${JSON.stringify(interrupted.steps)}`)
    assert.ok(doneBeforeKill.length < interrupted.steps.length)
    t.diagnostic(`done before the kill: ${doneBeforeKill.join(', ')}`)

    // A live plan made now starts from where the cluster is: the first new member is a voter already,
    // the second a learner (started or not, depending on how far the killed run got), so the plan
    // continues the second and adds only the third.
    const [first4, second5, third6] = s.target.members.map((m) => m.name)
    const replanned = await runCliAsync(['plan', started.path, '--json'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(replanned.status, 0, explain(replanned))
    const livePlan = JSON.parse(replanned.stdout) as {observation: {mode: string}; steps: Array<{id: string}>; warnings: Array<{code: string; message: string}>}
    assert.equal(livePlan.observation.mode, 'live')
    const ids = livePlan.steps.map((step) => step.id)
    assert.ok(!ids.includes(`add-learner/${first4}`) && !ids.includes(`add-learner/${second5}`), ids.join(', '))
    assert.ok(ids.includes(`promote/${second5}`) && ids.includes(`add-learner/${third6}`), ids.join(', '))
    // 'resumed' for a started learner; 'never-started' when the kill came before its start.
    assert.ok(livePlan.warnings.some((w) => (w.code === 'resumed' || w.code === 'never-started') && w.message.startsWith(`${second5} `)), JSON.stringify(livePlan.warnings))

    // The killed apply left its lock behind: the same command is refused, naming the lock as stale
    // and the command that clears it, and changes nothing; the operator clears it.
    const refused = await runCliAsync(['apply', started.path, '--auto-approve'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(refused.status, 1, explain(refused))
    assert.match(refused.stderr, /Error acquiring the state lock/, explain(refused))
    const unlock = /etcdplan force-unlock ([0-9a-f-]{36})/.exec(refused.stderr)
    assert.ok(unlock !== null && refused.stderr.includes('STALE'), explain(refused))
    assert.deepEqual(await readJournal(dir, NAME), interrupted, 'the refused apply changed the journal')
    const unlocked = await runCliAsync(['force-unlock', unlock[1]!, started.path, '--force'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(unlocked.status, 0, explain(unlocked))

    // Second run: the same command resumes the saved plan.
    const second = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 180_000})
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
    await assertExactMembership(targetURLs, s.target.members)
    await assertDataIntact(targetURLs, KEYS, figures)
    const plan = await readSavedPlan(dir, NAME)
    await assertConfigsMatchPlan(plan, s.target.members)
    assertJournalComplete(await readJournal(dir, NAME), plan)
  } finally {
    try {
      if (writer !== null) await writer.stop()
    } finally {
      await cleanUpLab(t, dir, spec)
    }
  }
})

