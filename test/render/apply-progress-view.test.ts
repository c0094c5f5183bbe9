// Where apply progress goes: --json streams every event as one JSON line; text without a terminal
// has no spinner or carriage returns, and shows catch-up progress as occasional lines.
import assert from 'node:assert/strict'
import {Writable} from 'node:stream'
import {test} from 'node:test'
import {ApplyProgressView} from '../../src/render/apply-progress-view.js'

function capture(): {stream: Writable; text: () => string} {
  let text = ''
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk)
      done()
    },
  })
  return {stream, text: () => text}
}

test('--json: one JSON object per event, with its type and a timestamp', () => {
  const out = capture()
  const view = new ApplyProgressView(out.stream, {json: true, tty: false, colour: false})
  view.handle({type: 'step-start', id: 'promote/etcd4', index: 6, total: 36, attempt: 1})
  view.handle({type: 'step-done', id: 'promote/etcd4', index: 6, total: 36, elapsedMs: 40, outcome: 'promoted etcd4 to a voter'})
  view.close()
  const lines = out.text().trimEnd().split('\n').map((line) => JSON.parse(line) as {type: string; time: string})
  assert.deepEqual(lines.map((l) => l.type), ['step-start', 'step-done'])
  assert.ok(lines.every((l) => !Number.isNaN(Date.parse(l.time))))
})

test('text without a terminal: lines only, no spinner, catch-up progress as a line', () => {
  const out = capture()
  const view = new ApplyProgressView(out.stream, {json: false, tty: false, colour: false})
  view.handle({type: 'step-start', id: 'wait-caught-up/etcd4', index: 5, total: 36, attempt: 1})
  view.handle({type: 'catch-up', id: 'wait-caught-up/etcd4', member: 'etcd4', applied: 1200, leader: 20000, entriesPerSecond: 5000})
  view.handle({type: 'step-done', id: 'wait-caught-up/etcd4', index: 5, total: 36, elapsedMs: 3100, outcome: 'etcd4 applied 20000 of the leader\'s 20000'})
  view.close()
  assert.equal(out.text(), "      … etcd4: applied 1200 of 20000 (5000 entries/s)\n[ 5/36] ✓ wait-caught-up/etcd4 3.1s  etcd4 applied 20000 of the leader's 20000\n")
})

test('on a terminal, the running step is a spinner line that finished lines replace', () => {
  const out = capture()
  const view = new ApplyProgressView(out.stream, {json: false, tty: true, colour: false})
  view.handle({type: 'step-start', id: 'add-learner/etcd5', index: 8, total: 36, attempt: 1})
  view.handle({type: 'step-done', id: 'add-learner/etcd5', index: 8, total: 36, elapsedMs: 5000, outcome: 'added etcd5 as a learner (ID 1)'})
  view.close()
  assert.match(out.text(), /\r\x1b\[2K⠙ add-learner\/etcd5 0\.0s/)
  assert.match(out.text(), /\r\x1b\[2K\[ 8\/36\] ✓ add-learner\/etcd5 5\.0s  added etcd5 as a learner \(ID 1\)\n/)
})

test('on a terminal, steps running together keep one spinner line until the last of them is done', () => {
  const out = capture()
  const view = new ApplyProgressView(out.stream, {json: false, tty: true, colour: false})
  for (const m of ['etcd4', 'etcd5']) view.handle({type: 'step-start', id: `restore-member/${m}`, index: 7, total: 20, attempt: 1})
  assert.match(out.text().split('\r').at(-1)!, /restore-member\/etcd4 \(\+1 running\)/)
  view.handle({type: 'step-done', id: 'restore-member/etcd4', index: 7, total: 20, elapsedMs: 2000, outcome: 'restored into /d4'})
  // etcd5 still runs: the spinner comes back with it after etcd4's line.
  assert.match(out.text().split('\n').at(-1)!, /restore-member\/etcd5 \d/)
  view.handle({type: 'step-done', id: 'restore-member/etcd5', index: 8, total: 20, elapsedMs: 2100, outcome: 'restored into /d5'})
  view.close()
  assert.doesNotMatch(out.text().split('\n').at(-1)!, /restore-member/, 'no spinner once nothing runs')
})
