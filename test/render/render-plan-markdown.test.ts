import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {renderPlanMarkdown} from '../../src/render/render-plan-markdown.js'
import {ANSI} from './ansi.js'
import {buildNoChangesPlan, buildPlanFixture, liveObservation} from './plan-fixture.js'

const plan = buildPlanFixture({warnings: [{code: 'no-dns', message: 'Point clients at the target members yourself.'}]})
const md = renderPlanMarkdown(plan)
const lines = md.split('\n')

describe('renderPlanMarkdown', () => {
  it('has a heading, the options and the observation', () => {
    assert.equal(lines[0], '### etcdplan: move-to-rack-b')
    assert.ok(lines.includes('- **Strategy:** join: add-first, learners, final state existing, rolling restart'))
    assert.ok(lines.includes("- **Observed:** offline — planned from the spec's source members (apply will check the live cluster)"))
  })

  it('quotes the warnings', () => {
    assert.ok(lines.includes('> **Warning:** Point clients at the target members yourself.'))
  })

  it('tables the members', () => {
    assert.ok(lines.includes('| action | member | peer URL | client URL |'))
    assert.ok(lines.includes('| `+` | etcd4 | `http://127.0.2.1:2380` | `http://127.0.2.1:2379` |'))
    assert.ok(lines.includes('|  | etcd2 (kept) | `http://127.0.1.2:2380` | `http://127.0.1.2:2379` |'))
  })

  it('adds an ID column only for a live plan', () => {
    const live = buildPlanFixture({observation: liveObservation, members: plan.members.map((m) => (m.name === 'etcd1' ? {...m, id: '10501334649042878790'} : m))})
    const text = renderPlanMarkdown(live)
    assert.match(text, /^\| action \| member \| peer URL \| client URL \| ID \|$/m)
    assert.match(text, /^\| `-` \| etcd1 \| .* \| `91bc3c398fb3c146` \|$/m)
    assert.match(text, /^- \*\*Observed:\*\* live cluster cdf818194e3a8c32, 3 members$/m)
  })

  it('tables the steps with their fault tolerance', () => {
    assert.ok(lines.includes('| # | action | step | voters | learners | quorum | tolerates | what |'))
    assert.ok(lines.includes('| 1 | `<=` | `preflight` | 3 | 0 | 2 | 1 | Check that the live cluster is the one this plan was made for, healthy and free of alarms. |'))
    assert.ok(lines.includes('| 6 | `~` | `promote/etcd4` | 3→4 | 1→0 | 2→3 | 1 | Promote learner etcd4 to a voting member. |'))
    assert.equal(lines.filter((l) => /^\| \d+ \|/.test(l)).length, plan.steps.length)
  })

  it('folds each config diff in a <details> block with a diff fence', () => {
    assert.equal(lines.filter((l) => l.startsWith('<details><summary>') && l.includes('config of etcd4')).length, 2)
    assert.ok(lines.includes('<details><summary>+ config of etcd4 (/etc/etcd/etcd4.yaml)</summary>'))
    assert.ok(lines.includes('<details><summary>~ config of etcd4 (/etc/etcd/etcd4.yaml)</summary>'))
    assert.equal(lines.filter((l) => l === '```diff').length, 2)
    assert.ok(lines.includes('+initial-cluster-state: existing'))
    assert.equal(lines.filter((l) => l === '<details>' || l.startsWith('<details>')).length, lines.filter((l) => l === '</details>').length)
  })

  it('ends with the hashes and the count of changes', () => {
    assert.match(md, /Content hash `sha256:c{64}`/)
    assert.match(md, /Spec hash `sha256:a{64}`/)
    assert.equal(lines.at(-2), '**Plan: 1 to add, 1 to change, 1 to remove (1 config rewrite).**')
    assert.equal(lines.at(-1), '')
  })

  it('never contains ANSI codes', () => {
    assert.doesNotMatch(md, ANSI)
  })

  it('keeps tables and fences intact whatever the text holds', () => {
    const tricky = buildPlanFixture({
      steps: plan.steps.map((s) =>
        s.kind === 'write-config' ? {...s, description: 'a | b <c> *d*', config: {...s.config, content: 'x: "```"\n'}} : s,
      ),
    })
    const text = renderPlanMarkdown(tricky)
    assert.match(text, /\| a \\\| b &lt;c&gt; \\\*d\\\* \|$/m)
    assert.match(text, /^````diff$/m)
  })

  it('says there is nothing to do when the plan has no steps', () => {
    const text = renderPlanMarkdown(buildNoChangesPlan())
    assert.match(text, /No changes\. The cluster already matches the target\./)
    assert.doesNotMatch(text, /\| # \|/)
  })

})
