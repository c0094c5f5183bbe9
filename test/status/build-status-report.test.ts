// How observations become the `etcdplan status` report and its exit code, without a cluster:
// names, roles, hex IDs and health per row; where each spec member stands in the live membership
// (a source member the cluster no longer lists is removed, a target not listed yet is not added,
// and neither is a fault); and for strategy snapshot, two clusters kept apart, the one that
// should serve chosen by the journal (or, without one, by whether the source answers), and the
// exit code computed from that one only.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import type {Journal, StepStatus} from '../../src/apply/journal.js'
import type {EndpointStatus, LiveCluster} from '../../src/cluster/live-cluster.js'
import {ClusterUnreachableError} from '../../src/cluster/observe-cluster.js'
import type {ObservedMember} from '../../src/cluster/observation.js'
import {buildStatusReport, type StatusInputs} from '../../src/status/build-status-report.js'
import {statusExitCode} from '../../src/status/status-exit-code.js'
import {buildSpec, member} from '../fixtures/spec-builder.js'

const LEADER = '10501334649042878790'

function answered(endpoint: string, memberId: string, extra: Partial<EndpointStatus> = {}): EndpointStatus {
  return {
    endpoint,
    memberId,
    error: null,
    version: '3.4.23',
    dbSize: 20480,
    leaderId: LEADER,
    raftIndex: 10,
    raftAppliedIndex: 10,
    raftTerm: 2,
    revision: 5,
    isLearner: false,
    errors: [],
    ...extra,
  }
}

function silent(endpoint: string, error = `connect ECONNREFUSED ${new URL(endpoint).host}`): EndpointStatus {
  return {endpoint, memberId: null, error, version: null, dbSize: null, leaderId: null, raftIndex: null, raftAppliedIndex: null, raftTerm: null, revision: null, isLearner: null, errors: []}
}

function listed(id: string, name: string, host: string, extra: Partial<ObservedMember> = {}): ObservedMember {
  return {id, name, peerURLs: [`http://${host}:2380`], clientURLs: [`http://${host}:2379`], isLearner: false, started: true, ...extra}
}

function live(clusterId: string, leaderId: string | null, members: ObservedMember[], statuses: EndpointStatus[]): LiveCluster {
  return {mode: 'live', clusterId, leaderId, answeredBy: statuses[0]!.endpoint, alarms: [], members, statuses}
}

function journalOf(steps: ReadonlyArray<[string, StepStatus]>, status: Journal['status'] = 'in-progress'): Journal {
  return {
    kind: 'etcdplan-journal',
    formatVersion: 1,
    name: 'test-migration',
    planHash: 'sha256:0',
    specHash: 'sha256:0',
    status,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    memberIds: {},
    steps: steps.map(([id, s]) => ({id, status: s, attempts: s === 'pending' ? 0 : 1, startedAt: null, finishedAt: null, outcome: null, error: null})),
  }
}

const noJournal: StatusInputs = {journalPath: '.etcdplan/test-migration/state.json', journal: null, journalError: null, lock: null}
const withJournal = (journal: Journal): StatusInputs => ({...noJournal, journal})
const url = (host: string) => `http://${host}:2379`

