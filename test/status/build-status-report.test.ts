// How a live observation becomes the `etcdplan status` report (names, roles, hex IDs, health) and
// its exit code, without a cluster.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import type {EndpointStatus, LiveCluster} from '../../src/cluster/live-cluster.js'
import {ClusterUnreachableError} from '../../src/cluster/observe-cluster.js'
import {buildStatusReport, type StatusInputs} from '../../src/status/build-status-report.js'
import {statusExitCode} from '../../src/status/status-exit-code.js'
import {buildSpec, member} from '../fixtures/spec-builder.js'

describe('buildStatusReport and statusExitCode', () => {
  const spec = buildSpec({source: [member('etcd1', '127.0.1.1'), member('etcd2', '127.0.1.2')], target: [member('etcd2', '127.0.1.2'), member('etcd4', '127.0.2.1')]})
  const answered = (endpoint: string, memberId: string, extra: Partial<EndpointStatus> = {}): EndpointStatus => ({
    endpoint,
    memberId,
    error: null,
    version: '3.4.23',
    dbSize: 20480,
    leaderId: '10501334649042878790',
    raftIndex: 10,
    raftAppliedIndex: 10,
    raftTerm: 2,
    revision: 5,
    isLearner: false,
    errors: [],
    ...extra,
  })
  const journal: StatusInputs = {journalPath: '.etcdplan/test-migration/state.json', journal: null, journalError: null, lock: null}
  const cluster: LiveCluster = {
    mode: 'live',
    clusterId: '14841639068965178418',
    leaderId: '10501334649042878790',
    answeredBy: 'http://127.0.1.1:2379',
    alarms: [],
    members: [
      {id: '10501334649042878790', name: 'etcd1', peerURLs: ['http://127.0.1.1:2380'], clientURLs: ['http://127.0.1.1:2379'], isLearner: false, started: true},
      {id: '10501334649042878791', name: 'etcd2', peerURLs: ['http://127.0.1.2:2380'], clientURLs: ['http://127.0.1.2:2379'], isLearner: false, started: true},
      {id: '18249187646912138824', name: 'etcd4', peerURLs: ['http://127.0.2.1:2380'], clientURLs: ['http://127.0.2.1:2379'], isLearner: true, started: true},
      {id: '42', name: 'stray', peerURLs: ['http://127.0.9.9:2380'], clientURLs: ['http://127.0.9.9:2379'], isLearner: false, started: true},
    ],
    statuses: [
      answered('http://127.0.1.1:2379', '10501334649042878790'),
      answered('http://127.0.1.2:2379', '10501334649042878791'),
      answered('http://127.0.2.1:2379', '18249187646912138824', {isLearner: true}),
      answered('http://127.0.9.9:2379', '42'),
    ],
  }

  it('names rows by the spec, then the member list; hex IDs; roles; the leader; learner health', () => {
    const r = buildStatusReport(spec, cluster, journal)
    assert.equal(r.clusterId, 'cdf818194e3a8c32')
    assert.deepEqual(r.leader, {id: '91bc3c398fb3c146', name: 'etcd1'})
    assert.deepEqual(
      r.members.map((m) => [m.name, m.id, m.role, m.isLeader, m.health]),
      [
        ['etcd1', '91bc3c398fb3c146', 'source', true, 'healthy'],
        ['etcd2', '91bc3c398fb3c147', 'both', false, 'healthy'],
        ['etcd4', 'fd422379fda50e48', 'target', false, 'learner'],
        ['stray', '2a', null, false, 'healthy'],
      ],
    )
    assert.equal(statusExitCode(r), 0)
  })

  it('exit 2 when a member is down, reports errors or an alarm is set', () => {
    const down = {...cluster, statuses: cluster.statuses.map((s, i) => (i === 1 ? {...s, memberId: null, error: 'deadline exceeded', leaderId: null, isLearner: null} : s))}
    const r = buildStatusReport(spec, down, journal)
    assert.deepEqual([r.members[1]!.health, r.members[1]!.id, r.members[1]!.isLearner], ['unreachable', '91bc3c398fb3c147', false])
    assert.equal(statusExitCode(r), 2)
    const noisy = {...cluster, statuses: cluster.statuses.map((s, i) => (i === 2 ? {...s, errors: ['memberID:18249187646912138824 alarm:NOSPACE']} : s))}
    assert.equal(buildStatusReport(spec, noisy, journal).members[2]!.health, 'unhealthy')
    const alarmed = buildStatusReport(spec, {...cluster, alarms: [{memberId: '10501334649042878791', alarm: 'NOSPACE'}]}, journal)
    assert.deepEqual(alarmed.alarms, [{memberId: '91bc3c398fb3c147', name: 'etcd2', alarm: 'NOSPACE'}])
    assert.equal(statusExitCode(alarmed), 2)
  })

  it('exit 1 and every spec endpoint unreachable when nothing answers', () => {
    const urls = ['http://127.0.1.1:2379', 'http://127.0.1.2:2379', 'http://127.0.2.1:2379']
    const refused = 'connect ECONNREFUSED 127.0.1.1:2379'
    const r = buildStatusReport(spec, new ClusterUnreachableError(urls, [refused, 'refused', 'deadline exceeded']), journal)
    assert.equal(r.reachable, false)
    assert.equal(r.unreachableReason, 'no endpoint answered: http://127.0.1.1:2379 (connect ECONNREFUSED 127.0.1.1:2379), http://127.0.1.2:2379 (refused), http://127.0.2.1:2379 (deadline exceeded)')
    assert.deepEqual(r.members.map((m) => [m.name, m.health, m.error, m.role]), [
      ['etcd1', 'unreachable', 'connect ECONNREFUSED 127.0.1.1:2379', 'source'],
      ['etcd2', 'unreachable', 'refused', 'both'],
      ['etcd4', 'unreachable', 'deadline exceeded', 'target'],
    ])
    assert.equal(statusExitCode(r), 1)
  })
})
