// End to end, against real etcd (3.4) on loopback: the runbook's 3 → 3 join (learners, add-first,
// rolling restart) driven by nodes.provider exec, whose commands are a small script this test writes
// (one argv per operation; it writes configs from stdin atomically, runs etcd detached with a pid
// file and a log, stops it by its pid, tells by the pid whether it runs, prints the log tail; it has
// no readConfig, so configs are not read back, and no restart, so a restart is stop + start). Every
// command records the ETCDPLAN_* environment it saw. Proves: the migration ends with exactly the
// target and every key; each operation saw the variables of the contract; a config path with shell
// metacharacters reaches the commands literally (and runs nothing); a failing command (start of
// etcd5) stops the apply at that step with the command's stderr, and the same apply resumes and
// finishes once it is fixed. Planned and applied in this process (the YAML loader does not take
// nodes.exec yet): the same planner, applier, provider and --json events as the CLI. Every etcd
// started here is stopped (by pid) in `finally`, and the temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {removeLab, RUNBOOK_JOIN, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {applyInProcess, explainApply, planLive} from '../fixtures/apply-in-process.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, assertJournalComplete, readJournal} from './migration-assertions.js'

const NAME = 'exec-join'
const KEYS = {count: 500, valueBytes: 256, prefix: '/e2e/exec/keys/'}
const TIMEOUTS = {catchUp: '2m', health: '30s', step: '30s'}

/** The node script every exec command runs: `node node.cjs OPERATION`. */
const NODE_SCRIPT = String.raw`
const {appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync} = require('node:fs')
const {spawn} = require('node:child_process')
const {dirname, join} = require('node:path')
const [record, workDir, failDir, etcd] = process.argv.slice(2, 6)
const op = process.argv[6]
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('ETCDPLAN_')))
appendFileSync(record, JSON.stringify({op, env}) + '\n')
const member = env.ETCDPLAN_MEMBER
const run = join(workDir, member)
const pidFile = join(run, 'etcd.pid')
const logFile = join(run, 'etcd.log')
const failure = join(failDir, op + '-' + member)
if (existsSync(failure)) {
  process.stderr.write('preparing ' + op + ' of ' + member + '\n' + readFileSync(failure, 'utf8'))
  process.exit(5)
}
const pid = () => { try { return Number(readFileSync(pidFile, 'utf8')) } catch { return 0 } }
const alive = (p) => {
  if (!(p > 0)) return false
  try { process.kill(p, 0) } catch { return false }
  try { const s = readFileSync('/proc/' + p + '/stat', 'utf8'); return s.charAt(s.lastIndexOf(')') + 2) !== 'Z' } catch { return true }
}
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
switch (op) {
  case 'writeConfig': {
    const path = env.ETCDPLAN_CONFIG_FILE
    mkdirSync(dirname(path), {recursive: true})
    writeFileSync(path + '.tmp', readFileSync(0), {mode: 0o600})
    renameSync(path + '.tmp', path)
    break
  }
  case 'isRunning':
    process.exit(alive(pid()) ? 0 : 1)
  case 'start': {
    if (alive(pid())) break
    mkdirSync(run, {recursive: true})
    appendFileSync(logFile, env.ETCDPLAN_START_MARK + '\n')
    const log = openSync(logFile, 'a')
    const child = spawn(etcd, ['--config-file', env.ETCDPLAN_CONFIG_FILE], {detached: true, stdio: ['ignore', log, log]})
    closeSync(log)
    writeFileSync(pidFile, child.pid + '\n')
    child.unref()
    break
  }
  case 'stop': {
    const p = pid()
    if (alive(p)) {
      process.kill(p, 'SIGTERM')
      const deadline = Date.now() + Number(env.ETCDPLAN_TIMEOUT_MS)
      while (alive(p) && Date.now() < deadline) sleep(50)
      if (alive(p)) process.kill(p, 'SIGKILL')
    }
    rmSync(pidFile, {force: true})
    break
  }
  case 'logTail': {
    let text = ''
    try { text = readFileSync(logFile, 'utf8') } catch {}
    process.stdout.write(text.trimEnd().split('\n').slice(-Number(env.ETCDPLAN_LINES)).join('\n'))
    break
  }
  default:
    process.stderr.write('unknown operation ' + op + '\n')
    process.exit(2)
}
`

interface Recorded {
  readonly op: string
  readonly env: Record<string, string>
}

