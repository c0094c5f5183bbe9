// `etcdplan diff OLD NEW` on real plan pairs made by the CLI from a spec edited between the two
// plans (plans/runbook.yaml with a member added; with the join order changed), compared byte for
// byte with the goldens in test/diff/golden/ (text and --json); the exit codes (0 same, 1 different,
// 2 trouble) and the refusals. Regenerate the goldens after an intended change with
// ETCDPLAN_UPDATE_GOLDEN=1 node --test dist/test/diff/diff-plans.test.js, and review their diff.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {diffPlans} from '../../src/diff/diff-plans.js'
import {diffPreconditions, diffSteps, longestCommonSubsequence} from '../../src/diff/diff-steps.js'
import {readPlanFile, writePlanFile} from '../../src/plan/plan-file.js'
import {planSpecFile} from '../../src/plan/plan-spec-file.js'
import {renderPlanDiff} from '../../src/render/render-plan-diff.js'
import type {PlanDiff} from '../../src/diff/plan-diff.js'
import type {Step} from '../../src/plan/types.js'
import {repoRoot} from '../fixtures/repo-root.js'
import {runCli} from '../fixtures/run-cli.js'
import {tempDir} from '../fixtures/temp-dir.js'
import {buildPlanFixture} from '../render/plan-fixture.js'

const runbookSpec = readFileSync(`${repoRoot}/plans/runbook.yaml`, 'utf8')
const golden = (name: string) => `${repoRoot}/test/diff/golden/${name}`

