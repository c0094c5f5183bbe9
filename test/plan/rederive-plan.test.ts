// A plan must be what the planner makes of its spec and the observation it records: every plan the
// planner makes passes, and each kind of edit (hash recomputed or not) is named by its first difference.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {hashOf} from '../../src/canonical-json.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import {buildPlan} from '../../src/plan/build-plan.js'
import {differenceFromPlanner} from '../../src/plan/rederive-plan.js'
import type {Plan} from '../../src/plan/types.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'

const spec = buildSpec({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2), dns: false})
const plan = buildPlan(spec, `sha256:${'0'.repeat(64)}`, observeFromSpec(spec), 'spec.yaml')

/** The plan edited, with its content hash recomputed (what a forger does). */
function forged(edit: (p: {-readonly [K in keyof Plan]: any}) => void): Plan {
  const body = structuredClone(plan) as any
  delete body.contentHash
  edit(body)
  return {...body, contentHash: hashOf(body)}
}

describe('differenceFromPlanner', () => {
  it('passes every plan the planner makes: offline, live mid-migration, snapshot', () => {
    assert.equal(differenceFromPlanner(plan, spec), null)
    const live = {
      mode: 'live' as const,
      clusterId: '99',
      leaderId: '3',
      members: [
        ...[1, 2, 3].map((i) => ({id: String(i), name: `etcd${i}`, peerURLs: [`http://127.0.1.${i}:2380`], clientURLs: [`http://127.0.1.${i}:2379`], isLearner: false, started: true})),
        {id: '4', name: '', peerURLs: ['http://127.0.2.1:2380'], clientURLs: [], isLearner: true, started: false},
      ],
    }
    const resumed = buildPlan(spec, plan.specHash, live, 'spec.yaml')
    assert.equal(differenceFromPlanner(resumed, spec), null)
    const snapshotSpec = buildSpec({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2), dns: false, strategy: 'snapshot'})
    assert.equal(differenceFromPlanner(buildPlan(snapshotSpec, plan.specHash, observeFromSpec(snapshotSpec), 's.yaml'), snapshotSpec), null)
  })

  it('names a precondition dropped from a step', () => {
    const edited = forged((p) => (p.steps[2].preconditions = p.steps[2].preconditions.filter((c: {check: string}) => c.check !== 'voters-healthy')))
    assert.equal(differenceFromPlanner(edited, spec), 'step 3 (add-learner/etcd4) lacks the precondition voters-healthy')
  })

  it('names a precondition the planner does not give a step', () => {
    const edited = forged((p) => p.steps[0].preconditions.push({check: 'member-started', member: 'etcd1', description: 'x'}))
    assert.equal(differenceFromPlanner(edited, spec), 'step 1 (preflight) has the precondition member-started(etcd1), which the planner does not give it')
  })

  it('names a dependency edited, a step removed, steps swapped', () => {
    assert.equal(differenceFromPlanner(forged((p) => (p.steps[2].dependsOn = ['preflight'])), spec), 'step 3 (add-learner/etcd4) differs in dependsOn')
    assert.match(differenceFromPlanner(forged((p) => p.steps.splice(4, 1)), spec) ?? '', /^step 5 is promote\/etcd4, the planner makes wait-caught-up\/etcd4 there$/)
    assert.match(differenceFromPlanner(forged((p) => ([p.steps[2], p.steps[3]] = [p.steps[3], p.steps[2]])), spec) ?? '', /^step 3 is start-member\/etcd4, the planner makes add-learner\/etcd4 there$/)
  })

  it('names a field outside the steps, and a recorded observation edited', () => {
    assert.equal(differenceFromPlanner(forged((p) => (p.warnings = [])), spec) === null, plan.warnings.length === 0)
    assert.equal(differenceFromPlanner(forged((p) => (p.summary = {add: 0, change: 0, remove: 0, configRewrites: 0, restarts: 0})), spec), 'its summary differs from what the planner makes of the spec')
    // An observation edited (a member marked never started): the plan no longer follows from it.
    assert.match(differenceFromPlanner(forged((p) => (p.observation.members[0].started = false)), spec) ?? '', /^the planner refuses to plan this spec from the recorded observation \(.*2-voter/)
  })
})
