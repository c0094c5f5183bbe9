// End to end, against real etcd (3.4.23) on loopback: `etcdplan apply PLANFILE` applies a saved plan
// exactly as reviewed, or not at all. For a 3 → 3 migration planned with `plan SPEC -o plan.json`, it
// refuses (exit 1, nothing changed, no journal step done): a plan file edited by hand (content hash),
// a plan whose spec changed since (spec hash), and — after a member was added by hand with etcdctl —
// a plan the cluster no longer matches ("Saved plan is stale", naming the added member's peer URL);
// and `apply SPEC` with no terminal to ask and no --auto-approve, or with `no` typed at the prompt.
// The cluster is started once for the file; every etcd is stopped in `after`, the temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {execFile, spawnSync} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import type {Journal} from '../../src/apply/journal.js'
import {PEER_PORT, pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, writeMigrationSpec, type MigrationSpecOptions} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, useLabCluster} from '../fixtures/lab-cluster.js'
import {cliPath} from '../fixtures/repo-root.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {addLearnerByHand} from '../fixtures/add-learner-by-hand.js'
import {explain, observeLive} from './migration-assertions.js'

const execFileAsync = promisify(execFile)
const NAME = 'stale'

let specOptions: MigrationSpecOptions | null = null
let intruderPeerURL = ''

const lab = useLabCluster(
  'etcdplan-e2e-stale-',
  async (dir) => {
    const hosts = await pickLoopbackHosts(7)
    const members = namedMembers('etcd', hosts.slice(0, 6))
    // The 7th address belongs to no member of the spec: the intruder added by hand.
    intruderPeerURL = `http://${hosts[6]}:${PEER_PORT}`
    specOptions = {name: NAME, dir, source: members.slice(0, 3), target: members.slice(3), timeouts: E2E_TIMEOUTS}
    return specOptions
  },
  {start: true},
)

/** A fresh plan of the migration as the cluster is now, saved in the temp dir. */
async function savePlan(file: string): Promise<string> {
  const planned = await runCliAsync(['plan', lab.specPath, '-o', file], {cwd: lab.dir, timeoutMs: 60_000})
  assert.equal(planned.status, 0, explain(planned))
  return join(lab.dir, file)
}

test('a plan file edited by hand is refused for its content hash; nothing changes', {timeout: 120_000}, async () => {
  const before = await observeLive(lab.sourceURLs())
  const planPath = await savePlan('plan.json')
  const plan = JSON.parse(await readFile(planPath, 'utf8')) as {steps: Array<{description: string}>}
  const step = plan.steps[1]
  assert.ok(step !== undefined)
  // One character of one step's description, still valid JSON and still matching the schema.
  step.description = step.description.replace(/.$/, step.description.endsWith('!') ? '?' : '!')
  await writeFile(join(lab.dir, 'edited.plan.json'), `${JSON.stringify(plan, null, 2)}\n`)

  const applied = await runCliAsync(['apply', 'edited.plan.json'], {cwd: lab.dir, timeoutMs: 60_000})
  assert.equal(applied.status, 1, explain(applied))
  assert.match(applied.stderr, /hash/i, explain(applied))
  assert.match(applied.stderr, /changed after it was made/, explain(applied))
  await assertUnchanged(before)
})

test('a plan whose spec changed since is refused; nothing changes', {timeout: 120_000}, async () => {
  const before = await observeLive(lab.sourceURLs())
  await savePlan('plan.json')
  assert.ok(specOptions)
  await writeMigrationSpec({...specOptions, join: {catchUpTolerance: 50}})
  try {
    const applied = await runCliAsync(['apply', 'plan.json'], {cwd: lab.dir, timeoutMs: 60_000})
    assert.equal(applied.status, 1, explain(applied))
    assert.match(applied.stderr, /spec .* is not the one the plan .* was made from/, explain(applied))
    assert.match(applied.stderr, /changed since/, explain(applied))
    await assertUnchanged(before)
  } finally {
    await writeMigrationSpec(specOptions)
  }
})

test('apply SPEC without a terminal and without --auto-approve asks nobody and changes nothing', {timeout: 120_000}, async () => {
  const before = await observeLive(lab.sourceURLs())
  const applied = await runCliAsync(['apply', lab.specPath], {cwd: lab.dir, timeoutMs: 60_000})
  assert.equal(applied.status, 1, explain(applied))
  assert.match(applied.stderr, /apply needs approval, and there is no terminal to ask/, explain(applied))
  assert.match(applied.stderr, /--auto-approve/, explain(applied))
  await assertUnchanged(before)
})

test('at a terminal, apply SPEC shows the plan and asks; anything but yes cancels and changes nothing', {timeout: 120_000}, async () => {
  const before = await observeLive(lab.sourceURLs())
  // `script` (util-linux) runs the CLI on a pseudo-terminal and types the answer into it.
  const command = `${process.execPath} ${cliPath} apply ${lab.specPath} --no-color`
  const answered = spawnSync('script', ['-qec', command, '/dev/null'], {cwd: lab.dir, input: 'no\n', encoding: 'utf8', timeout: 60_000, env: {...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined}})
  const output = `${answered.stdout}${answered.stderr}`
  assert.match(output, /Plan: 3 to add, 3 to change, 3 to remove \(3 config rewrites, 3 restarts\)\./, output)
  assert.match(output, /Only 'yes' will be accepted to approve\./, output)
  assert.match(output, /apply cancelled; nothing was changed/, output)
  assert.notEqual(answered.status, 0, output)
  await assertUnchanged(before)
})

