// The planner with members that are down (the observation records them): a dead voter the target
// drops is removed before anything is added, the plan says so, the quorum table counts it, and what
// cannot be planned around (below quorum, a dead member the target keeps) is refused with etcd's way out.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {buildPlan} from '../../src/plan/build-plan.js'
import {checkPlanSafety} from '../../src/plan/check-plan-safety.js'
import {UnsafePlanError} from '../../src/plan/unsafe-plan-error.js'
import {renderPlan} from '../../src/render/render-plan.js'
import {renderPlanMarkdown} from '../../src/render/render-plan-markdown.js'
import type {Observation} from '../../src/cluster/observation.js'
import type {MemberSpec} from '../../src/spec/types.js'
import type {Plan} from '../../src/plan/types.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'

const REFUSED = 'connect ECONNREFUSED 127.0.1.3:2379'

function live(source: readonly MemberSpec[], downNames: readonly string[], leader = '1'): Observation {
  const listed = source.map((m, i) => ({id: String(i + 1), name: m.name, peerURLs: [m.peerURL], clientURLs: [m.clientURL], isLearner: false, started: true}))
  return {mode: 'live', clusterId: '1234', leaderId: leader, members: listed, down: listed.filter((m) => downNames.includes(m.name)).map((m) => ({id: m.id, error: REFUSED}))}
}

function planFor(source: readonly MemberSpec[], target: readonly MemberSpec[], observation: Observation, order: 'add-first' | 'one-for-one' = 'add-first'): Plan {
  return buildPlan(buildSpec({source, target, join: {order}}), 'sha256:' + '0'.repeat(64), observation)
}

const ids = (plan: Plan) => plan.steps.map((s) => s.id)
const three = members('etcd', 1, 3, 1)
const etcd4 = members('etcd', 4, 4, 2)

describe('planner: replacing a member that is down', () => {
  const target = [three[0]!, three[1]!, etcd4[0]!]
  for (const order of ['add-first', 'one-for-one'] as const) {
    it(`removes the dead voter first, then adds its replacement as a learner (${order})`, () => {
      const plan = planFor(three, target, live(three, ['etcd3']), order)
      assert.deepEqual(ids(plan).slice(0, 8), ['preflight', 'remove-member/etcd3', 'stop-member/etcd3', 'write-config/etcd4', 'add-learner/etcd4', 'start-member/etcd4', 'wait-caught-up/etcd4', 'promote/etcd4'])
      // A dead member does not lead: no leadership move before its removal.
      assert.ok(!ids(plan).includes('move-leader/etcd3'))
      assert.deepEqual(checkPlanSafety(plan), [])
    })
  }

  it('records the dead member in the plan, says why it goes first, and counts it in the quorum table', () => {
    const plan = planFor(three, target, live(three, ['etcd3']))
    assert.deepEqual(plan.observation.down, [{id: '3', error: REFUSED}])
    const warning = plan.warnings.find((w) => w.code === 'member-down')
    assert.ok(warning, 'a member-down warning')
    assert.match(warning.message, /etcd3 .* is down: connect ECONNREFUSED/)
    assert.match(warning.message, /removes it before adding anyone/)
    const removal = plan.steps.find((s) => s.id === 'remove-member/etcd3')!
    assert.match(removal.description, /which is down \(connect ECONNREFUSED/)
    // 3 voters, 1 down: tolerates 0 now; removing it keeps 0, and the promote brings back 1.
    assert.deepEqual(removal.before, {voters: 3, startedVoters: 3, learners: 0, down: 1, quorum: 2, tolerates: 0})
    assert.deepEqual(removal.after, {voters: 2, startedVoters: 2, learners: 0, down: 0, quorum: 2, tolerates: 0})
    assert.equal(plan.steps.find((s) => s.id === 'promote/etcd4')!.after.tolerates, 1)
    const text = renderPlan(plan, {colour: false})
    assert.match(text, /voters\s+down\s+learners\s+quorum\s+tolerates/)
    assert.match(text, /remove-member\/etcd3\s+3→2\s+1→0/)
    assert.match(renderPlanMarkdown(plan), /\| # \| action \| step \| voters \| down \| learners \| quorum \| tolerates \| estimate \| what \|/)
  })

  it('shows no down column when every member answers', () => {
    const plan = planFor(three, target, live(three, []))
    assert.doesNotMatch(renderPlan(plan, {colour: false}), /\bdown\b\s+learners/)
    assert.equal(plan.steps.every((s) => s.before.down === 0 && s.after.down === 0), true)
  })

  it('5 members with two down → 5: both dead removed first (3 voters, tolerating 1), then the two new ones added one at a time', () => {
    const five = members('etcd', 1, 5, 1)
    const two = members('etcd', 6, 7, 2)
    const plan = planFor(five, [...five.slice(0, 3), ...two], live(five, ['etcd4', 'etcd5']))
    assert.deepEqual(ids(plan).slice(0, 6), ['preflight', 'remove-member/etcd4', 'stop-member/etcd4', 'remove-member/etcd5', 'stop-member/etcd5', 'write-config/etcd6'])
    const afterRemovals = plan.steps.find((s) => s.id === 'remove-member/etcd5')!.after
    assert.deepEqual(afterRemovals, {voters: 3, startedVoters: 3, learners: 0, down: 0, quorum: 2, tolerates: 1})
    assert.equal(plan.steps.at(-1)!.after.tolerates, 2)
    assert.deepEqual(checkPlanSafety(plan), [])
  })

  it('refuses, with the recovery path, when the members that answer are below quorum', () => {
    assert.throws(
      () => planFor(three, target, live(three, ['etcd2', 'etcd3'])),
      (error: unknown) => {
        assert.ok(error instanceof UnsafePlanError)
        const reason = error.reasons.find((r) => r.code === 'quorum-lost')
        assert.ok(reason, 'a quorum-lost reason')
        assert.match(reason.message, /only 1 of 3 voters answer/)
        assert.match(reason.message, /quorum needs 2/)
        assert.match(reason.hint, /snapshot restore/)
        assert.match(reason.hint, /--force-new-cluster/)
        return true
      },
    )
  })

  it('refuses a target that keeps a member that is down, naming it and what to do', () => {
    assert.throws(
      () => planFor(three, [three[0]!, three[2]!, etcd4[0]!], live(three, ['etcd3'])),
      (error: unknown) => {
        assert.ok(error instanceof UnsafePlanError)
        const reason = error.reasons.find((r) => r.code === 'target-member-down')
        assert.ok(reason)
        assert.match(reason.message, /etcd3 is down \(connect ECONNREFUSED .*\) but the target keeps it/)
        assert.deepEqual(reason.path, ['target', 'members', 1])
        assert.match(reason.hint, /replace it in the spec's target/)
        return true
      },
    )
  })

  it('the safety checker refuses a plan that adds while a voter is down', () => {
    const plan = planFor(three, target, live(three, ['etcd3']))
    // Move the removal of the dead member after the add: what etcd would refuse with `unhealthy cluster`.
    const steps = [...plan.steps]
    const removal = steps.splice(1, 2)
    const addAt = steps.findIndex((s) => s.id === 'promote/etcd4') + 1
    steps.splice(addAt, 0, ...removal)
    let down = 1
    const replayed = steps.map((s) => {
      const before = {...s.before, down}
      if (s.id === 'remove-member/etcd3') down = 0
      return {...s, before, after: {...s.after, down}}
    })
    const violations = checkPlanSafety({...plan, steps: replayed})
    assert.ok(violations.some((v) => v.rule === 'no-add-while-down' && v.stepId === 'add-learner/etcd4'), JSON.stringify(violations))
  })
})
