// remove-member against a fake cluster: a member that is gone already is left alone ("was not a
// member", nothing sent); otherwise exactly one `member remove` goes to a healthy voter other than
// the member (the leader first), rotating to the next after "unhealthy cluster"; a leaving member
// that leads first hands leadership to the first caught-up target voter; a lost reply is resolved by
// observing; the healthy voters left must form a quorum (waited for), and a sick voter refuses the
// removal, naming voters-healthy, once timeouts.health is over.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runRemoveMember} from '../../../src/apply/steps/remove-member.js'
import {etcdError} from '../../fixtures/fake-cluster-client.js'
import {fakeCluster, type MemberStates, joinMigration, memberOf, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'

const {spec, plan} = joinMigration()
const remove = stepOf(plan, 'remove-member/etcd1', 'remove-member')
const url = (name: string) => memberOf(spec, name).clientURL
const ALL = ['etcd1', 'etcd2', 'etcd3', 'etcd4', 'etcd5', 'etcd6']

/** Every member a voter (the learners promoted), led by `leader`; etcd1's ID is 1000, etcd4's 1003. */
function harness(leader: string, states: MemberStates = {}, s = spec) {
  return stepHarness({spec: s, plan, step: remove, cluster: fakeCluster(s, ALL, {leader}, states)})
}

describe('remove-member', {concurrency: true}, () => {
  it('leaves a member that is gone already alone: nothing is sent', async () => {
    const h = stepHarness({spec, plan, step: remove, cluster: fakeCluster(spec, ALL.slice(1), {leader: 'etcd4'})})
    assert.equal(await runRemoveMember(h.ctx, remove), 'etcd1 was not a member')
    assert.deepEqual(h.client.calls, [])
  })

  it('sends exactly one member remove, for the member\'s ID, to the leader', async () => {
    const h = harness('etcd4')
    assert.equal(await runRemoveMember(h.ctx, remove), 'removed etcd1')
    assert.deepEqual(h.client.calls, [{method: 'removeMember', endpoint: url('etcd4'), args: ['1000']}])
    assert.equal(h.cluster.member('etcd1').inMembership, false)
  })

  it('sends the next try to another healthy voter after "unhealthy cluster", never to the leaving member', async () => {
    const h = harness('etcd4')
    h.client.reply('removeMember', etcdError('etcdserver: unhealthy cluster'))
    assert.equal(await runRemoveMember(h.ctx, remove), 'removed etcd1')
    assert.deepEqual(
      h.client.calls.map((c) => c.endpoint),
      [url('etcd4'), url('etcd2')],
    )
  })

  it('moves leadership off a leaving leader first (to the first caught-up target voter), then removes it', async () => {
    const h = harness('etcd1')
    assert.equal(await runRemoveMember(h.ctx, remove), 'removed etcd1')
    assert.deepEqual(h.log, [`client.moveLeader ${url('etcd1')} 1003`, `client.removeMember ${url('etcd4')} 1000`])
    assert.equal(h.waits()[0], 'move leader from etcd1 to etcd4: sent, verifying')
  })

  it('resolves a lost reply by observing: the member is gone, so the remove is not sent again', async () => {
    const h = harness('etcd4')
    h.client.reply('removeMember', 'lose-reply')
    assert.equal(await runRemoveMember(h.ctx, remove), 'removed etcd1')
    assert.equal(h.client.calls.length, 1)
  })

  it('waits while the healthy voters left would be fewer than quorum (quorum-after-change), then removes', async () => {
    // etcd1 is gone; etcd3 and etcd4 are down: removing etcd2 would leave etcd5 and etcd6 of four voters.
    const removeEtcd2 = stepOf(plan, 'remove-member/etcd2', 'remove-member')
    const down = {running: false}
    const h = stepHarness({spec, plan, step: removeEtcd2, cluster: fakeCluster(spec, ALL.slice(1), {leader: 'etcd5'}, {etcd3: down, etcd4: down})})
    h.cluster.then(
      () => {},
      (c) => ['etcd3', 'etcd4'].forEach((name) => c.update(name, {running: true})),
    )
    assert.equal(await runRemoveMember(h.ctx, removeEtcd2), 'removed etcd2')
    assert.equal(h.waits()[0], 'removing etcd2 would leave 2 healthy voters, quorum needs 3')
    assert.deepEqual(h.client.calls, [{method: 'removeMember', endpoint: url('etcd5'), args: [h.cluster.idOf('etcd2')]}])
  })

  it('refuses while another voter is sick once timeouts.health is over, naming voters-healthy; nothing is sent', async () => {
    const h = harness('etcd4', {etcd3: {running: false}}, {...spec, timeouts: {...spec.timeouts, healthMs: 0}})
    const error = await stepFailure(runRemoveMember(h.ctx, remove))
    assert.match(error.reason, /^precondition voters-healthy \(".*"\) does not hold: etcd3 is unhealthy \(for 0 s, timeouts\.health is 0 s\), so etcdplan stopped before removing etcd1: etcd3 \(http:\/\/127\.0\.1\.3:2379\): does not answer/)
    assert.match(error.reason, /This step changed nothing\.$/)
    assert.deepEqual(h.client.calls, [])
  })
})
