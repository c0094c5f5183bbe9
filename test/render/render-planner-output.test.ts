// The renderers over what the real planner produces, for every strategy and join option and for a
// live observation part-way through a join: nothing throws, every step and config is shown, and
// the closing line matches the plan's summary.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import type {Observation} from '../../src/cluster/observation.js'
import {buildPlan} from '../../src/plan/build-plan.js'
import type {Plan} from '../../src/plan/types.js'
import {renderPlan} from '../../src/render/render-plan.js'
import {renderPlanMarkdown} from '../../src/render/render-plan-markdown.js'
import {buildSpec, members, type SpecOverrides} from '../fixtures/spec-builder.js'
import {ANSI} from './ansi.js'

const old3 = members('etcd', 1, 3, 1)
const new3 = members('etcd', 4, 6, 2)

function planFor(o: SpecOverrides, observe: (spec: ReturnType<typeof buildSpec>) => Observation = observeFromSpec): Plan {
  const spec = buildSpec(o)
  return buildPlan(spec, `sha256:${'0'.repeat(64)}`, observe(spec))
}

/** Live: etcd1-3 voting, etcd4 already added as a learner and started (a join resumed). */
function liveWithLearner(spec: ReturnType<typeof buildSpec>): Observation {
  const offline = observeFromSpec(spec)
  return {
    mode: 'live',
    clusterId: '14841639068965178418',
    leaderId: '101',
    members: [
      ...offline.members.map((m, i) => ({...m, id: String(101 + i)})),
      {id: '104', name: 'etcd4', peerURLs: [new3[0]!.peerURL], clientURLs: [new3[0]!.clientURL], isLearner: true, started: true},
    ],
  }
}

const cases: [string, Plan][] = [
  ['join, add-first, learners', planFor({source: old3, target: new3})],
  ['join, one-for-one, voting adds, final state new', planFor({source: members('etcd', 1, 4, 1), target: members('etcd', 5, 8, 2), join: {order: 'one-for-one', learner: false, finalState: 'new', rollingRestart: false}})],
  ['join, no DNS, a kept member', planFor({source: old3, target: [old3[1]!, old3[2]!, new3[0]!], dns: false})],
  ['snapshot', planFor({source: old3, target: new3, strategy: 'snapshot'})],
  ['live, a learner part-way through its join', planFor({source: old3, target: new3}, liveWithLearner)],
  ['no changes', planFor({source: old3, target: old3})],
]

describe('rendering the planner output', () => {
  for (const [name, plan] of cases) {
    it(name, () => {
      const text = renderPlan(plan, {colour: false, detailed: true})
      const md = renderPlanMarkdown(plan)
      assert.doesNotMatch(text, ANSI)
      assert.doesNotMatch(md, ANSI)
      assert.match(renderPlan(plan, {colour: true}), ANSI)
      if (plan.steps.length === 0) {
        assert.match(text, /No changes\. The cluster already matches the target\.$/)
        return
      }
      // The closing line counts what the steps do: each config rewrite and restart is named.
      const {add, change, remove} = plan.summary
      const rewrites = plan.steps.filter((s) => s.kind === 'rewrite-config').length
      const restarts = plan.steps.filter((s) => s.kind === 'restart-member').length
      const what = [...(rewrites > 0 ? [`${rewrites} config rewrite${rewrites === 1 ? '' : 's'}`] : []), ...(restarts > 0 ? [`${restarts} restart${restarts === 1 ? '' : 's'}`] : [])]
      assert.equal(text.split('\n').at(-1), `Plan: ${add} to add, ${change} to change, ${remove} to remove${what.length > 0 ? ` (${what.join(', ')})` : ''}.`)
      assert.deepEqual([plan.summary.configRewrites, plan.summary.restarts], [rewrites, restarts])
      for (const step of plan.steps) {
        assert.ok(text.includes(` ${step.id} `) || text.includes(` ${step.id}\n`), `${step.id} in the human view`)
        assert.ok(md.includes(`\`${step.id}\``), `${step.id} in the markdown view`)
      }
      const configs = plan.steps.filter((s) => s.kind === 'write-config' || s.kind === 'rewrite-config').length
      assert.equal(md.split('\n').filter((l) => l === '```diff').length, configs)
    })
  }

  it('shows the snapshot strategy, its steps and its configs from /dev/null', () => {
    const text = renderPlan(cases[3]![1], {colour: false})
    assert.match(text, /\(strategy snapshot: restore a new cluster from a snapshot of the leader\)/)
    assert.match(text, / <= snapshot-save /)
    assert.match(text, /  \+ restore-member\/etcd4 /)
    assert.match(text, /^ {4}\+initial-cluster-state: new$/m)
  })

  it('shows a live plan by cluster ID, with its learner', () => {
    assert.match(renderPlan(cases[4]![1], {colour: false}), /^Observed: live cluster cdf818194e3a8c32, 4 members \(1 learner\)$/m)
  })
})
