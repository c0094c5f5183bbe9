// The `etcdplan status` view of members the cluster does not list, from hand-built reports: after a
// join migration the removed source members read "removed, stopped" (or "still running"), never a
// red "unreachable" with ECONNREFUSED; a target before its add reads "not added yet".
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {renderStatus} from '../../src/render/render-status.js'
import {styles} from '../../src/render/colour.js'
import type {StatusReport} from '../../src/status/status-report.js'
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
