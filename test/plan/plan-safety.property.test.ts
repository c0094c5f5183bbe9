// Property test: for random valid source/target pairs every plan keeps etcd's safety rules and ends
// with exactly the target voters. The assertions are written out here, independently of
// check-plan-safety.ts, so a bug shared by the planner and its checker still shows.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {buildPlan} from '../../src/plan/build-plan.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import {checkPlanSafety} from '../../src/plan/check-plan-safety.js'
import {UnsafePlanError} from '../../src/plan/unsafe-plan-error.js'
import type {Plan} from '../../src/plan/types.js'
import type {MemberSpec} from '../../src/spec/types.js'
import {buildSpec, member} from '../fixtures/spec-builder.js'

const tolerated = (n: number) => n - (Math.floor(n / 2) + 1)

const migration = fc
  .record({
    sourceSize: fc.integer({min: 1, max: 7}),
    targetSize: fc.integer({min: 1, max: 7}),
    keptWanted: fc.integer({min: 0, max: 7}),
    learner: fc.boolean(),
    order: fc.constantFrom('add-first' as const, 'one-for-one' as const),
    finalState: fc.constantFrom('existing' as const, 'new' as const),
    rollingRestart: fc.boolean(),
    dns: fc.boolean(),
  })
  .map((m) => {
    const kept = Math.min(m.keptWanted, m.sourceSize, m.targetSize)
    const source: MemberSpec[] = Array.from({length: m.sourceSize}, (_, i) => member(`old${i + 1}`, `127.0.1.${i + 1}`))
    const fresh: MemberSpec[] = Array.from({length: m.targetSize - kept}, (_, i) => member(`new${i + 1}`, `127.0.2.${i + 1}`))
    return {...m, kept, source, target: [...source.slice(0, kept), ...fresh]}
  })

/** Replays membership from the step kinds alone and checks every rule on the way. */
function assertSafe(plan: Plan, source: readonly MemberSpec[], target: readonly MemberSpec[]): void {
  const voters = new Set(source.map((m) => m.name))
  const learners = new Set<string>()
  const unstarted = new Set<string>()
  let waitingFor: string | null = null
  const floor = Math.min(tolerated(source.length), tolerated(target.length))
  plan.steps.forEach((step, i) => {
    const previous = plan.steps[i - 1]
    switch (step.kind) {
      case 'add-learner':
      case 'add-member':
        assert.equal(learners.size, 0, `${step.id}: a learner is still in the cluster`)
        assert.equal(unstarted.size, 0, `${step.id}: a previously added member has not started`)
        assert.equal(waitingFor, null, `${step.id}: ${waitingFor} not caught up yet`)
        assert.ok(!voters.has(step.member))
        if (step.kind === 'add-learner') learners.add(step.member)
        else voters.add(step.member)
        unstarted.add(step.member)
        waitingFor = step.member
        assert.equal(plan.steps[i + 1]?.id, `start-member/${step.member}`, 'a new member is started right after it is added')
        break
      case 'start-member':
        unstarted.delete(step.member)
        break
      case 'wait-caught-up':
        if (waitingFor === step.member) waitingFor = null
        break
      case 'promote':
        assert.ok(learners.delete(step.member), `${step.id}: not a learner`)
        assert.equal(previous?.id, `wait-caught-up/${step.member}`, 'promote only after catching up')
        voters.add(step.member)
        break
      case 'remove-member':
        assert.equal(previous?.id, `move-leader/${step.member}`, `${step.id} without moving leadership first`)
        voters.delete(step.member)
        assert.ok(voters.size >= 1)
        if (voters.size === 2) assert.ok(Math.min(source.length, target.length) <= 2, `${step.id}: needless 2-voter cluster`)
        break
      case 'restart-member':
        assert.equal(previous?.id, `move-leader/${step.member}`, `${step.id} without moving leadership first`)
        break
      default:
        break
    }
    assert.ok(learners.size <= 1, 'two learners at once')
    const started = [...voters].filter((v) => !unstarted.has(v)).length
    const tolerates = started - (Math.floor(voters.size / 2) + 1)
    assert.equal(step.after.tolerates, tolerates, `${step.id}: the plan's fault tolerance column is wrong`)
    if (tolerates < floor) assert.ok(tolerates >= step.before.tolerates, `${step.id}: tolerates ${tolerates} < ${floor}`)
  })
  assert.deepEqual([...voters].sort(), target.map((m) => m.name).sort(), 'ends with exactly the target voters')
  assert.equal(learners.size, 0)
  assert.equal(unstarted.size, 0)
}