describe('buildStatusReport (join) and statusExitCode', () => {
  const spec = buildSpec({source: [member('etcd1', '127.0.1.1'), member('etcd2', '127.0.1.2')], target: [member('etcd2', '127.0.1.2'), member('etcd4', '127.0.2.1')]})
  const cluster = live(
    '14841639068965178418',
    LEADER,
    [listed(LEADER, 'etcd1', '127.0.1.1'), listed('10501334649042878791', 'etcd2', '127.0.1.2'), listed('18249187646912138824', 'etcd4', '127.0.2.1', {isLearner: true}), listed('42', 'stray', '127.0.9.9')],
    [
      answered(url('127.0.1.1'), LEADER),
      answered(url('127.0.1.2'), '10501334649042878791'),
      answered(url('127.0.2.1'), '18249187646912138824', {isLearner: true}),
      answered(url('127.0.9.9'), '42'),
    ],
  )
  const join = (observed: LiveCluster | ClusterUnreachableError, inputs = noJournal) => buildStatusReport(spec, {strategy: 'join', cluster: observed}, inputs)

  it('names rows by the spec, then the member list; hex IDs; roles; the leader; learner health', () => {
    const r = join(cluster)
    assert.equal(r.clusterId, 'cdf818194e3a8c32')
    assert.deepEqual(r.leader, {id: '91bc3c398fb3c146', name: 'etcd1'})
    assert.deepEqual(
      r.members.map((m) => [m.name, m.id, m.role, m.isLeader, m.health, m.membership]),
      [
        ['etcd1', '91bc3c398fb3c146', 'source', true, 'healthy', 'member'],
        ['etcd2', '91bc3c398fb3c147', 'both', false, 'healthy', 'member'],
        ['etcd4', 'fd422379fda50e48', 'target', false, 'learner', 'member'],
        ['stray', '2a', null, false, 'healthy', 'member'],
      ],
    )
    assert.deepEqual([r.strategy, r.serving, r.servingReason, r.clusters], ['join', null, null, null])
    assert.equal(statusExitCode(r), 0)
  })

  it('exit 2 when a listed member is down, reports errors or an alarm is set', () => {
    const down = {...cluster, statuses: cluster.statuses.map((s, i) => (i === 1 ? silent(s.endpoint, 'deadline exceeded') : s))}
    const r = join(down)
    assert.deepEqual([r.members[1]!.health, r.members[1]!.id, r.members[1]!.isLearner, r.members[1]!.membership], ['unreachable', '91bc3c398fb3c147', false, 'member'])
    assert.equal(statusExitCode(r), 2)
    const stray = {...cluster, statuses: cluster.statuses.map((s, i) => (i === 3 ? silent(s.endpoint) : s))}
    assert.equal(statusExitCode(join(stray)), 2, 'a member only the cluster knows counts too: the cluster lists it')
    const noisy = {...cluster, statuses: cluster.statuses.map((s, i) => (i === 2 ? {...s, errors: ['memberID:18249187646912138824 alarm:NOSPACE']} : s))}
    assert.equal(join(noisy).members[2]!.health, 'unhealthy')
    assert.equal(statusExitCode(join(noisy)), 2)
    const alarmed = join({...cluster, alarms: [{memberId: '10501334649042878791', alarm: 'NOSPACE'}]})
    assert.deepEqual(alarmed.alarms, [{memberId: '91bc3c398fb3c147', name: 'etcd2', alarm: 'NOSPACE'}])
    assert.equal(statusExitCode(alarmed), 2)
  })

  it('exit 1 and every spec endpoint unreachable, membership unknown, when nothing answers', () => {
    const urls = [url('127.0.1.1'), url('127.0.1.2'), url('127.0.2.1')]
    const refused = 'connect ECONNREFUSED 127.0.1.1:2379'
    const r = join(new ClusterUnreachableError(urls, [refused, 'refused', 'deadline exceeded']))
    assert.equal(r.reachable, false)
    assert.equal(r.unreachableReason, 'no endpoint answered: http://127.0.1.1:2379 (connect ECONNREFUSED 127.0.1.1:2379), http://127.0.1.2:2379 (refused), http://127.0.2.1:2379 (deadline exceeded)')
    assert.deepEqual(r.members.map((m) => [m.name, m.health, m.error, m.role, m.membership]), [
      ['etcd1', 'unreachable', 'connect ECONNREFUSED 127.0.1.1:2379', 'source', 'unknown'],
      ['etcd2', 'unreachable', 'refused', 'both', 'unknown'],
      ['etcd4', 'unreachable', 'deadline exceeded', 'target', 'unknown'],
    ])
    assert.equal(statusExitCode(r), 1)
  })

  describe('after a join migration (etcd1 removed and stopped, etcd4 added)', () => {
    const after = live(
      '14841639068965178418',
      '18249187646912138824',
      [listed('10501334649042878791', 'etcd2', '127.0.1.2'), listed('18249187646912138824', 'etcd4', '127.0.2.1')],
      [silent(url('127.0.1.1')), answered(url('127.0.1.2'), '10501334649042878791', {leaderId: '18249187646912138824'}), answered(url('127.0.2.1'), '18249187646912138824', {leaderId: '18249187646912138824'})],
    )

    it('shows the removed source member as removed, keeps its error for --json, and exits 0', () => {
      const r = join(after)
      assert.deepEqual(r.members.map((m) => [m.name, m.membership, m.health]), [
        ['etcd1', 'removed', 'unreachable'],
        ['etcd2', 'member', 'healthy'],
        ['etcd4', 'member', 'healthy'],
      ])
      assert.equal(r.members[0]!.error, 'connect ECONNREFUSED 127.0.1.1:2379')
      assert.deepEqual(r.leader, {id: 'fd422379fda50e48', name: 'etcd4'})
      assert.equal(statusExitCode(r), 0)
    })

    it('a removed member whose process still answers (with its old ID) is removed, not the leader, and not a fault', () => {
      const running = {...after, statuses: after.statuses.map((s, i) => (i === 0 ? answered(s.endpoint, LEADER, {leaderId: LEADER, raftTerm: 1}) : s))}
      const r = join(running)
      assert.deepEqual([r.members[0]!.membership, r.members[0]!.error, r.members[0]!.isLeader, r.members[0]!.id], ['removed', null, false, '91bc3c398fb3c146'])
      assert.equal(statusExitCode(r), 0)
    })

    it('still exits 2 when a member the cluster lists is down', () => {
      const down = {...after, statuses: after.statuses.map((s, i) => (i === 1 ? silent(s.endpoint) : s))}
      assert.equal(statusExitCode(join(down)), 2)
    })

    it('with nothing answering, the journal says who was removed; the exit code is 1', () => {
      const journal = journalOf([['preflight', 'done'], ['remove-member/etcd1', 'done'], ['verify', 'failed']], 'failed')
      const r = join(new ClusterUnreachableError([url('127.0.1.1'), url('127.0.1.2'), url('127.0.2.1')], ['a', 'b', 'c']), withJournal(journal))
      assert.deepEqual(r.members.map((m) => [m.name, m.membership]), [['etcd1', 'removed'], ['etcd2', 'unknown'], ['etcd4', 'unknown']])
      assert.deepEqual(r.journal, {status: 'failed', done: 2, total: 3, next: {id: 'verify', status: 'failed'}, failed: {id: 'verify', error: null}, timing: null})
      assert.equal(statusExitCode(r), 1)
    })
  })

  it('before a migration a target member is not added yet, which is not a fault (exit 0)', () => {
    const before = live('14841639068965178418', LEADER, [listed(LEADER, 'etcd1', '127.0.1.1'), listed('10501334649042878791', 'etcd2', '127.0.1.2')], [answered(url('127.0.1.1'), LEADER), answered(url('127.0.1.2'), '10501334649042878791'), silent(url('127.0.2.1'))])
    const r = join(before)
    assert.deepEqual(r.members.map((m) => [m.name, m.membership]), [['etcd1', 'member'], ['etcd2', 'member'], ['etcd4', 'not-added']])
    assert.equal(statusExitCode(r), 0)
  })

  it('a target added but never started is listed by peer URL only: a member, with its ID, and a fault (exit 2)', () => {
    const unstarted = listed('18249187646912138824', '', '127.0.2.1', {clientURLs: [], started: false, isLearner: true})
    const r = join(live('14841639068965178418', LEADER, [listed(LEADER, 'etcd1', '127.0.1.1'), listed('10501334649042878791', 'etcd2', '127.0.1.2'), unstarted], [answered(url('127.0.1.1'), LEADER), answered(url('127.0.1.2'), '10501334649042878791'), silent(url('127.0.2.1'))]))
    assert.deepEqual([r.members[2]!.name, r.members[2]!.membership, r.members[2]!.id, r.members[2]!.isLearner], ['etcd4', 'member', 'fd422379fda50e48', true])
    assert.equal(statusExitCode(r), 2)
  })

  it('a member the spec keeps but the cluster does not list is unlisted, not counted', () => {
    const r = join(live('14841639068965178418', LEADER, [listed(LEADER, 'etcd1', '127.0.1.1'), listed('18249187646912138824', 'etcd4', '127.0.2.1')], [answered(url('127.0.1.1'), LEADER), silent(url('127.0.1.2')), answered(url('127.0.2.1'), '18249187646912138824')]))
    assert.equal(r.members[1]!.membership, 'unlisted')
    assert.equal(statusExitCode(r), 0)
  })
})

