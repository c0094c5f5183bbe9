import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {renderPlan} from '../../src/render/render-plan.js'
import {ANSI, stripAnsi} from './ansi.js'
import {buildNoChangesPlan, buildPlanFixture, liveObservation} from './plan-fixture.js'

const plan = buildPlanFixture({warnings: [{code: 'fault-tolerance-drops', message: 'The migration reduces fault tolerance.'}]})
const text = renderPlan(plan, {colour: false})
const lines = text.split('\n')

describe('renderPlan', () => {
  it('opens with the migration, its strategy and what was observed', () => {
    assert.equal(lines[0], 'etcdplan will migrate "move-to-rack-b" (strategy join: add-first, learners, final state existing, rolling restart)')
    assert.equal(lines[1], "Observed: offline — planned from the spec's source members (apply will check the live cluster)")
    assert.ok(lines.includes('Warning: The migration reduces fault tolerance.'))
  })

  it('names the other join options as they are', () => {
    const other = buildPlanFixture({options: {learner: false, order: 'one-for-one', finalState: 'new', rollingRestart: false, catchUpTolerance: 0}})
    assert.match(renderPlan(other, {colour: false}), /\(strategy join: one-for-one, voting adds, final state new, no rolling restart\)$/m)
  })

  it('shows a live cluster by hex ID and member count, and member IDs in hex', () => {
    const live = buildPlanFixture({
      observation: liveObservation,
      members: plan.members.map((m, i) => ({...m, id: liveObservation.members[i]?.id ?? null})),
    })
    const rendered = renderPlan(live, {colour: false})
    assert.match(rendered, /^Observed: live cluster cdf818194e3a8c32, 3 members$/m)
    assert.match(rendered, /^ {2}- etcd1 {2}http:\/\/127\.0\.1\.1:2380 {2}\(id 91bc3c398fb3c146\)$/m)
    assert.match(rendered, /^ {4}etcd2 {2}http:\/\/127\.0\.1\.2:2380 {2}\(kept, id bf9071f4639c75cc\)$/m)
  })

  it('lists members with +, - and plain (kept)', () => {
    const members = lines.slice(lines.indexOf('Members:') + 1, lines.indexOf('Members:') + 5)
    assert.deepEqual(members, [
      '  - etcd1  http://127.0.1.1:2380',
      '    etcd2  http://127.0.1.2:2380  (kept)',
      '    etcd3  http://127.0.1.3:2380  (kept)',
      '  + etcd4  http://127.0.2.1:2380',
    ])
  })

  it('numbers the steps with their symbol and the fault tolerance after each, arrows where it changed', () => {
    const header = lines.find((l) => l.startsWith('Steps:'))
    assert.match(header ?? '', /voters {2}learners {2}quorum {2}tolerates$/)
    const row = (id: string) => lines.find((l) => new RegExp(`^ *\\d+ +\\S+ ${id.replace('/', '\\/')} `).test(l))
    assert.match(row('preflight') ?? '', /^ 1 <= preflight +3 +0 +2 +1$/)
    assert.match(row('write-config/etcd4') ?? '', /^ 2 {2}\+ write-config\/etcd4 +3 +0 +2 +1$/)
    assert.match(row('promote/etcd4') ?? '', /^ 6 {2}~ promote\/etcd4 +3→4 +1→0 +2→3 +1$/)
    // The first removal of a source member is the plan's point of no return, marked on its row.
    assert.match(row('remove-member/etcd1') ?? '', /^ 9 {2}- remove-member\/etcd1 +4→3 +0 +3→2 +1  <- point of no return$/)
    assert.match(row('verify') ?? '', /^12 <= verify /)
    // Columns line up: every row ends at the header's last column (the point of no return's mark comes after).
    const rows = plan.steps.map((s) => row(s.id)!.replace(/ {2}<- point of no return$/, ''))
    for (const r of rows) assert.equal(r.length, header!.length)
  })

  it("puts each step's description under it and preconditions only in detailed mode", () => {
    const at = lines.findIndex((l) => / add-learner\/etcd4 /.test(l))
    assert.equal(lines[at + 1], '      Add etcd4 (http://127.0.2.1:2380) as a learner: it receives the log but does not vote until promoted.')
    assert.doesNotMatch(text, /no learner is in the cluster/)
    const detailed = renderPlan(plan, {colour: false, detailed: true}).split('\n')
    const step = detailed.findIndex((l) => / add-learner\/etcd4 /.test(l))
    assert.equal(detailed[step + 2], '        <= no learner is in the cluster (etcd allows one at a time)')
  })

  it('shows every config the plan writes as a diff: new from /dev/null, rewrites from the previous content', () => {
    assert.ok(lines.includes('  + config of etcd4 (/etc/etcd/etcd4.yaml)'))
    assert.ok(lines.includes('  ~ config of etcd4 (/etc/etcd/etcd4.yaml)'))
    assert.ok(lines.includes('    --- /dev/null'))
    assert.ok(lines.includes('    +initial-cluster-state: existing'))
    assert.ok(lines.includes('    -initial-cluster: etcd1=http://127.0.1.1:2380,etcd2=http://127.0.1.2:2380,etcd3=http://127.0.1.3:2380,etcd4=http://127.0.2.1:2380'))
  })

  it('ends with the count of changes', () => {
    assert.equal(lines.at(-1), 'Plan: 1 to add, 1 to change, 1 to remove (1 config rewrite).')
    const other = buildPlanFixture({summary: {add: 3, change: 3, remove: 3, configRewrites: 3, restarts: 3}})
    assert.equal(renderPlan(other, {colour: true}).split('\n').at(-1)?.replace(ANSI, '').replace(ANSI, ''), 'Plan: 3 to add, 3 to change, 3 to remove (3 config rewrites, 3 restarts).')
    const plain = buildPlanFixture({summary: {add: 2, change: 0, remove: 1, configRewrites: 0, restarts: 0}})
    assert.equal(renderPlan(plain, {colour: false}).split('\n').at(-1), 'Plan: 2 to add, 0 to change, 1 to remove.')
  })

  it('says there is nothing to do when the plan has no steps', () => {
    assert.equal(
      renderPlan(buildNoChangesPlan(), {colour: false}),
      "Observed: offline — planned from the spec's source members (apply will check the live cluster)\n\nNo changes. The cluster already matches the target.",
    )
    const live = renderPlan(buildNoChangesPlan({observation: liveObservation}), {colour: false})
    assert.match(live, /^Observed: live cluster cdf818194e3a8c32, 3 members\n\nNo changes\. The cluster already matches the target\.$/)
  })

  it('has no ANSI codes without colour, and the same text under them with colour', () => {
    assert.doesNotMatch(text, ANSI)
    const coloured = renderPlan(plan, {colour: true, detailed: true})
    assert.match(coloured, ANSI)
    assert.equal(stripAnsi(coloured), renderPlan(plan, {colour: false, detailed: true}))
  })

  it('marks a drop in tolerated failures in red', () => {
    const drop = buildPlanFixture()
    const steps = drop.steps.map((s) => (s.id === 'remove-member/etcd1' ? {...s, after: {...s.after, tolerates: 0}} : s))
    const coloured = renderPlan({...drop, steps}, {colour: true})
    assert.match(coloured, /\u001b\[31m +1→0\u001b\[39m/)
  })
})
