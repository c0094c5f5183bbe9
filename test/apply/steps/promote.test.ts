// promote against a fake cluster: a member that is a voter already is left alone ("was already a
// voter", nothing sent); a started, caught-up learner gets exactly one `member promote`, sent to the
// leader; etcd's "not in sync" is waited out and sent to the leader again; a lost reply is resolved
// by observing; a learner that has not started, or is behind, is waited for before anything is sent;
// a member that is not in the cluster stops the step.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runPromote} from '../../../src/apply/steps/promote.js'
import {etcdError} from '../../fixtures/fake-cluster-client.js'
import type {FakeMemberState} from '../../fixtures/fake-cluster.js'
import {fakeCluster, joinMigration, memberOf, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'

const {spec, plan} = joinMigration()
const promote = stepOf(plan, 'promote/etcd4', 'promote')
const url = (name: string) => memberOf(spec, name).clientURL

/** etcd1..etcd3 led by etcd3, etcd4 a learner (ID 1003). */
function harness(etcd4: Partial<FakeMemberState> = {learner: true}) {
  const cluster = fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3', 'etcd4'], {leader: 'etcd3'}, {etcd4})
  return stepHarness({spec, plan, step: promote, cluster})
}

describe('promote', {concurrency: true}, () => {
  it('leaves a member that is a voter already alone: nothing is sent', async () => {
    const h = harness({learner: false})
    assert.equal(await runPromote(h.ctx, promote), 'etcd4 was already a voter')
    assert.deepEqual(h.client.calls, [])
  })

  it('sends exactly one member promote, to the leader, for the learner\'s ID', async () => {
    const h = harness()
    assert.equal(await runPromote(h.ctx, promote), 'promoted etcd4 to a voter')
    assert.deepEqual(h.client.calls, [{method: 'promoteMember', endpoint: url('etcd3'), args: ['1003']}])
    assert.equal(h.cluster.member('etcd4').learner, false)
  })

  it('waits out etcd\'s "not in sync with leader" and sends the promote to the leader again', async () => {
    const h = harness()
    h.client.reply('promoteMember', etcdError('etcdserver: can only promote a learner member which is in sync with leader'))
    assert.equal(await runPromote(h.ctx, promote), 'promoted etcd4 to a voter')
    assert.deepEqual(
      h.client.calls.map((c) => c.endpoint),
      [url('etcd3'), url('etcd3')],
    )
    assert.equal(h.waits()[0], 'member promote etcd4: etcdserver: can only promote a learner member which is in sync with leader')
  })

  it('resolves a lost reply by observing: the member is a voter, so the promote is not sent again', async () => {
    const h = harness()
    h.client.reply('promoteMember', 'lose-reply')
    assert.equal(await runPromote(h.ctx, promote), 'promoted etcd4 to a voter')
    assert.equal(h.client.calls.length, 1)
    assert.match(h.waits()[0] ?? '', /^member promote etcd4: no reply \(Deadline exceeded\)/)
  })

  it('waits for a learner that has not started (member-is-learner) before it sends anything', async () => {
    const h = harness({learner: true, started: false})
    h.cluster.then(
      () => {},
      (c) => c.run(memberOf(spec, 'etcd4')),
    )
    assert.equal(await runPromote(h.ctx, promote), 'promoted etcd4 to a voter')
    assert.equal(h.waits()[0], 'waiting for learner etcd4 to start and report itself as a learner')
    assert.equal(h.client.calls.length, 1)
  })

  it('waits for a learner that is behind the leader (member-caught-up) before it sends anything', async () => {
    const h = harness({learner: true, applied: 10})
    h.cluster.then(
      () => {},
      (c) => c.update('etcd4', {applied: 450}),
    )
    assert.equal(await runPromote(h.ctx, promote), 'promoted etcd4 to a voter')
    assert.equal(h.waits()[0], 'waiting for etcd4 to catch up before promoting it')
    assert.equal(h.client.calls.length, 1)
  })

  it('stops when the member is not in the cluster', async () => {
    const h = stepHarness({spec, plan, step: promote, cluster: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd3'})})
    const error = await stepFailure(runPromote(h.ctx, promote))
    assert.equal(error.reason, 'etcd4 is not a member of the cluster')
    assert.deepEqual(h.client.calls, [])
  })
})
