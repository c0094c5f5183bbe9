// Every plan marks its point of no return: the first step after which no rollback plan can return to
// the source. Join: the first removal of a source member (etcd never lets a removed member ID
// rejoin), whatever the order; snapshot: stopping the old members; none for pure additions.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {buildPlan} from '../../src/plan/build-plan.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import type {Plan} from '../../src/plan/types.js'
import {buildSpec, members, type SpecOverrides} from '../fixtures/spec-builder.js'
import {renderPlanMarkdown} from '../../src/render/render-plan-markdown.js'
import {renderPlan} from '../../src/render/render-plan.js'

const old3 = members('etcd', 1, 3, 1)
const new3 = members('etcd', 4, 6, 2)
const planFor = (o: SpecOverrides): Plan => {
  const spec = buildSpec(o)
  return buildPlan(spec, `sha256:${'0'.repeat(64)}`, observeFromSpec(spec))
}
const ids = (p: Plan) => p.steps.map((s) => s.id)

describe('point of no return', () => {
  it('add-first join: the first source removal, after the DNS switch and every add', () => {
    const p = planFor({source: old3, target: new3})
    assert.ok(p.pointOfNoReturn !== null)
    const at = ids(p).indexOf(p.pointOfNoReturn.stepId)
    assert.equal(p.steps[at]?.kind, 'remove-member')
    assert.ok(['etcd1', 'etcd2', 'etcd3'].includes(p.pointOfNoReturn.stepId.split('/')[1]!))
    // Nothing before it removes a source member; the DNS switch and every add come before it.
    assert.ok(p.steps.slice(0, at).every((s) => s.kind !== 'remove-member'))
    assert.ok(ids(p).indexOf('switch-dns') < at && ids(p).indexOf('promote/etcd6') < at)
    assert.match(p.pointOfNoReturn.why, /^From here on, going back means re-adding etcd\d as a new member/)
  })

  it('one-for-one join: the first source removal, right after the first new member joined', () => {
    const p = planFor({source: old3, target: new3, join: {order: 'one-for-one'}})
    assert.ok(p.pointOfNoReturn !== null)
    const at = ids(p).indexOf(p.pointOfNoReturn.stepId)
    assert.ok(ids(p).indexOf('promote/etcd4') < at && at < ids(p).indexOf('add-learner/etcd5'), ids(p).join(', '))
  })

  it('pure additions (scale out 1 → 3) have none', () => {
    const p = planFor({source: old3.slice(0, 1), target: [old3[0]!, ...new3.slice(0, 2)]})
    assert.ok(p.steps.length > 0)
    assert.equal(p.pointOfNoReturn, null)
    assert.match(renderPlan(p, {colour: false}), /No point of no return: until the last step, `etcdplan plan --rollback` can plan the way back/)
  })

  it('snapshot: stopping the first old member', () => {
    const p = planFor({source: old3, target: new3, strategy: 'snapshot'})
    assert.equal(p.pointOfNoReturn?.stepId, 'stop-member/etcd1')
    assert.equal(ids(p).indexOf('stop-member/etcd1'), ids(p).indexOf('switch-dns') + 1)
    assert.match(p.pointOfNoReturn.why, /data dir is kept/)
  })

  it('is shown on its step and explained, in text and markdown', () => {
    const p = planFor({source: old3, target: new3})
    const point = p.pointOfNoReturn!
    const number = ids(p).indexOf(point.stepId) + 1
    const text = renderPlan(p, {colour: false})
    assert.ok(text.split('\n').some((line) => line.startsWith(`${number}  - ${point.stepId}`) && line.endsWith('<- point of no return')), text)
    assert.ok(text.includes(`Point of no return: step ${number} (${point.stepId}). ${point.why}`), text)
    const markdown = renderPlanMarkdown(p)
    assert.ok(markdown.includes(`- **Point of no return:** step ${number} (${point.stepId}). From here on, going back means`), markdown)
    assert.ok(markdown.split('\n').some((line) => line.includes(`\`${point.stepId}\``) && line.endsWith('**(point of no return)** |')), markdown)
  })
})
