// move-leader against a fake cluster: a member that does not lead (or is gone) has no leadership to
// move, so nothing is sent; a leader gets exactly one MoveLeader, sent to itself, naming the first
// candidate in the plan's order that is caught up (not the first in the member list); with no
// caught-up successor it waits (member-caught-up); a lost reply is resolved by observing; etcd's
// "bad leader transferee" stops the step with what it means.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runMoveLeader} from '../../../src/apply/steps/move-leader.js'
import {etcdError} from '../../fixtures/fake-cluster-client.js'
import {fakeCluster, type MemberStates, joinMigration, memberOf, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'

const {spec, plan} = joinMigration()
const move = stepOf(plan, 'move-leader/etcd1', 'move-leader')
const url = (name: string) => memberOf(spec, name).clientURL
/** etcd6 listed before etcd5: the plan's order (etcd4, etcd5, etcd6) must decide, not the member list's. */
const MEMBERS = ['etcd1', 'etcd2', 'etcd3', 'etcd6', 'etcd5', 'etcd4']

function harness(leader: string | null, states: MemberStates = {}, names = MEMBERS) {
  const cluster = fakeCluster(spec, names, {leader}, states)
  return stepHarness({spec, plan, step: move, cluster})
}

describe('move-leader', {concurrency: true}, () => {
  it('the plan names the target voters as candidates, in order', () => {
    assert.deepEqual(move.candidates, ['etcd4', 'etcd5', 'etcd6'])
  })

  it('sends nothing when the member does not lead', async () => {
    const h = harness('etcd2')
    assert.equal(await runMoveLeader(h.ctx, move), 'etcd1 does not lead (leader: etcd2)')
    assert.deepEqual(h.client.calls, [])
  })

  it('sends nothing when the member is not in the cluster', async () => {
    const h = harness('etcd4', {}, MEMBERS.slice(1))
    assert.equal(await runMoveLeader(h.ctx, move), 'etcd1 is not a member')
    assert.deepEqual(h.client.calls, [])
  })

  it('sends exactly one MoveLeader, to the leader itself, naming the first candidate in plan order that is caught up', async () => {
    // etcd4 (first candidate) is behind; etcd5 comes before etcd6 in the plan, after it in the member list.
    const h = harness('etcd1', {etcd4: {applied: 10}})
    assert.equal(await runMoveLeader(h.ctx, move), 'moved leadership away: etcd1 does not lead (leader: etcd5)')
    assert.deepEqual(h.client.calls, [{method: 'moveLeader', endpoint: url('etcd1'), args: [h.cluster.idOf('etcd5')]}])
  })

  it('hands leadership to the first candidate when every candidate is caught up', async () => {
    const h = harness('etcd1')
    await runMoveLeader(h.ctx, move)
    assert.deepEqual(h.client.calls.map((c) => c.args), [[h.cluster.idOf('etcd4')]])
  })

  it('waits for a caught-up successor (member-caught-up) before it sends anything', async () => {
    const behind = {applied: 10}
    const h = harness('etcd1', {etcd2: behind, etcd3: behind, etcd4: behind, etcd5: behind, etcd6: behind})
    h.cluster.then(
      () => {},
      (c) => c.update('etcd6', {applied: 500}),
    )
    assert.equal(await runMoveLeader(h.ctx, move), 'moved leadership away: etcd1 does not lead (leader: etcd6)')
    assert.equal(h.waits()[0], 'waiting for a healthy, caught-up voter to take over leadership from etcd1')
    assert.equal(h.client.calls.length, 1)
  })

  it('resolves a lost reply by observing: leadership moved, so MoveLeader is not sent again', async () => {
    const h = harness('etcd1')
    h.client.reply('moveLeader', 'lose-reply')
    assert.equal(await runMoveLeader(h.ctx, move), 'moved leadership away: etcd1 does not lead (leader: etcd4)')
    assert.equal(h.client.calls.length, 1)
  })

  it('stops at "bad leader transferee" with what it means', async () => {
    const h = harness('etcd1')
    h.client.reply('moveLeader', etcdError('etcdserver: bad leader transferee'))
    const error = await stepFailure(runMoveLeader(h.ctx, move))
    assert.equal(error.reason, 'move leader from etcd1 to etcd4: etcd refused: etcdserver: bad leader transferee')
    assert.match(error.hint ?? '', /^leadership can only move to a started voter\./)
  })
})
