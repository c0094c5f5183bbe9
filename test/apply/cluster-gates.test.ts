// The run-time gates decide from one observation: these pin the etcd rules they encode.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {isCaughtUp, keepsQuorumWithout, laggingMembers, memberWithPeerURL, unhealthyVoters} from '../../src/apply/cluster-gates.js'
import {liveCluster} from './live-cluster-builder.js'

const three = [
  {name: 'etcd1', host: '127.0.1.1'},
  {name: 'etcd2', host: '127.0.1.2'},
  {name: 'etcd3', host: '127.0.1.3'},
]

test('a voter that does not answer is unhealthy; a learner never counts as an unhealthy voter', () => {
  const cluster = liveCluster([...three.slice(0, 2), {...three[2]!, down: true}, {name: 'etcd4', host: '127.0.2.1', learner: true, down: true}], {leader: 'etcd1'})
  assert.deepEqual(unhealthyVoters(cluster).map((m) => m.name), ['etcd3'])
})

test('caught up = applied index within the tolerance of the leader\'s committed index', () => {
  const cluster = liveCluster([...three, {name: 'etcd4', host: '127.0.2.1', learner: true, applied: 350}], {leader: 'etcd1', leaderIndex: 500})
  const learner = memberWithPeerURL(cluster, 'http://127.0.2.1:2380')!
  assert.equal(isCaughtUp(cluster, learner, 100), false)
  assert.equal(isCaughtUp(cluster, learner, 150), true)
  assert.deepEqual(laggingMembers(cluster, 100).map((m) => m.name), ['etcd4'])
})

test('removing a voter keeps quorum only with enough healthy voters left', () => {
  const healthy = liveCluster(three, {leader: 'etcd1'})
  const etcd3 = memberWithPeerURL(healthy, 'http://127.0.1.3:2380')!
  assert.deepEqual(keepsQuorumWithout(healthy, etcd3, 2), {ok: true, healthy: 2, needed: 2})
  const oneDown = liveCluster([three[0]!, {...three[1]!, down: true}, three[2]!], {leader: 'etcd1'})
  const target = memberWithPeerURL(oneDown, 'http://127.0.1.3:2380')!
  assert.deepEqual(keepsQuorumWithout(oneDown, target, 2), {ok: false, healthy: 1, needed: 2})
})
