// The fakes the executor tests run against behave like etcd where the executors can tell: a
// FakeCluster observes as the LiveCluster live-cluster-builder (and observeCluster) gives; the
// FakeClusterClient refuses what etcd refuses, with errors classifyEtcdError sorts as etcd3's; a lost
// reply has its effect; FakeNodeProvider's start and stop show in the cluster.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {classifyEtcdError} from '../../src/cluster/etcd-failure.js'
import {ClusterUnreachableError} from '../../src/cluster/observe-cluster.js'
import {FakeCluster} from '../fixtures/fake-cluster.js'
import {FakeClusterClient} from '../fixtures/fake-cluster-client.js'
import {FakeNodeProvider} from '../fixtures/fake-node-provider.js'
import {member} from '../fixtures/spec-builder.js'
import {rejection} from '../fixtures/step-context.js'
import {liveCluster} from './live-cluster-builder.js'

const etcd = (n: number, rack = 1) => member(`etcd${n}`, `127.0.${rack}.${n}`)

describe('fakes', {concurrency: true}, () => {
  it('a FakeCluster observes as live-cluster-builder builds (but for the version)', async () => {
    const cluster = new FakeCluster([etcd(1), etcd(2), {...etcd(3), learner: true, applied: 420}], {leader: 'etcd2'})
    const expected = liveCluster(
      [
        {name: 'etcd1', host: '127.0.1.1'},
        {name: 'etcd2', host: '127.0.1.2'},
        {name: 'etcd3', host: '127.0.1.3', learner: true, applied: 420},
      ],
      {leader: 'etcd2'},
    )
    const observed = await cluster.observe()
    assert.deepEqual(observed.members, expected.members)
    assert.equal(observed.leaderId, expected.leaderId)
    assert.deepEqual(
      observed.statuses.map((s) => ({...s, version: '3.4.23'})),
      expected.statuses,
    )
  })

  it('a member added by peer URL is unstarted, without name or client URL, until it runs', async () => {
    const cluster = new FakeCluster([etcd(1)], {leader: 'etcd1'})
    const provider = new FakeNodeProvider([cluster])
    const added = cluster.add(etcd(4, 2).peerURL, true)
    assert.deepEqual((await cluster.observe()).members[1], {id: added.id, name: '', peerURLs: [etcd(4, 2).peerURL], clientURLs: [], isLearner: true, started: false})
    await provider.start(etcd(4, 2), 'etcd.yaml')
    assert.deepEqual((await cluster.observe()).members[1], {id: added.id, name: 'etcd4', peerURLs: [etcd(4, 2).peerURL], clientURLs: [etcd(4, 2).clientURL], isLearner: true, started: true})
    await provider.stop(etcd(4, 2), 1000)
    assert.equal((await cluster.observe()).statuses.find((s) => s.endpoint === etcd(4, 2).clientURL)?.error, 'connect ECONNREFUSED 127.0.2.4:2379')
  })

  it('a cluster without a quorum of running voters cannot be observed (the member list is a linearizable read)', async () => {
    const cluster = new FakeCluster([etcd(1), {...etcd(2), running: false}, {...etcd(3), running: false}], {leader: 'etcd1'})
    const error = await rejection(cluster.observe())
    assert.ok(error instanceof ClusterUnreachableError)
    assert.deepEqual(error.errors, ['Deadline exceeded', 'connect ECONNREFUSED 127.0.1.2:2379', 'connect ECONNREFUSED 127.0.1.3:2379'])
    cluster.update('etcd2', {running: true})
    assert.equal((await cluster.observe()).members.length, 3)
  })

  it('the client refuses what etcd refuses, with errors classified as etcd3\'s', async () => {
    const cluster = new FakeCluster([etcd(1), etcd(2), {...etcd(3), learner: true}], {leader: 'etcd1'})
    const client = new FakeClusterClient([cluster])
    const kind = async (call: Promise<unknown>) => classifyEtcdError(await rejection(call))
    assert.deepEqual(await kind(client.moveLeader(etcd(2).clientURL, cluster.idOf('etcd1'))), {kind: 'not-yet', message: 'etcdserver: not leader'})
    assert.deepEqual(await kind(client.moveLeader(etcd(1).clientURL, cluster.idOf('etcd3'))), {kind: 'refused', message: 'etcdserver: bad leader transferee'})
    assert.deepEqual(await kind(client.addMember(etcd(1).clientURL, etcd(4, 2).peerURL, true)), {kind: 'refused', message: 'etcdserver: too many learner members in cluster'})
    assert.deepEqual(await kind(client.addMember(etcd(1).clientURL, etcd(2).peerURL, false)), {kind: 'ambiguous', message: 'etcdserver: Peer URLs already exists'})
    assert.deepEqual(await kind(client.removeMember(etcd(1).clientURL, '999')), {kind: 'refused', message: 'etcdserver: member not found'})
    assert.deepEqual(await kind(client.countKeys('http://127.0.9.9:2379')), {kind: 'ambiguous', message: 'connect ECONNREFUSED 127.0.9.9:2379'})
    assert.equal(cluster.members.length, 3, 'a refused call changed the cluster')
  })

  it('a lost reply has its effect and fails as a deadline does; a scripted error has none', async () => {
    const cluster = new FakeCluster([etcd(1), etcd(2)], {leader: 'etcd1'})
    const client = new FakeClusterClient([cluster]).reply('moveLeader', 'lose-reply')
    assert.equal(classifyEtcdError(await rejection(client.moveLeader(etcd(1).clientURL, cluster.idOf('etcd2')))).kind, 'ambiguous')
    assert.equal(cluster.leader, 'etcd2')
    client.reply('removeMember', new Error('etcdserver: unhealthy cluster'))
    await rejection(client.removeMember(etcd(2).clientURL, cluster.idOf('etcd1')))
    assert.equal(cluster.member('etcd1').inMembership, true)
    assert.deepEqual(
      client.calls.map((c) => c.method),
      ['moveLeader', 'removeMember'],
    )
  })
})
