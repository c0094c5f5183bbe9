// Estimates, live progress and `status --watch`, end to end against a real etcd (Debian's 3.4.23):
// the runbook's join (3 → 3, learners, add-first, rolling restart) on loopback with 5,000 keys.
// - `plan --json` (live) records the leader's DB size and gives every step an estimate and a total.
// - `apply --json` with ETCDPLAN_PROGRESS_EVERY_MS=50 (the test-only short interval) streams
//   still-waiting events: the adds that wait out etcd's 5-s health window say so, and catch-up
//   events carry the new member's and the leader's DB sizes.
// - afterwards the journal records each step's duration, and `status --json` shows estimate and
//   actual side by side; the text says "took ... s, estimated ...".
// - `status --watch --json --interval 500ms` prints one JSON report per line until SIGINT, exit 130.
// Every etcd is stopped by pid in `after` (removeLab), whatever happened.
import {describe, it, before} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Plan} from '../../src/plan/types.js'
import type {Journal} from '../../src/apply/journal.js'
import type {StatusReport} from '../../src/status/status-report.js'
import {loadKeys} from '../../lab/load-keys.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {explain} from '../apply/migration-assertions.js'
import {E2E_TIMEOUTS, RUNBOOK_JOIN, useLabCluster} from '../fixtures/lab-cluster.js'
import {runCli} from '../fixtures/run-cli.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'

type Event = {type: string; id?: string; waitingFor?: string; elapsedMs?: number; progress?: unknown; memberDbSize?: number | null; leaderDbSize?: number | null}

