// The step graph: the walk is the plan's order (every edge points backwards, so it is a topological
// one), an edge to a later or unknown step is refused, and a failed step's dependents are every step
// that reaches it through dependsOn — the steps it does not hold up are not among them.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import {buildPlan} from '../../src/plan/build-plan.js'
import {dependentsOf, walkOrder} from '../../src/plan/step-graph.js'
import type {Step} from '../../src/plan/types.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'

const spec = buildSpec({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2), dns: false})
const plan = buildPlan(spec, `sha256:${'0'.repeat(64)}`, observeFromSpec(spec), 'spec.yaml')

describe('step graph', () => {
  it('walks the plan in its own order', () => {
    assert.deepEqual(walkOrder(plan.steps).map((s) => s.id), plan.steps.map((s) => s.id))
  })

  it('refuses an edge to a later or unknown step', () => {
    const swapped = [plan.steps[1]!, plan.steps[0]!, ...plan.steps.slice(2)] as Step[]
    assert.throws(() => walkOrder(swapped), /step write-config\/etcd4 depends on preflight, which is not an earlier step of the plan/)
  })

  it("a failed add holds up everything after it that goes through the membership, not another member's config", () => {
    const notRun = dependentsOf(plan.steps, 'add-learner/etcd5')
    assert.ok(notRun.includes('start-member/etcd5') && notRun.includes('add-learner/etcd6') && notRun.includes('verify'), notRun.join(', '))
    assert.ok(!notRun.includes('write-config/etcd6'), 'writing etcd6\'s config does not depend on etcd5 joining')
    assert.ok(!notRun.includes('promote/etcd4'), 'nothing before it')
  })

  it('a removed member not confirmed stopped holds up only its fence and verify', () => {
    assert.deepEqual(dependentsOf(plan.steps, 'stop-member/etcd1'), ['fence-member/etcd1', 'verify'])
  })
})
