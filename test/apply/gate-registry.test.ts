// The gate registry: every check a plan may name has a gate, and a step evaluates exactly the checks
// its plan step carries — from one observation, in the plan's order, a refusal naming the check and
// its description as the plan shows them. Pure: fake observations, no etcd.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {StepFailedError} from '../../src/apply/apply-errors.js'
import {GATES, StepGates} from '../../src/apply/gates/registry.js'
import type {StepContext} from '../../src/apply/step-context.js'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import type {NodeProvider} from '../../src/nodes/node-provider.js'
import {buildPlan} from '../../src/plan/build-plan.js'
import {PRECONDITION_CHECKS, type Step} from '../../src/plan/types.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'
import {liveCluster, type MemberState} from './live-cluster-builder.js'

const spec = buildSpec({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2), dns: false})
const plan = buildPlan(spec, `sha256:${'0'.repeat(64)}`, observeFromSpec(spec), 'spec.yaml')
const stepOf = (id: string) => plan.steps.find((s) => s.id === id)!
const source: MemberState[] = [1, 2, 3].map((i) => ({name: `etcd${i}`, host: `127.0.1.${i}`}))

function contextFor(step: Step): StepContext {
  const unused = () => Promise.reject(new Error('not in these tests'))
  return {
    step,
    plan,
    spec,
    provider: {} as NodeProvider,
    cluster: {addMember: unused, promoteMember: unused, removeMember: unused, moveLeader: unused, saveSnapshot: unused, hashKV: unused, countKeys: unused, status: unused},
    emit: () => {},
    confirmed: new Set(),
    observe: unused,
    observeSource: unused,
    recordMemberId: async () => {},
    savedSnapshot: () => null,
    recordSnapshot: async () => {},
  }
}

async function gateOutcome(step: Step, cluster: LiveCluster): Promise<string> {
  try {
    const blocked = await new StepGates(contextFor(step), step).check(cluster)
    return blocked === null ? 'pass' : 'wait' in blocked ? `wait: ${blocked.wait}` : JSON.stringify(blocked)
  } catch (error) {
    if (error instanceof StepFailedError) return `refused: ${error.reason}`
    throw error
  }
}

describe('gate registry', () => {
  it('has a gate for every check a plan may name', () => {
    assert.deepEqual(Object.keys(GATES).sort(), [...PRECONDITION_CHECKS].sort())
    for (const check of PRECONDITION_CHECKS) assert.equal(typeof GATES[check], 'function', check)
  })

  it('add-learner passes on a healthy cluster and waits for a sick voter', async () => {
    const add = stepOf('add-learner/etcd4')
    assert.equal(await gateOutcome(add, liveCluster(source, {leader: 'etcd1'})), 'pass')
    const down = liveCluster([source[0]!, {...source[1]!, down: true}, source[2]!], {leader: 'etcd1'})
    assert.match(await gateOutcome(add, down), /^wait: waiting up to \d+ s \(timeouts.health\) for etcd2 to be healthy before adding etcd4 as a learner/)
  })

  it('a refusal names the check and its description as the plan shows them', async () => {
    const add = stepOf('add-learner/etcd4')
    const withLearner = liveCluster([...source, {name: 'etcd9', host: '127.0.9.9', learner: true}], {leader: 'etcd1'})
    const description = add.preconditions.find((p) => p.check === 'no-learner')!.description
    assert.equal(await gateOutcome(add, withLearner), `refused: precondition no-learner ("${description}") does not hold: the cluster already has a learner (etcd9, http://127.0.9.9:2380)`)
  })

  it('evaluates exactly the checks the step carries: without no-learner the same cluster passes', async () => {
    const add = stepOf('add-learner/etcd4')
    const withLearner = liveCluster([...source, {name: 'etcd9', host: '127.0.9.9', learner: true}], {leader: 'etcd1'})
    const withoutCheck = {...add, preconditions: add.preconditions.filter((p) => p.check !== 'no-learner')} as Step
    assert.equal(await gateOutcome(withoutCheck, withLearner), 'pass')
    const onlyNoAlarms = {...add, preconditions: add.preconditions.filter((p) => p.check === 'no-learner')} as Step
    const sick = liveCluster([source[0]!, {...source[1]!, down: true}, source[2]!], {leader: 'etcd1'})
    assert.equal(await gateOutcome(onlyNoAlarms, sick), 'pass', 'voters-healthy is not evaluated when the step does not carry it')
  })

  it('preflight refuses an alarm, naming no-alarms', async () => {
    const cluster = {...liveCluster(source, {leader: 'etcd1'}), alarms: [{memberId: '1000', alarm: 'NOSPACE'}]}
    assert.match(await gateOutcome(stepOf('preflight'), cluster), /^refused: precondition no-alarms \("no alarm \(NOSPACE, CORRUPT\) is raised"\) does not hold: the cluster has active alarms: NOSPACE on 3e8$/)
  })

  it('preflight refuses a cluster that is not the one the plan expects, naming cluster-matches-plan', async () => {
    const extra = liveCluster([...source, {name: 'etcd7', host: '127.0.7.7'}], {leader: 'etcd1'})
    assert.match(await gateOutcome(stepOf('preflight'), extra), /^refused: precondition cluster-matches-plan \(.*\) does not hold: the cluster is not the one the plan expects here: etcd7 \(http:\/\/127\.0\.7\.7:2380\) was added as a voter$/)
  })

  it('promote waits for a learner that is behind, then passes once it caught up', async () => {
    const promote = stepOf('promote/etcd4')
    const behind = liveCluster([...source, {name: 'etcd4', host: '127.0.2.1', learner: true, applied: 10}], {leader: 'etcd1', leaderIndex: 500})
    assert.equal(await gateOutcome(promote, behind), 'wait: waiting for etcd4 to catch up before promoting it')
    const caughtUp = liveCluster([...source, {name: 'etcd4', host: '127.0.2.1', learner: true, applied: 499}], {leader: 'etcd1', leaderIndex: 500})
    assert.equal(await gateOutcome(promote, caughtUp), 'pass')
  })

  it('the next add waits for the member added before to catch up (previous-member-caught-up)', async () => {
    const add = stepOf('add-learner/etcd5')
    const lagging = liveCluster([...source, {name: 'etcd4', host: '127.0.2.1', applied: 10}], {leader: 'etcd1', leaderIndex: 500})
    assert.equal(await gateOutcome(add, lagging), 'wait: waiting for etcd4 to catch up before the next add')
  })

  it('remove-member waits while the healthy voters left would be fewer than quorum (quorum-after-change)', async () => {
    const remove = stepOf('remove-member/etcd2')
    // etcd1 is gone already; etcd3 down: removing etcd2 from {etcd2..etcd6} would leave 3 healthy of 4.
    const cluster = liveCluster([source[1]!, {...source[2]!, down: true}, ...[1, 2, 3].map((i) => ({name: `etcd${i + 3}`, host: `127.0.2.${i}`, down: i > 1}))], {leader: 'etcd4'})
    assert.match(await gateOutcome(remove, cluster), /^wait: (removing etcd2 would leave 1 healthy voters, quorum needs 3|waiting up to)/)
  })
})