describe('estimates, progress and status --watch on a real runbook join', () => {
  const lab = useLabCluster(
    'etcdplan-estimates-',
    async (dir) => {
      const members = namedMembers('etcd', await pickLoopbackHosts(6))
      return {name: 'estimates', dir, source: members.slice(0, 3), target: members.slice(3), join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS}
    },
    {start: true},
  )
  before(() => loadKeys(lab.sourceURLs(), {count: 5000, valueBytes: 1024, prefix: '/e2e/estimates/'}))

  let plan: Plan | undefined
  let events: Event[] = []

  it('plan --json: every step has an estimate, the total adds them up, the leader\'s DB size is recorded', () => {
    const planned = runCli(['plan', lab.specPath, '--json', '-o', join(lab.dir, 'estimates.plan.json')], {cwd: lab.dir})
    assert.equal(planned.status, 0, planned.stderr)
    plan = JSON.parse(readFileSync(join(lab.dir, 'estimates.plan.json'), 'utf8')) as Plan
    assert.ok((plan.observation.leaderDbSize ?? 0) > 5_000_000, `5,000 keys of 1 KiB: ${plan.observation.leaderDbSize}`)
    assert.ok(plan.steps.every((s) => s.estimate !== undefined && typeof s.estimate.basis === 'string'))
    assert.match(plan.steps.find((s) => s.id === 'wait-caught-up/etcd4')!.estimate!.basis, /MB at/)
    assert.ok(plan.estimate!.healthWindowMs > 0, 'etcd 3.4: the adds after a start wait for the 5-s window')
    const sum = plan.steps.reduce((total, s) => total + (s.estimate!.durationMs ?? 0), 0)
    assert.equal(plan.estimate!.durationMs, sum)
    const text = runCli(['show', join(lab.dir, 'estimates.plan.json'), '--no-color'], {cwd: lab.dir})
    assert.match(text.stdout, /^Estimated duration: about \d+ s \(of which \d+(\.\d)? s etcd's 5-s windows\)/m)
  })

  it('apply --json streams still-waiting events saying what each step waits for', {timeout: 200_000}, async () => {
    const applied = await runCliAsync(['apply', join(lab.dir, 'estimates.plan.json'), '--auto-approve', '--json'], {cwd: lab.dir, timeoutMs: 180_000, env: {ETCDPLAN_PROGRESS_EVERY_MS: '50'}})
    assert.equal(applied.status, 0, explain(applied))
    events = applied.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event)
    const still = events.filter((e) => e.type === 'still-waiting')
    assert.ok(still.length > 0, 'some step waited longer than 50 ms')
    assert.ok(still.every((e) => typeof e.waitingFor === 'string' && e.waitingFor !== '' && typeof e.elapsedMs === 'number'))
    const window = still.filter((e) => e.id === 'add-learner/etcd5' || e.id === 'add-learner/etcd6')
    assert.ok(window.some((e) => e.waitingFor === "etcd's 5-s health window"), `the adds after a start wait for the 5-s window: ${JSON.stringify(window.slice(0, 3))}`)
    const catchUp = events.filter((e) => e.type === 'catch-up')
    assert.ok(catchUp.length > 0 && catchUp.every((e) => typeof e.leaderDbSize === 'number' && e.leaderDbSize > 0), 'catch-up reports the leader\'s DB size')
    for (const e of still.filter((x) => x.id?.startsWith('wait-caught-up/'))) assert.ok(e.progress !== null, 'a catch-up wait reports how far it is')
  })

  it('the journal records the real durations; status shows estimate against actual', () => {
    const journal = JSON.parse(readFileSync(join(lab.dir, '.etcdplan', 'estimates', 'state.json'), 'utf8')) as Journal
    assert.equal(journal.status, 'complete')
    assert.ok(journal.steps.every((s) => typeof s.durationMs === 'number' && s.estimatedMs !== undefined), JSON.stringify(journal.steps[0]))
    const json = runCli(['status', lab.specPath, '--json'], {cwd: lab.dir})
    assert.equal(json.status, 0, json.stderr)
    const report = JSON.parse(json.stdout) as StatusReport
    const timing = report.journal?.timing
    assert.ok(timing, 'status --json has the timing')
    assert.equal(timing.steps.length, plan!.steps.length)
    const caught = timing.steps.find((s) => s.id === 'wait-caught-up/etcd4')!
    assert.equal(caught.estimatedMs, plan!.steps.find((s) => s.id === 'wait-caught-up/etcd4')!.estimate!.durationMs)
    assert.ok(typeof caught.actualMs === 'number')
    assert.ok(timing.actualMs > 0 && timing.estimatedMs > 0)
    const text = runCli(['status', lab.specPath, '--no-color'], {cwd: lab.dir})
    assert.match(text.stdout, /^Timing: \d+ steps done took \d+\.\d s, estimated \d+(\.\d)? s \(\d\.\d\d× the estimate\)/m)
  })

  it('status --watch --json: one JSON report per interval, until SIGINT (exit 130)', {timeout: 60_000}, async () => {
    const lines: string[] = []
    const watched = await runCliAsync(['status', lab.specPath, '--watch', '--json', '--interval', '500ms'], {
      cwd: lab.dir,
      timeoutMs: 40_000,
      onStdoutLine: (line, child) => {
        lines.push(line)
        if (lines.length === 3) child.kill('SIGINT')
      },
    })
    assert.equal(watched.status, 130, explain(watched))
    assert.ok(lines.length >= 3)
    const reports = lines.slice(0, 3).map((l) => JSON.parse(l) as StatusReport & {time: string})
    for (const r of reports) {
      assert.equal(r.reachable, true)
      assert.deepEqual(r.members.filter((m) => m.membership === 'member').map((m) => m.name), ['etcd4', 'etcd5', 'etcd6'])
    }
    // Three reports of three reads, in order (how far apart is the machine's business: no timed assertion).
    const times = reports.map((r) => Date.parse(r.time))
    assert.ok(times[0]! < times[1]! && times[1]! < times[2]!, `three reads one after the other: ${reports.map((r) => r.time).join(', ')}`)
    assert.doesNotMatch(watched.stdout, /\u001b\[/, 'no cursor movement in JSON mode')
  })

  it('status --watch refuses an interval that is not a duration, before asking the cluster', () => {
    const bad = runCli(['status', lab.specPath, '--watch', '--interval', 'often'], {cwd: lab.dir})
    assert.equal(bad.status, 1)
    assert.match(bad.stderr, /--interval "often" is not a usable interval/)
    assert.doesNotMatch(bad.stderr, /\n\s+at .+:\d+:\d+/)
  })
})
