// The `etcdplan status` view of members the cluster does not list and of a snapshot migration's two
// clusters, from hand-built reports: after a join migration the removed source members read
// "removed, stopped" (or "still running"), never a red "unreachable" with ECONNREFUSED; a target
// before its add reads "not added yet"; a snapshot migration is two sections, each with its own
// table, cluster ID and leader, and a cluster that does not answer at all is one line saying so.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {renderStatus} from '../../src/render/render-status.js'
import {styles} from '../../src/render/colour.js'
import type {ClusterSection, StatusReport} from '../../src/status/status-report.js'
import {stripAnsi} from './ansi.js'
import {row, silent} from './status-fixture.js'

const RED = styles(true).removed('x').split('x')[0]!
const REFUSED = 'connect ECONNREFUSED 127.0.1.1:2379'

const base = {
  migration: 'move-to-rack-b',
  unreachableReason: null,
  alarms: [],
  lock: null,
  journalPath: '.etcdplan/move-to-rack-b/state.json',
  journal: {status: 'complete' as const, done: 20, total: 20, next: null, failed: null},
  journalError: null,
}

const afterJoin: StatusReport = {
  ...base,
  strategy: 'join',
  serving: null,
  servingReason: null,
  clusters: null,
  reachable: true,
  clusterId: 'cdf818194e3a8c32',
  leader: {id: 'fd422379fda50e48', name: 'etcd4'},
  members: [
    silent({name: 'etcd1', endpoint: 'http://127.0.1.1:2379', error: REFUSED, membership: 'removed'}),
    row({name: 'etcd2', endpoint: 'http://127.0.1.2:2379', id: '91bc3c398fb3c147', membership: 'removed', isLeader: false}),
    row({name: 'etcd4', endpoint: 'http://127.0.2.1:2379', id: 'fd422379fda50e48', role: 'target', isLeader: true}),
    silent({name: 'etcd5', endpoint: 'http://127.0.2.2:2379', error: 'connect ECONNREFUSED 127.0.2.2:2379', role: 'target', membership: 'not-added'}),
  ],
}

function lineOf(text: string, name: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`| ${name} `))
  assert.ok(line, `no row for ${name} in:\n${text}`)
  return line
}

