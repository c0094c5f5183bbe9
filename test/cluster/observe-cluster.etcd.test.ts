// observeCluster against a real 3-member etcd 3.4.23 cluster on random loopback addresses: IDs as
// decimal strings that match etcdctl's hex, the leader, one Status per endpoint; with a member down
// its status carries the error while the others answer; nothing answering is ClusterUnreachableError.
// Every etcd started here is stopped in `after`, whatever happened, and the temp dir removed.
import {test, after} from 'node:test'
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import {hexId, isHealthy, leaderStatus} from '../../src/cluster/live-cluster.js'
import {ClusterUnreachableError, observeCluster} from '../../src/cluster/observe-cluster.js'
import {localProvider} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {useLabCluster} from '../fixtures/lab-cluster.js'

const execFileAsync = promisify(execFile)

const endpoints = new EtcdEndpoints({callTimeoutMs: 2000})
after(() => endpoints.close())

const lab = useLabCluster(
  'etcdplan-observe-',
  async (dir) => {
    const members = namedMembers('etcd', await pickLoopbackHosts(3))
    return {name: 'observe-test', dir, source: members, target: members}
  },
  {start: true},
)

const theSpec = () => lab.spec
const urls = () => lab.sourceURLs()

test('a 3-member cluster: members, IDs, leader and one status per endpoint', async () => {
  const cluster = await observeCluster(endpoints, urls(), {statusTimeoutMs: 2000})
  assert.equal(cluster.mode, 'live')
  assert.match(cluster.clusterId ?? '', /^\d+$/)
  // The member list is read from the leader (a removed member may still answer with a stale list).
  assert.equal(cluster.statuses.find((x) => x.endpoint === cluster.answeredBy)?.memberId, cluster.leaderId)
  assert.deepEqual(cluster.members.map((m) => m.name).sort(), ['etcd1', 'etcd2', 'etcd3'])
  // etcdctl shows IDs in hex: the decimal strings must name the same members (no float rounding).
  const listed = (await execFileAsync('etcdctl', ['--endpoints', urls()[0]!, 'member', 'list'], {env: {...process.env, ETCDCTL_API: '3'}})).stdout
  const hexByName = new Map(listed.trim().split('\n').map((line) => line.split(', ')).map(([hex, , name]) => [name!, hex!]))
  for (const m of cluster.members) {
    assert.match(m.id ?? '', /^\d+$/)
    assert.equal(hexId(m.id), hexByName.get(m.name), m.name)
    assert.equal(m.started, true)
    assert.equal(m.isLearner, false)
    assert.deepEqual(m.peerURLs, [theSpec().source.members.find((s) => s.name === m.name)!.peerURL])
  }
  assert.ok(cluster.members.some((m) => m.id === cluster.leaderId), 'the leader is a member')
  assert.equal(cluster.statuses.length, 3)
  for (const status of cluster.statuses) {
    const member = cluster.members.find((m) => m.clientURLs.includes(status.endpoint))
    assert.ok(member, status.endpoint)
    assert.equal(status.memberId, member.id, 'each endpoint answers for its own member')
    assert.equal(status.error, null)
    assert.equal(status.leaderId, cluster.leaderId)
    assert.equal(status.version, '3.4.23')
    assert.equal(status.isLearner, false)
    assert.ok((status.raftAppliedIndex ?? 0) > 0)
    assert.ok((status.raftIndex ?? 0) >= 1)
    assert.ok((status.raftTerm ?? 0) >= 1)
    assert.ok(isHealthy(status))
  }
  assert.equal(leaderStatus(cluster)?.memberId, cluster.leaderId)
  assert.deepEqual(cluster.alarms, [])
})

test('one member stopped: its status has an error, the others answer', async () => {
  const s = theSpec()
  const stopped = s.source.members[0]!
  await localProvider(s).stop(stopped, 10_000)
  // The stopped member cannot answer: the member list comes from a member that does.
  const cluster = await observeCluster(endpoints, urls(), {statusTimeoutMs: 2000})
  assert.notEqual(cluster.answeredBy, stopped.clientURL)
  assert.equal(cluster.members.length, 3, 'a stopped member is still a member')
  const down = cluster.statuses.find((x) => x.endpoint === stopped.clientURL)
  assert.ok(down)
  assert.notEqual(down.error, null)
  assert.equal(down.memberId, null)
  assert.equal(isHealthy(down), false)
  const up = cluster.statuses.filter((x) => x.endpoint !== stopped.clientURL)
  assert.equal(up.length, 2)
  for (const status of up) {
    assert.equal(status.error, null)
    assert.notEqual(status.leaderId, null)
  }
  assert.notEqual(cluster.leaderId, null)
})

test('nothing answers: ClusterUnreachableError naming every endpoint', async () => {
  const nowhere = (await pickLoopbackHosts(2)).map((host) => `http://${host}:2379`)
  await assert.rejects(observeCluster(endpoints, nowhere, {statusTimeoutMs: 1000}), (error: unknown) => {
    assert.ok(error instanceof ClusterUnreachableError)
    assert.deepEqual(error.endpoints, nowhere)
    assert.equal(error.errors.length, 2)
    return true
  })
})
