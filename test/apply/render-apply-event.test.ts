// Apply progress as text: one line per finished step with its elapsed time; nothing for events that
// only feed the live status line.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {formatElapsed, renderApplyEvent, renderLiveStatus} from '../../src/render/render-apply-event.js'

test('a finished step shows its counter, id, elapsed time and outcome', () => {
  const line = renderApplyEvent({type: 'step-done', id: 'promote/etcd4', index: 6, total: 36, elapsedMs: 1234, outcome: 'etcd4 is a voter'}, {colour: false})
  assert.equal(line, '[ 6/36] ✓ promote/etcd4 1.2s  etcd4 is a voter')
})

test('a finished step of a plan with estimates shows the estimate beside the real time', () => {
  const line = renderApplyEvent({type: 'step-done', id: 'add-learner/etcd5', index: 8, total: 36, elapsedMs: 5089, outcome: 'added', estimatedMs: 5100}, {colour: false})
  assert.equal(line, '[ 8/36] ✓ add-learner/etcd5 5.1s (est. 5.1 s)  added')
  const operator = renderApplyEvent({type: 'step-done', id: 'switch-dns', index: 17, total: 36, elapsedMs: 900, outcome: 'confirmed', estimatedMs: null}, {colour: false})
  assert.equal(operator, '[17/36] ✓ switch-dns 0.9s  confirmed')
})

test('step-start and catch-up are live status only', () => {
  assert.equal(renderApplyEvent({type: 'step-start', id: 'x', index: 1, total: 2, attempt: 1}, {colour: false}), null)
  assert.equal(renderApplyEvent({type: 'catch-up', id: 'x', member: 'etcd4', applied: 1, leader: 2, entriesPerSecond: null}, {colour: false}), null)
})

test('the live status line shows catch-up progress and rate', () => {
  assert.equal(renderLiveStatus('wait-caught-up/etcd4', 3200, {type: 'catch-up', id: 'wait-caught-up/etcd4', member: 'etcd4', applied: 1200, leader: 20000, entriesPerSecond: 5000}), 'wait-caught-up/etcd4 3.2s  applied 1200/20000 (5000/s)')
})

test('elapsed times: tenths below 10 s, whole seconds above', () => {
  assert.equal(formatElapsed(950), '0.9s')
  assert.equal(formatElapsed(17_400), '17s')
})

test('a resumed apply says how many steps were done before', () => {
  assert.equal(renderApplyEvent({type: 'apply-start', plan: 'runbook', steps: 36, done: 9, journal: 'j.json'}, {colour: false}), 'Applying "runbook": 36 steps, resuming after 9 done (journal: j.json)')
})

test('a plan the journal records as applied says there is nothing to do, once', () => {
  assert.equal(renderApplyEvent({type: 'apply-start', plan: 'runbook', steps: 36, done: 36, journal: 'j.json'}, {colour: false}), 'Nothing to do: the journal (j.json) records all 36 steps of this plan as done.')
  assert.equal(renderApplyEvent({type: 'apply-done', elapsedMs: 5, steps: 36, ran: 0}, {colour: false}), null)
})

test('a resumed apply counts the steps it ran', () => {
  assert.equal(renderApplyEvent({type: 'apply-done', elapsedMs: 12_400, steps: 36, ran: 28}, {colour: false}), '\nApply complete! 28 of 36 steps (the rest were done before) in 12s.')
  assert.equal(renderApplyEvent({type: 'apply-done', elapsedMs: 900, steps: 36, ran: 36}, {colour: false}), '\nApply complete! 36 steps in 0.9s.')
})

test('an operator step shows what to do, then how to confirm it on the plan the operator named', () => {
  const text = renderApplyEvent({type: 'operator-needed', id: 'stop-member/etcd1', instructions: 'Stop etcd1 on its host.'}, {colour: false, planRef: 'plans/move.plan.json'})
  assert.equal(text, '\nAction needed: stop-member/etcd1 is yours to do.\nStop etcd1 on its host.\nThen confirm with\n  etcdplan apply plans/move.plan.json --confirm stop-member/etcd1\nor answer yes at the prompt.')
})

test('a failed step names the steps that depend on it as not run', () => {
  const text = renderApplyEvent({type: 'upstream-failed', failed: 'add-learner/etcd5', notRun: ['start-member/etcd5', 'wait-caught-up/etcd5']}, {colour: false})
  assert.equal(text, '      Not run, because they depend on add-learner/etcd5 (upstream failed): start-member/etcd5, wait-caught-up/etcd5')
  assert.equal(renderApplyEvent({type: 'upstream-failed', failed: 'verify', notRun: []}, {colour: false}), null)
})
