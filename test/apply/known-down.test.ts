// Members the plan was made knowing they were down: the health gate does not wait for them (5 voters,
// 2 down, removing the first must not wait for the second), while a member that went down since is
// still waited for; downMembersOf finds exactly the started members that answered nowhere.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {voterHealth} from '../../src/apply/cluster-gates.js'
import {knownDownRemoved} from '../../src/apply/known-down.js'
import {downMembersOf} from '../../src/cluster/down-members.js'
import {buildPlan} from '../../src/plan/build-plan.js'
import {buildSpec, members} from '../fixtures/spec-builder.js'
import {liveCluster} from './live-cluster-builder.js'

const five = members('etcd', 1, 5, 1)
const states = five.map((m) => ({name: m.name, host: m.host, down: m.name === 'etcd4' || m.name === 'etcd5'}))
const cluster = liveCluster(states, {leader: 'etcd1'})

test('downMembersOf: the started members that answered at none of their client URLs, with the error', () => {
  const down = downMembersOf(cluster)
  assert.deepEqual(down.map((d) => d.id), cluster.members.filter((m) => m.name === 'etcd4' || m.name === 'etcd5').map((m) => m.id))
  assert.ok(down.every((d) => d.error === 'connect ECONNREFUSED'))
  const unstarted = liveCluster([...states.slice(0, 3), {name: 'etcd9', host: '127.0.9.9', started: false}], {leader: 'etcd1'})
  assert.deepEqual(downMembersOf(unstarted), [], 'an unstarted member is an orphan, not down')
})

test('the health gate does not wait for a member the plan found down and removes, but does for one down since', () => {
  const spec = buildSpec({source: five, target: [...five.slice(0, 3), ...members('etcd', 6, 7, 2)]})
  const plan = buildPlan(spec, 'sha256:' + '0'.repeat(64), cluster)
  const ignoring = knownDownRemoved(plan)
  assert.equal(ignoring.length, 2)
  const etcd4 = cluster.members.find((m) => m.name === 'etcd4')!
  const removing = {kind: 'remove' as const, member: etcd4}
  // Without the plan's knowledge, removing etcd4 would wait for etcd5.
  assert.deepEqual(voterHealth(cluster, removing).sick.map((m) => m.name), ['etcd5'])
  assert.deepEqual(voterHealth(cluster, removing, ignoring).sick, [])
  // etcd3 goes down after the plan was made: still waited for.
  const worse = liveCluster(states.map((s) => (s.name === 'etcd3' ? {...s, down: true} : s)), {leader: 'etcd1'})
  assert.deepEqual(voterHealth(worse, removing, ignoring).sick.map((m) => m.name), ['etcd3'])
})
