// The `etcdplan status` view from hand-built reports: an etcdctl-style table whose columns line up
// whatever the cells hold, IDs in hex, sizes as etcdctl prints them, a learner shown as such, the
// cluster and journal lines, and colour only when asked for. How the report is built from an
// observation is test/status/build-status-report.test.ts; members the cluster does not list and the
// two clusters of a snapshot migration are drawn in render-status-membership.test.ts.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import type {StatusReport} from '../../src/status/status-report.js'
import {humanizeBytes, renderStatus} from '../../src/render/render-status.js'
import {ANSI, stripAnsi} from './ansi.js'
import {row} from './status-fixture.js'

const report: StatusReport = {
  migration: 'move-to-rack-b',
  strategy: 'join',
  serving: null,
  servingReason: null,
  clusters: null,
  lock: null,
  reachable: true,
  unreachableReason: null,
  clusterId: 'cdf818194e3a8c32',
  leader: {id: '8e9e05c52164694d', name: 'etcd1'},
  alarms: [],
  members: [
    row({name: 'etcd1', endpoint: 'http://127.0.1.1:2379', id: '8e9e05c52164694d', isLeader: true, raftIndex: 98765, raftAppliedIndex: 98765}),
    row({name: 'etcd2', endpoint: 'http://127.0.1.2:2379', id: '91bc3c398fb3c146', dbSize: 2_500_000, raftIndex: 98765, raftAppliedIndex: 98764}),
    row({name: 'etcd5', endpoint: 'http://127.0.2.2:2379', id: 'fd422379fda50e48', isLearner: true, raftIndex: 98700, raftAppliedIndex: 98700, health: 'learner', role: 'target'}),
    row({
      name: 'etcd6',
      endpoint: 'http://127.0.2.3:2379',
      version: null,
      dbSize: null,
      isLearner: null,
      raftTerm: null,
      raftIndex: null,
      raftAppliedIndex: null,
      error: 'connect ECONNREFUSED 127.0.2.3:2379',
      health: 'unreachable',
      role: 'target',
    }),
  ],
  journalPath: '.etcdplan/move-to-rack-b/state.json',
  journal: {status: 'in-progress', done: 12, total: 36, next: {id: 'promote/etcd5', status: 'pending'}, failed: null},
  journalError: null,
}

const text = renderStatus(report, {colour: false})
const lines = text.split('\n')
const table = lines.slice(0, lines.indexOf(''))

/** Where the column separators are on a table line. */
function bars(line: string): number[] {
  return [...line].flatMap((c, i) => (c === '|' || c === '+' ? [i] : []))
}

