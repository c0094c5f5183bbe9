// The start mark a provider writes before each start: the lines after the last one are the latest
// start's; a tail without one is all the latest start's.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {sinceLastStart, START_MARK, startMarkLine} from '../../src/nodes/start-mark.js'

test('the lines after the last start mark, the mark left out; all of a tail without one', () => {
  const first = startMarkLine('etcd4', '/w/etcd4/etcd.yaml', new Date('2026-01-02T03:04:05.000Z'))
  assert.equal(first, `${START_MARK} for etcd4 with --config-file /w/etcd4/etcd.yaml at 2026-01-02T03:04:05.000Z ---`)
  const second = startMarkLine('etcd4', '/w/etcd4/etcd.yaml', new Date('2026-01-02T03:09:00.000Z'))
  assert.equal(sinceLastStart([first, 'old: address already in use', second, 'new line 1', 'new line 2'].join('\n')), 'new line 1\nnew line 2')
  assert.equal(sinceLastStart([first, 'old'].join('\n')), 'old')
  assert.equal(sinceLastStart([first, 'old', second].join('\n')), '')
  assert.equal(sinceLastStart('a\nb'), 'a\nb')
})