test('a plan made before a member was added by hand is stale; nothing changes', {timeout: 120_000}, async (t) => {
  await savePlan('plan.json')
  await addLearnerByHand(lab.sourceURLs(), 'intruder', intruderPeerURL)
  const before = await observeLive(lab.sourceURLs())
  assert.deepEqual(peerURLsOf(before), [...lab.spec.source.members.map((m) => m.peerURL), intruderPeerURL].sort())
  const intruder = before.members.find((m) => m.peerURLs.includes(intruderPeerURL))
  assert.equal(intruder?.isLearner, true)

  const applied = await runCliAsync(['apply', 'plan.json'], {cwd: lab.dir, timeoutMs: 60_000})
  assert.equal(applied.status, 1, explain(applied))
  t.diagnostic(applied.stderr.trim())
  assert.match(applied.stderr, /Saved plan is stale/, explain(applied))
  assert.ok(applied.stderr.includes(intruderPeerURL), `stderr does not name ${intruderPeerURL}\n${explain(applied)}`)
  assert.match(applied.stderr, /added as a learner/, explain(applied))
  // With --json the refusal is one more JSON line on stdout, for scripts.
  const json = await runCliAsync(['apply', 'plan.json', '--json'], {cwd: lab.dir, timeoutMs: 60_000})
  assert.equal(json.status, 1, explain(json))
  const last = JSON.parse(json.stdout.trimEnd().split('\n').at(-1) ?? '') as {type: string; error: {message: string; hint: string}}
  assert.equal(last.type, 'error')
  assert.match(last.error.message, /Saved plan is stale/)
  assert.ok(last.error.message.includes(intruderPeerURL))
  // Exactly the 3 source members and the intruder, with the same IDs: apply changed nothing.
  await assertUnchanged(before)
})

/** The same members with the same IDs as `before`, and no journal step done. */
async function assertUnchanged(before: LiveCluster): Promise<void> {
  const now = await observeLive(lab.sourceURLs())
  assert.equal(now.clusterId, before.clusterId)
  assert.deepEqual(idsOf(now), idsOf(before))
  const journal = await readFile(join(lab.dir, '.etcdplan', NAME, 'state.json'), 'utf8').then((text) => JSON.parse(text) as Journal, () => null)
  if (journal !== null) assert.deepEqual(journal.steps.filter((s) => s.status === 'done').map((s) => s.id), [], 'the journal records a step as done')
}

function idsOf(cluster: LiveCluster): string[] {
  return cluster.members.map((m) => `${m.peerURLs.join(',')}=${m.id}:${m.isLearner ? 'learner' : 'voter'}`).sort()
}

function peerURLsOf(cluster: LiveCluster): string[] {
  return cluster.members.flatMap((m) => m.peerURLs).sort()
}

// A saved plan is a claim about the live cluster whatever its size: one with nothing to do is still
// checked, so a member added by hand since makes it stale instead of "0 steps, done" (and the journal
// of another plan is not moved aside).
test('a plan with no steps, made before a member was added by hand, is stale too; nothing changes', {timeout: 120_000}, async (t) => {
  assert.ok(specOptions)
  await removeIntruder(lab.sourceURLs()[0]!)
  const {path: noChangeSpec} = await writeMigrationSpec({...specOptions, name: 'nochange', target: specOptions.source})
  const planned = await runCliAsync(['plan', noChangeSpec, '-o', 'zero.plan.json', '--json'], {cwd: lab.dir, timeoutMs: 60_000})
  assert.equal(planned.status, 0, explain(planned))
  assert.equal((JSON.parse(planned.stdout) as {steps: unknown[]}).steps.length, 0, 'the cluster is at its target: no steps')
  // The plan applies while it holds.
  const current = await runCliAsync(['apply', 'zero.plan.json'], {cwd: lab.dir, timeoutMs: 60_000})
  assert.equal(current.status, 0, explain(current))

  await addLearnerByHand(lab.sourceURLs(), 'intruder', intruderPeerURL)
  const before = await observeLive(lab.sourceURLs())
  const applied = await runCliAsync(['apply', 'zero.plan.json'], {cwd: lab.dir, timeoutMs: 60_000})
  t.diagnostic(applied.stderr.trim())
  assert.equal(applied.status, 1, explain(applied))
  assert.match(applied.stderr, /Saved plan is stale/, explain(applied))
  assert.ok(applied.stderr.includes(`(${intruderPeerURL}) was added as a learner`), explain(applied))
  const journal = JSON.parse(await readFile(join(lab.dir, '.etcdplan', 'nochange', 'state.json'), 'utf8')) as Journal
  assert.equal(journal.status, 'complete', 'the journal of the applied zero-step plan is left as it was, not superseded')
  await assertUnchanged(before)
})

/** `etcdctl member remove` of the intruder, when it is a member (removing a learner is never refused). */
async function removeIntruder(endpoint: string): Promise<void> {
  const intruder = (await observeLive(lab.sourceURLs())).members.find((m) => m.peerURLs.includes(intruderPeerURL))
  if (intruder === undefined || intruder.id === null) return
  await execFileAsync('etcdctl', ['--endpoints', endpoint, '--command-timeout', '5s', 'member', 'remove', BigInt(intruder.id).toString(16)], {env: {...process.env, ETCDCTL_API: '3'}})
}