describe('planner safety property', () => {
  const outcomes = {planned: 0, plannedWithVotingAdds: 0, refusedVotingAdd: 0}
  it('every random join plan keeps the safety rules and ends at the target', () => {
    fc.assert(
      fc.property(migration, (m) => {
        const spec = buildSpec({source: m.source, target: m.target, dns: m.dns, join: {learner: m.learner, order: m.order, finalState: m.finalState, rollingRestart: m.rollingRestart}})
        let plan: Plan
        try {
          plan = buildPlan(spec, 'sha256:' + '0'.repeat(64), observeFromSpec(spec))
        } catch (error) {
          // The only refusal of a valid spec: voting adds (learner off) that would lower fault
          // tolerance below the floor. With learners the same migration must plan.
          assert.ok(error instanceof UnsafePlanError, String(error))
          assert.equal(m.learner, false, `refused with learners: ${error.message}`)
          assert.deepEqual([...new Set(error.reasons.map((r) => r.code))], ['voting-add-lowers-fault-tolerance'])
          buildPlan({...spec, join: {...spec.join, learner: true}}, 'sha256:' + '0'.repeat(64), observeFromSpec(spec))
          outcomes.refusedVotingAdd++
          return
        }
        outcomes.planned++
        if (plan.steps.some((s) => s.kind === 'add-member')) outcomes.plannedWithVotingAdds++
        assertSafe(plan, m.source, m.target)
        assert.deepEqual(checkPlanSafety(plan), [])
        if (m.order === 'one-for-one') assert.ok(Math.max(...plan.steps.map((s) => s.after.voters), 0) <= Math.max(m.source.length, m.target.length) + 1)
        if (m.kept === m.source.length && m.kept === m.target.length) assert.equal(plan.steps.length, 0)
      }),
      {numRuns: 2000, seed: 20261125},
    )
    // Not vacuous: most migrations plan, and voting adds are both planned and refused.
    assert.ok(outcomes.planned > 1500, JSON.stringify(outcomes))
    assert.ok(outcomes.plannedWithVotingAdds > 50, JSON.stringify(outcomes))
    assert.ok(outcomes.refusedVotingAdd > 50, JSON.stringify(outcomes))
  })
})

describe('the safety checker catches broken plans', () => {
  const spec = buildSpec({
    source: [member('a1', '127.0.1.1'), member('a2', '127.0.1.2'), member('a3', '127.0.1.3')],
    target: [member('b1', '127.0.2.1'), member('b2', '127.0.2.2'), member('b3', '127.0.2.3')],
  })
  const plan = buildPlan(spec, 'sha256:' + '0'.repeat(64), observeFromSpec(spec))
  const rules = (steps: Plan['steps']) => checkPlanSafety({...plan, steps}).map((v) => v.rule)

  it('a removal without moving leadership first', () => {
    assert.ok(rules(plan.steps.filter((s) => s.id !== 'move-leader/a1')).includes('move-leader-first'))
  })
  it('a second add before the first member caught up', () => {
    assert.ok(rules(plan.steps.filter((s) => s.id !== 'wait-caught-up/b1' && s.id !== 'promote/b1')).includes('one-add-at-a-time'))
  })
  it('a plan that does not end at the target', () => {
    assert.ok(rules(plan.steps.filter((s) => s.id !== 'remove-member/a3')).includes('ends-at-target'))
  })
  it('a learner never promoted', () => {
    assert.ok(rules(plan.steps.filter((s) => s.id !== 'promote/b3')).includes('no-learner-left'))
  })
})
