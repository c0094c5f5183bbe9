// "Saved plan is stale": the live cluster must be the planned one, or a state the plan passes
// through at or after the journal's position (an apply killed between an etcd call and its journal
// write leaves the cluster one step ahead of the journal).
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {checkPlanCurrent, NOT_STARTED} from '../../src/apply/check-plan-current.js'
import {membershipStates} from '../../src/plan/replay-membership.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import {buildPlan} from '../../src/plan/build-plan.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'
import {liveCluster, type MemberState} from './live-cluster-builder.js'

const spec = buildSpec({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2), dns: false})
const plan = buildPlan(spec, `sha256:${'0'.repeat(64)}`, observeFromSpec(spec))
const source: MemberState[] = [1, 2, 3].map((i) => ({name: `etcd${i}`, host: `127.0.1.${i}`}))
const indexOf = (id: string) => plan.steps.findIndex((s) => s.id === id)

test('the planned cluster is current for a fresh apply', () => {
  assert.deepEqual(checkPlanCurrent(plan, liveCluster(source, {leader: 'etcd1'}), NOT_STARTED), [])
})

test('a member added by hand makes the plan stale, and the difference names it', () => {
  const live = liveCluster([...source, {name: 'intruder', host: '127.0.9.9', learner: true}], {leader: 'etcd1'})
  const differences = checkPlanCurrent(plan, live, NOT_STARTED)
  assert.equal(differences.length, 1)
  assert.match(differences[0]!, /intruder \(http:\/\/127\.0\.9\.9:2380\) was added as a learner/)
})

test('a member removed by hand makes the plan stale', () => {
  assert.match(checkPlanCurrent(plan, liveCluster(source.slice(0, 2), {leader: 'etcd1'}), NOT_STARTED).join('\n'), /etcd3 \(http:\/\/127\.0\.1\.3:2380\) was removed/)
})

test('without a journal, a cluster already part-way through the plan is stale (the journal is what proves it is ours)', () => {
  const live = liveCluster([...source, {name: 'etcd4', host: '127.0.2.1', learner: true}], {leader: 'etcd1'})
  assert.notDeepEqual(checkPlanCurrent(plan, live, NOT_STARTED), [])
})

test('with the journal at add-learner/etcd4, the cluster before or after that add is current', () => {
  const position = {stepsDone: indexOf('add-learner/etcd4'), started: true}
  assert.deepEqual(checkPlanCurrent(plan, liveCluster(source, {leader: 'etcd1'}), position), [])
  const added = liveCluster([...source, {name: 'etcd4', host: '127.0.2.1', learner: true, started: false}], {leader: 'etcd1'})
  assert.deepEqual(checkPlanCurrent(plan, added, position), [])
})

test('with the journal past the promote, the cluster from before the add is stale', () => {
  const position = {stepsDone: indexOf('promote/etcd4') + 1, started: true}
  assert.notDeepEqual(checkPlanCurrent(plan, liveCluster(source, {leader: 'etcd1'}), position), [])
})

test('a live plan pins the cluster ID', () => {
  const live = liveCluster(source, {leader: 'etcd1', clusterId: '77'})
  const livePlan = buildPlan(spec, `sha256:${'0'.repeat(64)}`, live)
  assert.deepEqual(checkPlanCurrent(livePlan, live, NOT_STARTED), [])
  const other = liveCluster(source, {leader: 'etcd1', clusterId: '78'})
  assert.match(checkPlanCurrent(livePlan, other, NOT_STARTED).join('\n'), /cluster ID is 4e, the plan was made for 4d/)
})

test('the plan passes through one membership per step, ending at exactly the target', () => {
  const states = membershipStates(plan)
  assert.equal(states.length, plan.steps.length + 1)
  const last = states.at(-1)!.map((m) => [m.peerURL, m.isLearner]).sort()
  assert.deepEqual(last, [1, 2, 3].map((i) => [`http://127.0.2.${i}:2380`, false]))
})
