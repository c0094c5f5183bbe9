// End to end, against real etcd (3.4.23) on loopback: a migration whose spec has a manual DNS switch
// (`dns.switch.via: manual`) stops for the operator. `apply SPEC --auto-approve` exits 3 once the new
// member is a voter, the old one still in, and tells to run apply on the saved plan with
// `--confirm switch-dns`; that command then finishes the migration (exit 0, exactly the target).
// Shown for a 1 → 1 replace (a single-member cluster moved to another host) and for replacing one
// member of 3. Every etcd started here is stopped in `finally`, and each test's temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import {clusterEndpoints} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, type LabMember} from '../../lab/migration-spec.js'
import {removeLab, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain, readJournal} from './migration-assertions.js'

const DNS = {name: 'etcd.test.internal', switch: {via: 'manual'}, verify: false}
const KEYS = {count: 200, valueBytes: 256, prefix: '/e2e/dns/keys/'}
// A step that cannot finish fails after this long instead of the default minutes.
const TIMEOUTS = {catchUp: '2m', health: '30s', step: '20s'}

/** What the first (stopped) run of the 3-member case printed: the last test reads it. */
let stoppedRun: AsyncCliResult | null = null
let stoppedPlanPath = ''

// A single-member cluster has no other voter: moving or restarting its only member cannot wait for
// one to take over leadership or keep a quorum without it.
test('1 → 1 replace: exit 3 at the manual DNS switch, then --confirm switch-dns leaves exactly the new member', {timeout: 180_000}, async (t) => {
  await migrateWithManualDns(t, 'dns-single', 2, (m) => ({source: [m[0]!], target: [m[1]!]}))
})

test('replace one member of 3: exit 3 at the manual DNS switch, then --confirm switch-dns finishes', {timeout: 180_000}, async (t) => {
  const first = await migrateWithManualDns(t, 'dns-replace', 4, (m) => ({source: m.slice(0, 3), target: [m[0]!, m[1]!, m[3]!]}))
  stoppedRun = first.result
  stoppedPlanPath = first.planPath
})

test('the operator instructions name the saved plan, never a placeholder, and are shown once', () => {
  assert.ok(stoppedRun !== null, 'the previous test did not get as far as the stop at switch-dns')
  // Every line of stdout that tells the command to run: exactly one, naming the saved plan.
  const commands = stoppedRun.stdout.split('\n').filter((line) => line.includes('--confirm switch-dns')).map((line) => line.trim())
  assert.deepEqual(commands, [`etcdplan apply ${stoppedPlanPath} --confirm switch-dns`])
  const shown = stoppedRun.stdout.split('Point the DNS name').length - 1
  assert.equal(shown, 1, `stdout shows the DNS instructions ${shown} times`)
})

interface Diagnostics {
  diagnostic(message: string): void
}

async function migrateWithManualDns(
  t: Diagnostics,
  name: string,
  hostCount: number,
  shape: (members: LabMember[]) => {source: LabMember[]; target: LabMember[]},
): Promise<{result: AsyncCliResult; planPath: string}> {
  const dir = await mkdtemp(join(tmpdir(), `etcdplan-e2e-${name}-`))
  let spec: Spec | null = null
  try {
    const {source, target} = shape(namedMembers('etcd', await pickLoopbackHosts(hostCount)))
    const started = await startedSpecCluster({name, dir, source, target, dns: DNS, timeouts: TIMEOUTS}, KEYS)
    spec = started.spec
    const s = spec
    const planPath = join('.etcdplan', name, 'plan.json')

    // First run: stops at switch-dns, waiting for the operator.
    const stopped = await runCliAsync(['apply', started.path, '--auto-approve'], {cwd: dir, timeoutMs: 120_000})
    t.diagnostic(`${name}: first run took ${Math.round(stopped.durationMs)} ms`)
    assert.equal(stopped.status, 3, explain(stopped))
    assert.match(stopped.stderr, /--confirm switch-dns/, explain(stopped))
    assert.ok(stopped.stderr.includes(`apply ${planPath} --confirm switch-dns`), `stderr does not name the saved plan ${planPath}:\n${explain(stopped)}`)
    const waiting = await readJournal(dir, name)
    assert.equal(waiting.status, 'waiting-for-operator')
    assert.equal(waiting.steps.find((step) => step.id === 'switch-dns')?.status, 'waiting-for-operator')

    // At the stop: every target member is a started voter, and every old member is still in.
    const expectedAtStop = new Map([...s.source.members, ...s.target.members].map((m) => [m.name, m]))
    await assertExactMembership(clusterEndpoints(s), [...expectedAtStop.values()], 'is still a learner')

    // The operator switched DNS: confirm it on the saved plan.
    const confirmed = await runCliAsync(['apply', planPath, '--confirm', 'switch-dns'], {cwd: dir, timeoutMs: 150_000})
    t.diagnostic(`${name}: confirmed run took ${Math.round(confirmed.durationMs)} ms`)
    assert.equal(confirmed.status, 0, explain(confirmed))
    const targetURLs = s.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, s.target.members)
    await assertDataIntact(targetURLs, KEYS)
    const journal = await readJournal(dir, name)
    assert.equal(journal.status, 'complete')
    assert.equal(journal.steps.find((step) => step.id === 'switch-dns')?.status, 'done')
    return {result: stopped, planPath}
  } finally {
    await removeLab(dir, spec)
  }
}