function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the runbook spec no longer holds ${JSON.stringify(from)}`)
  return text.replace(from, to)
}

/**
 * Plans the spec, edits it in place, plans it again: the two plan files of one migration, as
 * `etcdplan plan etcdplan.yaml --offline -o FILE` writes them (in-process: a CLI start per plan
 * would cost the unit suite a second each on a loaded machine; the CLI itself runs below).
 */
async function planPair(edited: string): Promise<string> {
  const dir = tempDir('etcdplan-diff-')
  const cwd = process.cwd()
  process.chdir(dir)
  try {
    for (const [text, out] of [[runbookSpec, 'old.plan.json'], [edited, 'new.plan.json']] as const) {
      writeFileSync('etcdplan.yaml', text)
      const result = await planSpecFile('etcdplan.yaml')
      assert.ok(result.plan, JSON.stringify(result.diagnostics))
      await writePlanFile(out, result.plan)
    }
  } finally {
    process.chdir(cwd)
  }
  return dir
}

/** `etcdplan diff old.plan.json new.plan.json` in `dir`, in-process: the text (no colour) and the JSON. */
async function diffIn(dir: string): Promise<{text: string; json: string; diff: PlanDiff}> {
  const diff = diffPlans(await readPlanFile(join(dir, 'old.plan.json')), await readPlanFile(join(dir, 'new.plan.json')), {old: 'old.plan.json', new: 'new.plan.json'})
  return {text: `${renderPlanDiff(diff, {colour: false})}\n`, json: `${JSON.stringify(diff, null, 2)}\n`, diff}
}

function assertGolden(actual: string, name: string): void {
  if (process.env.ETCDPLAN_UPDATE_GOLDEN === '1') writeFileSync(golden(name), actual)
  assert.equal(actual, readFileSync(golden(name), 'utf8'), `test/diff/golden/${name} is out of date (see the top of this file)`)
}

const memberAdded = await planPair(edit(runbookSpec, '    - {name: etcd6, peerURL: http://127.0.2.3:2380, clientURL: http://127.0.2.3:2379}\n', '    - {name: etcd6, peerURL: http://127.0.2.3:2380, clientURL: http://127.0.2.3:2379}\n    - {name: etcd7, peerURL: http://127.0.2.4:2380, clientURL: http://127.0.2.4:2379}\n'))
const orderChanged = await planPair(edit(runbookSpec, '  order: add-first  ', '  order: one-for-one'))

describe('etcdplan diff: a spec edited between two plans', () => {
  for (const [name, dir] of [['member-added', memberAdded], ['order-changed', orderChanged]] as const) {
    it(`${name}: the text and --json diffs are the goldens`, async () => {
      const {text, json} = await diffIn(dir)
      assertGolden(text, `runbook-${name}.diff.txt`)
      assertGolden(json, `runbook-${name}.diff.json`)
    })
  }

  it('the CLI prints that diff and exits 1 (the plans differ)', async () => {
    const r = runCli(['diff', 'old.plan.json', 'new.plan.json', '--no-color'], {cwd: memberAdded})
    assert.equal(r.status, 1, r.stderr)
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, readFileSync(golden('runbook-member-added.diff.txt'), 'utf8'))
  })

  it('member added: the new member\'s steps added, every config that names it diffed, the spec hash and summary changed', async () => {
    const {diff} = await diffIn(memberAdded)
    assert.equal(diff.same, false)
    assert.notEqual(diff.specHash, null)
    assert.equal(diff.observation.fingerprint, null, 'offline, both plans observed the same source members')
    assert.deepEqual(diff.members.added, ['etcd7'])
    assert.deepEqual(diff.steps.added.map((a) => a.id), ['write-config/etcd7', 'add-learner/etcd7', 'start-member/etcd7', 'wait-caught-up/etcd7', 'promote/etcd7', 'rewrite-config/etcd7', 'move-leader/etcd7', 'restart-member/etcd7'])
    assert.deepEqual(diff.steps.removed, [])
    assert.deepEqual(diff.configs.map((c) => [c.step, c.action]), [['write-config/etcd7', 'add'], ['rewrite-config/etcd4', 'change'], ['rewrite-config/etcd5', 'change'], ['rewrite-config/etcd6', 'change'], ['rewrite-config/etcd7', 'add']])
    assert.match(diff.configs[1]!.diff, /^\+initial-cluster: .*etcd7=http:\/\/127\.0\.2\.4:2380$/m)
    const preflight = diff.steps.changed.find((c) => c.id === 'preflight')
    assert.deepEqual(preflight?.preconditions.added.map((p) => p.check), ['etcd-version-compatible', 'ports-free', 'data-dir-empty'])
    assert.deepEqual([diff.summary?.old.add, diff.summary?.new.add, diff.summary?.new.restarts], [3, 4, 4])
  })

  it('order changed: the removals moved before the later adds', async () => {
    const {diff} = await diffIn(orderChanged)
    assert.deepEqual(diff.options, [{field: 'order', old: 'add-first', new: 'one-for-one'}])
    assert.deepEqual(diff.steps.added, [])
    assert.deepEqual(diff.steps.removed, [])
    const moved = diff.steps.moved.map((m) => m.id)
    assert.ok(moved.includes('remove-member/etcd1') && moved.includes('remove-member/etcd2'), moved.join(', '))
    assert.ok(diff.steps.moved.every((m) => m.newPosition < m.oldPosition), 'removals come earlier with one-for-one')
  })
})

describe('etcdplan diff: exit codes and refusals', () => {
  it('0 and "the same" for a plan against itself (or a byte-identical copy)', () => {
    const r = runCli(['diff', 'old.plan.json', 'old.plan.json'], {cwd: memberAdded})
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /The plans are the same/)
    const json = runCli(['diff', 'plans/runbook.plan.json', 'plans/runbook.plan.json', '--json'])
    assert.equal(json.status, 0)
    const diff = JSON.parse(json.stdout) as PlanDiff
    assert.equal(diff.same, true)
    assert.deepEqual([diff.steps.added, diff.steps.changed, diff.configs], [[], [], []])
  })

  it('2 for plans of different migrations, saying so, nothing on stdout', () => {
    const r = runCli(['diff', 'plans/runbook.plan.json', 'plans/runbook-snapshot.plan.json'])
    assert.equal(r.status, 2)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /plans of different migrations \("runbook" and "runbook-snapshot"\)/)
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace')
    const json = runCli(['diff', 'plans/runbook.plan.json', 'plans/runbook-snapshot.plan.json', '--json'])
    assert.equal(json.status, 2)
    assert.equal((JSON.parse(json.stdout) as {error: {code: string}}).error.code, 'plan-other-migration')
  })

  it('2 for a missing file, a file that is not a plan, and a plan edited by hand', () => {
    const dir = tempDir('etcdplan-diff-bad-')
    writeFileSync(join(dir, 'garbage.json'), '{"formatVersion": ')
    const plan = JSON.parse(readFileSync(`${repoRoot}/plans/runbook.plan.json`, 'utf8')) as {steps: {description: string}[]}
    plan.steps[1]!.description += '!'
    writeFileSync(join(dir, 'edited.plan.json'), JSON.stringify(plan, null, 2))
    for (const [file, why] of [['missing.plan.json', /cannot read the plan file/], ['garbage.json', /not valid JSON/], ['edited.plan.json', /changed after it was made/]] as const) {
      const r = runCli(['diff', `${repoRoot}/plans/runbook.plan.json`, file], {cwd: dir})
      assert.equal(r.status, 2, `${file}: ${r.stderr}`)
      assert.match(r.stderr, why)
      assert.equal(r.stdout, '')
    }
  })

  it('--help teaches it with examples', () => {
    const r = runCli(['diff', '--help'])
    assert.equal(r.status, 0)
    assert.match(r.stdout, /0 the plans are the same, 1 they differ, 2 trouble/)
    assert.match(r.stdout, /EXAMPLES/)
  })
})

describe('diffSteps', () => {
  const plan = buildPlanFixture()
  const ids = (steps: readonly Step[]) => steps.map((s) => s.id)

  it('finds the steps moved outside the longest common order', () => {
    assert.deepEqual(longestCommonSubsequence(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'b']), ['a', 'c', 'd'])
    const swapped = [...plan.steps]
    ;[swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!]
    const diff = diffSteps(plan.steps, swapped)
    assert.equal(diff.moved.length, 1)
    assert.ok([ids(plan.steps)[2], ids(plan.steps)[3]].includes(diff.moved[0]!.id))
    assert.deepEqual(diff.changed, [])
  })

  it('lists the fields and checks of a changed step, not the unchanged ones', () => {
    const after = plan.steps.map((s): Step => (s.kind === 'promote' ? {...s, description: 'Promote it.', preconditions: [...s.preconditions, {check: 'voters-healthy', description: 'every voter is healthy'}]} : s))
    const diff = diffSteps(plan.steps, after)
    assert.deepEqual(diff.changed.map((c) => c.id), ['promote/etcd4'])
    assert.deepEqual(diff.changed[0]!.fields.map((f) => f.field), ['description'])
    assert.deepEqual(diff.changed[0]!.preconditions.added.map((p) => p.check), ['voters-healthy'])
  })

  it('matches a check repeated for several members by member, and the n-th repeat with the n-th', () => {
    const p = (check: 'ports-free', member: string, description: string) => ({check, member, description})
    const diff = diffPreconditions([p('ports-free', 'etcd4', 'a'), p('ports-free', 'etcd5', 'b')], [p('ports-free', 'etcd5', 'b2'), p('ports-free', 'etcd6', 'c')])
    assert.deepEqual(diff.added.map((x) => x.member), ['etcd6'])
    assert.deepEqual(diff.removed.map((x) => x.member), ['etcd4'])
    assert.deepEqual(diff.changed, [{check: 'ports-free', member: 'etcd5', old: 'b', new: 'b2'}])
  })
})