test('the runbook 3 → 3 join through nodes.provider exec: exact target, every key, the contract environment, a failing command resumable', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-exec-'))
  let spec: Spec | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const started = await startedSpecCluster({name: NAME, dir, source: members.slice(0, 3), target: members.slice(3), join: RUNBOOK_JOIN, timeouts: TIMEOUTS}, KEYS)
    spec = started.spec
    const local = started.spec
    const record = join(dir, 'recorded.jsonl')
    const failDir = join(dir, 'fail')
    const script = join(dir, 'node.cjs')
    await writeFile(script, NODE_SCRIPT)
    const command = (op: string) => [process.execPath, script, record, local.nodes.local.workDir, failDir, local.nodes.local.etcd, op]
    // A config path a shell would run something from: it must arrive as it is.
    const pwned = join(dir, 'pwned')
    const nasty = (m: MemberSpec): MemberSpec => ({...m, configFile: join(local.nodes.local.workDir, m.name, `conf $(touch ${pwned}); 'q' "dq" \`touch ${pwned}\` &.yaml`)})
    const s: Spec = {
      ...local,
      target: {members: local.target.members.map(nasty)},
      nodes: {...local.nodes, provider: 'exec', exec: {writeConfig: command('writeConfig'), start: command('start'), stop: command('stop'), isRunning: command('isRunning'), logTail: command('logTail')}},
    }
    // The cleanup stops every member by pid file or by its config file's command line (the lab's local provider does).
    spec = {...s, nodes: local.nodes}
    const plan = await planLive(s, started.path)
    const journalPath = join(dir, '.etcdplan', NAME, 'state.json')

    // A failing command: the start of etcd5 fails; the apply stops there, with the command's stderr.
    await mkdir(failDir, {recursive: true})
    await writeFile(join(failDir, 'start-etcd5'), 'Error: the unit etcd@etcd5 is masked on 198.18.0.5\n')
    const failed = await applyInProcess(plan, s, journalPath)
    assert.equal(failed.status, 'failed', explainApply(failed))
    assert.ok(failed.status === 'failed')
    assert.equal(failed.error.stepId, 'start-member/etcd5', explainApply(failed))
    assert.match(failed.error.reason, /^nodes\.exec\.start for etcd5 failed \(exit code 5; .*\): Error: the unit etcd@etcd5 is masked on 198\.18\.0\.5$/)
    assert.match(failed.error.detail ?? '', /preparing start of etcd5\nError: the unit etcd@etcd5 is masked/)
    assert.deepEqual(failed.events.filter((e) => e.type === 'step-failed').map((e) => (e as {id: string}).id), ['start-member/etcd5'])
    const stoppedAt = await readJournal(dir, NAME)
    assert.equal(stoppedAt.status, 'failed')
    // Nothing beyond: etcd5's start did not happen, etcd6 was not added.
    assert.equal(stoppedAt.steps.find((step) => step.id === 'add-learner/etcd6')?.status, 'pending')

    // Fixed: the same apply resumes at the step and finishes.
    await rm(join(failDir, 'start-etcd5'))
    const resumed = await applyInProcess(plan, s, journalPath)
    t.diagnostic(`resumed apply: ${resumed.events.filter((e) => e.type === 'step-done').length} steps done`)
    assert.equal(resumed.status, 'complete', explainApply(resumed))
    assert.equal(resumed.events.find((e) => e.type === 'step-start')?.id, 'start-member/etcd5')

    const targetURLs = s.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, s.target.members)
    await assertDataIntact(targetURLs, KEYS)
    await assertConfigsMatchPlan(plan, s.target.members)
    assertJournalComplete(await readJournal(dir, NAME), plan)
    assert.equal(existsSync(pwned), false, 'a shell ran something from the config path')

    // The preflight says what exec could not check (the hosts were not probed), not that it passed.
    const warnings = [...failed.events, ...resumed.events].filter((e) => e.type === 'step-warning').map((e) => `${(e as {id: string}).id}: ${(e as unknown as {warning: string}).warning}`)
    assert.ok(warnings.some((w) => /^preflight: etcd4's etcd binary and its version: etcdplan cannot observe the etcd binary, the ports and the files etcd needs on etcd4's host with nodes\.provider exec/.test(w)), warnings.join('\n'))
    assert.ok(warnings.some((w) => /^preflight: the ports etcd6 listens on: /.test(w)), warnings.join('\n'))
    assert.ok(warnings.some((w) => /^write-config\/etcd4: .* was not read back: .*nodes\.exec has no readConfig command/.test(w)), warnings.join('\n'))

    // Every command saw the contract's variables, with the spec's values, literally.
    const seen = (await readFile(record, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Recorded)
    const byName = new Map([...s.source.members, ...s.target.members].map((m) => [m.name, m]))
    for (const {op, env} of seen) {
      const m = byName.get(env.ETCDPLAN_MEMBER ?? '')
      assert.ok(m !== undefined, `${op} ran for an unknown member: ${JSON.stringify(env)}`)
      assert.equal(env.ETCDPLAN_OPERATION, op)
      assert.equal(env.ETCDPLAN_HOST, m.host)
      assert.equal(env.ETCDPLAN_DATA_DIR, m.dataDir)
      assert.equal(env.ETCDPLAN_PEER_URL, m.peerURL)
      assert.equal(env.ETCDPLAN_CLIENT_URL, m.clientURL)
      if (op !== 'isRunning' && op !== 'logTail' && op !== 'stop') assert.equal(env.ETCDPLAN_CONFIG_FILE, m.configFile, `${op} of ${m.name}`)
    }
    const ops = (op: string, member: string) => seen.filter((r) => r.op === op && r.env.ETCDPLAN_MEMBER === member)
    for (const m of s.target.members) {
      // write-config, then rewrite-config to the final membership.
      assert.equal(ops('writeConfig', m.name).length, 2, `writeConfig of ${m.name}`)
      // start, and the restart as stop + start (no restart command).
      const starts = ops('start', m.name)
      assert.ok(starts.length >= 2, `start of ${m.name}: ${starts.length}`)
      for (const start of starts) assert.match(start.env.ETCDPLAN_START_MARK ?? '', new RegExp(`^--- etcdplan: starting etcd for ${m.name} with --config-file `))
      const stops = ops('stop', m.name)
      assert.ok(stops.length >= 1, `stop of ${m.name}`)
      for (const stop of stops) assert.equal(stop.env.ETCDPLAN_TIMEOUT_MS, String(s.timeouts.stepMs))
    }
    for (const tail of seen.filter((r) => r.op === 'logTail')) assert.match(tail.env.ETCDPLAN_LINES ?? '', /^\d+$/)
    assert.ok(seen.every((r) => !('ETCDPLAN_SNAPSHOT' in r.env)), 'a snapshot path was passed outside restore')
  } finally {
    await removeLab(dir, spec)
  }
})