describe('renderStatus', () => {
  it('draws an etcdctl-style table: border, centred header, border, one row per endpoint, border', () => {
    assert.equal(table.length, 3 + report.members.length + 1)
    assert.match(table[0]!, /^\+-+(\+-+){11}\+$/)
    assert.equal(table[2], table[0])
    assert.equal(table.at(-1), table[0])
    const header = table[1]!.split('|').slice(1, -1).map((c) => c.trim())
    assert.deepEqual(header, ['NAME', 'ENDPOINT', 'ID', 'VERSION', 'DB SIZE', 'LEADER', 'LEARNER', 'TERM', 'RAFT INDEX', 'APPLIED INDEX', 'HEALTH', 'ERRORS'])
  })

  it('lines every column up, whatever the cells hold', () => {
    const widths = new Set(table.map((line) => line.length))
    assert.equal(widths.size, 1, table.join('\n'))
    const positions = bars(table[0]!)
    for (const line of table) assert.deepEqual(bars(line), positions, line)
  })

  it('shows IDs in hex, sizes as etcdctl does, and right-aligns the raft numbers', () => {
    const noErrors = ' '.repeat('connect ECONNREFUSED 127.0.2.3:2379'.length)
    assert.equal(table[3], `| etcd1 | http://127.0.1.1:2379 | 8e9e05c52164694d | 3.4.23  | 20 kB   | true   | false   |    2 |      98765 |         98765 | healthy     | ${noErrors} |`)
    assert.match(table[4]!, /^\| etcd2 \| http:\/\/127\.0\.1\.2:2379 \| 91bc3c398fb3c146 \| 3\.4\.23 {2}\| 2\.5 MB {2}\| false {2}\| false {3}\| {4}2 \| {6}98765 \| {9}98764 \| healthy {5}\|/)
  })

  it('shows a learner as a learner, not as unhealthy', () => {
    assert.match(table[5]!, /^\| etcd5 \|.*\| false {2}\| true {4}\|.*\| learner {5}\|/)
  })

  it('shows an unreachable member with dashes and why it did not answer', () => {
    assert.match(table[6]!, /^\| etcd6 \| http:\/\/127\.0\.2\.3:2379 \| - +\| - +\| - +\| - +\| - +\| +- \| +- \| +- \| unreachable \| connect ECONNREFUSED 127\.0\.2\.3:2379 \|$/)
  })

  it('cuts a long error short in the table (--json has it in full)', () => {
    const long = row({name: 'etcd2', endpoint: 'http://127.0.1.2:2379', health: 'unhealthy', errors: ['memberID:10501334649042878791 alarm:NOSPACE', 'etcdserver: mvcc: database space exceeded']})
    const cell = renderStatus({...report, members: [long]}, {colour: false}).split('\n')[3]!.split('|')[12]!.trim()
    assert.equal(cell.length, 60)
    assert.ok(cell.startsWith('memberID:10501334649042878791 alarm:NOSPACE, etcdserver: mv') && cell.endsWith('…'), cell)
  })

  it('ends with the cluster line and the journal position', () => {
    assert.deepEqual(lines.slice(table.length), [
      '',
      'Cluster: cdf818194e3a8c32  Leader: etcd1  Alarms: none',
      'Journal: .etcdplan/move-to-rack-b/state.json: 12/36 steps done; next: promote/etcd5 (pending)',
    ])
  })

  it('says when there is no journal, when it is complete, when a step failed, and when it is unreadable', () => {
    assert.equal(renderStatus({...report, journal: null}, {colour: false}).split('\n').at(-1), 'Journal: none (no apply has run for this migration)')
    const complete = {status: 'complete' as const, done: 36, total: 36, next: null, failed: null}
    assert.equal(renderStatus({...report, journal: complete}, {colour: false}).split('\n').at(-1), 'Journal: .etcdplan/move-to-rack-b/state.json: 36/36 steps done; complete')
    const failed = {status: 'failed' as const, done: 3, total: 36, next: {id: 'add/etcd4', status: 'failed' as const}, failed: {id: 'add/etcd4', error: 'etcdserver: unhealthy cluster'}}
    assert.equal(
      renderStatus({...report, journal: failed}, {colour: false}).split('\n').at(-1),
      'Journal: .etcdplan/move-to-rack-b/state.json: 3/36 steps done; next: add/etcd4 (failed: etcdserver: unhealthy cluster)',
    )
    const corrupt = {...report, journal: null, journalError: 'the journal x.json is not valid JSON (corrupt or edited)'}
    assert.equal(renderStatus(corrupt, {colour: false}).split('\n').at(-1), 'Journal: the journal x.json is not valid JSON (corrupt or edited)')
  })

  it('adds the cluster version etcd decided to the cluster line when it was read', () => {
    const versioned = renderStatus({...report, clusterVersion: '3.5.0'}, {colour: false})
    assert.match(versioned, /^Cluster: cdf818194e3a8c32 {2}Leader: etcd1 {2}Alarms: none {2}Cluster version: 3\.5\.0$/m)
  })

  it('names alarms with their member, and a cluster that did not answer', () => {
    const alarmed = renderStatus({...report, alarms: [{memberId: '91bc3c398fb3c146', name: 'etcd2', alarm: 'NOSPACE'}]}, {colour: false})
    assert.match(alarmed, /^Cluster: cdf818194e3a8c32 {2}Leader: etcd1 {2}Alarms: NOSPACE on etcd2 \(91bc3c398fb3c146\)$/m)
    const down = renderStatus({...report, reachable: false, clusterId: null, leader: null, members: [report.members[3]!]}, {colour: false})
    assert.match(down, /^Cluster: unreachable \(no endpoint answered\) {2}Leader: unknown {2}Alarms: unknown$/m)
    assert.match(down, /\| etcd6 \|/)
  })

  it('uses no ANSI codes when colour is off, and colours without moving columns when it is on', () => {
    assert.doesNotMatch(text, ANSI)
    const coloured = renderStatus(report, {colour: true})
    assert.match(coloured, ANSI)
    assert.equal(stripAnsi(coloured), text)
  })
})

describe('humanizeBytes', () => {
  it('prints sizes as etcdctl (go-humanize) does', () => {
    assert.deepEqual([5, 999, 1500, 20480, 25_165_824, 2_500_000, 8_589_934_592].map(humanizeBytes), ['5 B', '999 B', '1.5 kB', '20 kB', '25 MB', '2.5 MB', '8.6 GB'])
  })
})