describe('buildStatusReport (snapshot): two clusters kept apart', () => {
  const spec = buildSpec({strategy: 'snapshot', source: [member('etcd1', '127.0.1.1'), member('etcd2', '127.0.1.2')], target: [member('etcd4', '127.0.2.1'), member('etcd5', '127.0.2.2')]})
  const SOURCE_ID = '14841639068965178418'
  const TARGET_ID = '777'
  const source = live(SOURCE_ID, LEADER, [listed(LEADER, 'etcd1', '127.0.1.1'), listed('11', 'etcd2', '127.0.1.2')], [answered(url('127.0.1.1'), LEADER), answered(url('127.0.1.2'), '11')])
  const target = live(TARGET_ID, '21', [listed('21', 'etcd4', '127.0.2.1'), listed('22', 'etcd5', '127.0.2.2')], [answered(url('127.0.2.1'), '21', {leaderId: '21'}), answered(url('127.0.2.2'), '22', {leaderId: '21'})])
  const sourceDown = new ClusterUnreachableError([url('127.0.1.1'), url('127.0.1.2')], ['connect ECONNREFUSED 127.0.1.1:2379', 'connect ECONNREFUSED 127.0.1.2:2379'])
  const targetDown = new ClusterUnreachableError([url('127.0.2.1'), url('127.0.2.2')], ['connect ECONNREFUSED 127.0.2.1:2379', 'connect ECONNREFUSED 127.0.2.2:2379'])
  const snapshot = (s: LiveCluster | ClusterUnreachableError, t: LiveCluster | ClusterUnreachableError, inputs = noJournal) => buildStatusReport(spec, {strategy: 'snapshot', source: s, target: t}, inputs)
  const complete = journalOf([['preflight', 'done'], ['start-member/etcd4', 'done'], ['start-member/etcd5', 'done'], ['verify', 'done'], ['stop-member/etcd1', 'done'], ['stop-member/etcd2', 'done']], 'complete')

  it('before the restore (no journal): the source serves, the target is not created yet, exit 0', () => {
    const r = snapshot(source, targetDown)
    assert.deepEqual([r.strategy, r.serving, r.servingReason], ['snapshot', 'source', 'no journal, and the source cluster answers'])
    assert.ok(r.clusters)
    assert.deepEqual([r.clusters.source.state, r.clusters.source.serving, r.clusters.target.state, r.clusters.target.serving], ['up', true, 'not-created', false])
    assert.deepEqual(r.clusters.target.members.map((m) => [m.name, m.membership]), [['etcd4', 'not-added'], ['etcd5', 'not-added']])
    assert.equal(r.clusterId, 'cdf818194e3a8c32', 'the top level is the serving cluster')
    assert.deepEqual(r.members.map((m) => m.name), ['etcd1', 'etcd2'])
    assert.equal(statusExitCode(r), 0)
  })

  it('both clusters up: each section has only its own members, its own cluster ID and leader', () => {
    const r = snapshot(source, target, withJournal(complete))
    assert.ok(r.clusters)
    assert.deepEqual([r.clusters.source.clusterId, r.clusters.target.clusterId], ['cdf818194e3a8c32', '309'])
    assert.deepEqual([r.clusters.source.leader?.name, r.clusters.target.leader?.name], ['etcd1', 'etcd4'])
    assert.deepEqual(r.clusters.source.members.map((m) => [m.name, m.membership]), [['etcd1', 'member'], ['etcd2', 'member']])
    assert.deepEqual(r.clusters.target.members.map((m) => [m.name, m.membership]), [['etcd4', 'member'], ['etcd5', 'member']])
    assert.deepEqual([r.serving, r.servingReason, r.clusterId], ['target', 'the journal is past verify', '309'])
  })

  it('after the migration (journal complete): the target serves, the source is stopped, exit 0', () => {
    const r = snapshot(sourceDown, target, withJournal(complete))
    assert.ok(r.clusters)
    assert.deepEqual([r.serving, r.clusters.source.state, r.clusters.target.state], ['target', 'stopped', 'up'])
    assert.equal(statusExitCode(r), 0)
    assert.equal(r.reachable, true)
  })

  it('the exit code is the serving cluster\'s only', () => {
    const targetSick = {...target, statuses: [target.statuses[0]!, silent(url('127.0.2.2'))]}
    const midway = withJournal(journalOf([['preflight', 'done'], ['start-member/etcd4', 'done'], ['start-member/etcd5', 'running'], ['verify', 'pending']]))
    const r = snapshot(source, targetSick, midway)
    assert.deepEqual([r.serving, r.servingReason], ['source', 'the journal is not past verify yet'])
    assert.equal(statusExitCode(r), 0, 'a target member not started yet, before verify, is not an outage')
    assert.equal(statusExitCode(snapshot(source, targetSick, withJournal(complete))), 2, 'the same target member down after verify is')
    const sourceSick = {...source, statuses: [source.statuses[0]!, silent(url('127.0.1.2'))]}
    assert.equal(statusExitCode(snapshot(sourceSick, target, withJournal(complete))), 0, 'an old member down after the cut-over is expected')
    assert.equal(statusExitCode(snapshot(sourceSick, targetDown, midway)), 2, 'before verify the source must be healthy')
  })

  it('exit 1 when the serving cluster does not answer; a target that should answer is unreachable, not "not created"', () => {
    const r = snapshot(sourceDown, targetDown, withJournal(complete))
    assert.ok(r.clusters)
    assert.deepEqual([r.serving, r.clusters.source.state, r.clusters.target.state], ['target', 'stopped', 'unreachable'])
    assert.equal(statusExitCode(r), 1)
    const started = withJournal(journalOf([['start-member/etcd4', 'done'], ['verify', 'pending']]))
    const beforeVerify = snapshot(sourceDown, targetDown, started)
    assert.deepEqual([beforeVerify.serving, beforeVerify.clusters?.source.state, beforeVerify.clusters?.target.state], ['source', 'unreachable', 'unreachable'])
    assert.equal(statusExitCode(beforeVerify), 1)
  })

  it('an old member that still answers in a source without quorum is shown running, never "stopped"', () => {
    // etcd2 was stopped; etcd1 still runs alone: no member list (linearizable), but it answers Status.
    const lone = new ClusterUnreachableError([url('127.0.1.1'), url('127.0.1.2')], ['Deadline exceeded', 'connect ECONNREFUSED 127.0.1.2:2379'], [answered(url('127.0.1.1'), LEADER), silent(url('127.0.1.2'))])
    const r = snapshot(lone, target, withJournal(complete))
    assert.ok(r.clusters)
    assert.deepEqual([r.serving, r.clusters.source.state], ['target', 'unreachable'])
    const etcd1 = r.clusters.source.members.find((m) => m.name === 'etcd1')!
    assert.deepEqual([etcd1.health, etcd1.id, etcd1.error], ['unhealthy', BigInt(LEADER).toString(16), 'answers Status, but its cluster gives no member list (no quorum?)'])
    assert.equal(r.clusters.source.members.find((m) => m.name === 'etcd2')?.health, 'unreachable')
    assert.equal(statusExitCode(r), 0, 'the source does not serve any more: its state does not set the exit code')
  })

  it('with no journal and the source silent, the target serves', () => {
    const r = snapshot(sourceDown, target)
    assert.deepEqual([r.serving, r.servingReason, r.clusters?.source.state], ['target', 'no journal, and the source cluster does not answer', 'stopped'])
    assert.equal(statusExitCode(r), 0)
    assert.equal(statusExitCode(snapshot(sourceDown, targetDown)), 1)
  })

  it('an unreadable journal counts as no journal', () => {
    const r = snapshot(source, target, {...noJournal, journalError: 'the journal x.json is not valid JSON (corrupt or edited)'})
    assert.deepEqual([r.serving, r.journal, r.journalError], ['source', null, 'the journal x.json is not valid JSON (corrupt or edited)'])
  })
})