describe('renderStatus: members the cluster does not list', () => {
  const text = renderStatus(afterJoin, {colour: false})

  it('shows a removed member that no longer answers as "removed, stopped", without its connection error', () => {
    const line = lineOf(text, 'etcd1')
    assert.match(line, /\| removed, stopped +\| +\|$/)
    assert.doesNotMatch(line, /unreachable|ECONNREFUSED/)
  })

  it('shows a removed member whose process still answers as "removed, still running"', () => {
    assert.match(lineOf(text, 'etcd2'), /\| removed, still running \|/)
  })

  it('shows a target member before its add as "not added yet"', () => {
    const line = lineOf(text, 'etcd5')
    assert.match(line, /\| not added yet +\| +\|$/)
    assert.doesNotMatch(line, /ECONNREFUSED/)
  })

  it('keeps the cluster members as they were: health, leader, and one table', () => {
    assert.match(lineOf(text, 'etcd4'), /\| true +\|.*\| healthy +\|/)
    assert.doesNotMatch(text, /cluster \(/i, 'a join migration has no sections')
    assert.match(text, /^Cluster: cdf818194e3a8c32 {2}Leader: etcd4 {2}Alarms: none$/m)
  })

  it('draws none of them in red, while a listed member that is down stays red', () => {
    const coloured = renderStatus(afterJoin, {colour: true})
    assert.equal(stripAnsi(coloured), text)
    for (const name of ['etcd1', 'etcd2', 'etcd5']) assert.ok(!lineOf(coloured, name).includes(RED), `${name} is drawn in red: ${JSON.stringify(lineOf(coloured, name))}`)
    const down = {...afterJoin, members: [silent({name: 'etcd4', endpoint: 'http://127.0.2.1:2379', error: 'connect ECONNREFUSED 127.0.2.1:2379', role: 'target'})]}
    const downLine = lineOf(renderStatus(down, {colour: true}), 'etcd4')
    assert.ok(downLine.includes(`${RED}unreachable`), JSON.stringify(downLine))
    assert.match(stripAnsi(downLine), /\| unreachable \| connect ECONNREFUSED 127\.0\.2\.1:2379 \|$/)
  })

  it('shows a member the spec keeps but the cluster does not list as "not listed"', () => {
    const unlisted = {...afterJoin, members: [silent({name: 'etcd3', endpoint: 'http://127.0.1.3:2379', error: 'deadline exceeded', role: 'both', membership: 'unlisted'})]}
    assert.match(lineOf(renderStatus(unlisted, {colour: false}), 'etcd3'), /\| not listed \| +\|$/)
  })
})

describe('renderStatus: the two clusters of a snapshot migration', () => {
  const sourceUp: ClusterSection = {
    side: 'source',
    state: 'up',
    serving: false,
    reachable: true,
    unreachableReason: null,
    clusterId: 'aaaa1111',
    leader: {id: '11', name: 'etcd1'},
    alarms: [],
    members: [row({name: 'etcd1', endpoint: 'http://127.0.1.1:2379', id: '11', isLeader: true}), silent({name: 'etcd2', endpoint: 'http://127.0.1.2:2379', id: '12', error: 'connect ECONNREFUSED 127.0.1.2:2379'})],
  }
  const targetUp: ClusterSection = {
    side: 'target',
    state: 'up',
    serving: true,
    reachable: true,
    unreachableReason: null,
    clusterId: 'bbbb2222',
    leader: {id: '21', name: 'etcd4'},
    alarms: [],
    members: [row({name: 'etcd4', endpoint: 'http://127.0.2.1:2379', id: '21', isLeader: true, role: 'target'}), row({name: 'etcd5', endpoint: 'http://127.0.2.2:2379', id: '22', role: 'target'})],
  }
  const snapshot = (source: ClusterSection, target: ClusterSection, servingReason: string): StatusReport => {
    const serving = source.serving ? source : target
    const {reachable, clusterId, leader, alarms, members, unreachableReason} = serving
    return {...base, strategy: 'snapshot', serving: serving.side, servingReason, clusters: {source, target}, reachable, clusterId, leader, alarms, members, unreachableReason}
  }

  it('draws two sections, each with its own table, cluster ID and leader, the serving one saying why', () => {
    const text = renderStatus(snapshot(sourceUp, targetUp, 'the journal is past verify'), {colour: false})
    const lines = text.split('\n')
    const sourceAt = lines.indexOf("Source cluster (not serving: its members' health does not affect the exit code):")
    const targetAt = lines.indexOf('Target cluster (serving: the journal is past verify):')
    assert.ok(sourceAt === 0 && targetAt > sourceAt, text)
    const sourcePart = lines.slice(sourceAt, targetAt).join('\n')
    const targetPart = lines.slice(targetAt).join('\n')
    assert.match(sourcePart, /^Cluster: aaaa1111 {2}Leader: etcd1 {2}Alarms: none$/m)
    assert.match(targetPart, /^Cluster: bbbb2222 {2}Leader: etcd4 {2}Alarms: none$/m)
    assert.match(sourcePart, /^\| etcd1 \|/m)
    assert.doesNotMatch(sourcePart, /etcd4|etcd5/)
    assert.match(targetPart, /^\| etcd4 \|.*\| true +\|/m)
    assert.doesNotMatch(targetPart.split('Journal:')[0]!, /etcd1|etcd2/)
    assert.equal(lines.at(-1), 'Journal: .etcdplan/move-to-rack-b/state.json: 20/20 steps done; complete')
  })

  it('mutes the rows of the cluster that does not serve: a stopped old member is not drawn in red', () => {
    const coloured = renderStatus(snapshot(sourceUp, targetUp, 'the journal is past verify'), {colour: true})
    assert.ok(!lineOf(coloured, 'etcd2').includes(RED), JSON.stringify(lineOf(coloured, 'etcd2')))
    const servingDown = snapshot({...sourceUp, serving: true}, {...targetUp, serving: false}, 'the journal is not past verify yet')
    assert.ok(lineOf(renderStatus(servingDown, {colour: true}), 'etcd2').includes(`${RED}unreachable`), 'in the serving cluster a member down is red')
  })

  it('says "not created yet" for a target nobody started, and "stopped" for a source after the cut-over, in one line each', () => {
    const notCreated: ClusterSection = {
      ...targetUp,
      state: 'not-created',
      serving: false,
      reachable: false,
      clusterId: null,
      leader: null,
      members: [silent({name: 'etcd4', endpoint: 'http://127.0.2.1:2379', error: 'refused', role: 'target', membership: 'not-added'})],
    }
    const before = renderStatus(snapshot({...sourceUp, serving: true}, notCreated, 'no journal, and the source cluster answers'), {colour: false})
    assert.match(before, /^Source cluster \(serving: no journal, and the source cluster answers\):$/m)
    assert.match(before, /^Target cluster: not created yet \(no target member answers: etcd4 http:\/\/127\.0\.2\.1:2379\)$/m)
    assert.doesNotMatch(before, /\| etcd4 \|/)
    const stopped: ClusterSection = {...sourceUp, state: 'stopped', reachable: false, clusterId: null, leader: null, members: sourceUp.members.map((m) => silent({name: m.name, endpoint: m.endpoint, error: 'refused'}))}
    const after = renderStatus(snapshot(stopped, targetUp, 'the journal is past verify'), {colour: false})
    assert.match(after, /^Source cluster: stopped \(no source member answers: etcd1 http:\/\/127\.0\.1\.1:2379, etcd2 http:\/\/127\.0\.1\.2:2379\)$/m)
    assert.doesNotMatch(after, /\| etcd1 \||unreachable/)
  })

  it('draws a serving cluster that does not answer as unreachable, with every row', () => {
    const down: ClusterSection = {...targetUp, state: 'unreachable', reachable: false, clusterId: null, leader: null, members: [silent({name: 'etcd4', endpoint: 'http://127.0.2.1:2379', error: 'refused', role: 'target', membership: 'unknown'})]}
    const stopped: ClusterSection = {...sourceUp, state: 'stopped', reachable: false, clusterId: null, leader: null}
    const text = renderStatus(snapshot(stopped, down, 'the journal is past verify'), {colour: false})
    assert.match(text, /^Target cluster \(serving: the journal is past verify\):$/m)
    assert.match(text, /^\| etcd4 \|.*\| unreachable \| refused +\|$/m)
    assert.match(text, /^Cluster: unreachable \(no endpoint answered\)/m)
  })
})
