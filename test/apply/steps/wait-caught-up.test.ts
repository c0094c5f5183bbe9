// wait-caught-up against a fake cluster: a member within the tolerance on two polls in a row is
// done (the second poll at once, not after a pause), with its progress reported; one that catches up
// is waited for; one that has not started yet is waited for (member-started); one that is not a member
// is refused naming member-started; when timeouts.catchUp runs out the step stops with how far behind
// the member was, or why it gave no usable status, and says that the learner was not promoted.
// It sends nothing to etcd and does nothing on the host.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {ApplyEvent} from '../../../src/apply/apply-event.js'
import {runWaitCaughtUp} from '../../../src/apply/steps/wait-caught-up.js'
import {NotObservableError} from '../../../src/nodes/not-observable.js'
import type {FakeMemberState} from '../../fixtures/fake-cluster.js'
import {fakeCluster, joinMigration, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'

const {spec, plan} = joinMigration()
const wait = stepOf(plan, 'wait-caught-up/etcd4', 'wait-caught-up')

function harness(etcd4: Partial<FakeMemberState> | null, catchUpMs = spec.timeouts.catchUpMs) {
  const names = etcd4 === null ? ['etcd1', 'etcd2', 'etcd3'] : ['etcd1', 'etcd2', 'etcd3', 'etcd4']
  const cluster = fakeCluster(spec, names, {leader: 'etcd1', leaderIndex: 500}, etcd4 === null ? {} : {etcd4: {learner: true, ...etcd4}})
  return stepHarness({spec: {...spec, timeouts: {...spec.timeouts, catchUpMs}}, plan, step: wait, cluster})
}

const catchUps = (events: readonly ApplyEvent[]) => events.flatMap((e) => (e.type === 'catch-up' ? [[e.applied, e.leader]] : []))

describe('wait-caught-up', {concurrency: true}, () => {
  it('is done after two polls in a row within the tolerance, the second at once, progress reported', async () => {
    const h = harness({applied: 450})
    assert.equal(await runWaitCaughtUp(h.ctx, wait), "etcd4 applied 450 of the leader's 500")
    assert.equal(h.cluster.observations, 2)
    assert.deepEqual(catchUps(h.events), [
      [450, 500],
      [450, 500],
    ])
    const first = h.events.find((e) => e.type === 'catch-up')
    assert.equal(first?.type === 'catch-up' ? first.entriesPerSecond : 'none', null, 'a rate from a single poll')
    assert.deepEqual(h.log, [])
  })

  it('waits while the member catches up', async () => {
    const h = harness({applied: 100})
    h.cluster.then(
      () => {},
      (c) => c.update('etcd4', {applied: 480}),
    )
    assert.equal(await runWaitCaughtUp(h.ctx, wait), "etcd4 applied 480 of the leader's 500")
    assert.deepEqual(h.waits(), ['etcd4 catching up: 100 of 500', 'etcd4 is within 100 entries; confirming'])
  })

  it('starts counting again when a good poll is followed by a bad one', async () => {
    const h = harness({applied: 500})
    h.cluster.then(
      () => {},
      (c) => c.update('etcd4', {applied: 10}),
      (c) => c.update('etcd4', {applied: 500}),
    )
    await runWaitCaughtUp(h.ctx, wait)
    assert.equal(h.cluster.observations, 4, 'done after a single good poll')
  })

  it('waits for a member that has not started yet (member-started)', async () => {
    const h = harness({started: false})
    h.cluster.then(
      () => {},
      (c) => c.update('etcd4', {started: true, running: true}),
    )
    assert.equal(await runWaitCaughtUp(h.ctx, wait), "etcd4 applied 500 of the leader's 500")
    assert.equal(h.waits()[0], 'waiting for etcd4 to start and publish its name')
  })

  it('shows the bytes of the leader\'s snapshot a member receives before it has published its name, read on its host', async () => {
    const h = harness({started: false})
    h.provider.receiving.set('etcd4', 8192)
    h.cluster.then(
      () => {},
      (c) => c.update('etcd4', {started: true, running: true}),
    )
    assert.equal(await runWaitCaughtUp(h.ctx, wait), "etcd4 applied 500 of the leader's 500")
    assert.equal(h.waits()[0], "etcd4 is receiving the leader's snapshot (its whole database) and answers no Status until it has")
    assert.ok(h.provider.calls.some((c) => c.method === 'receivingSnapshotBytes' && c.member === 'etcd4'), 'the host was not asked')
  })

  it('waits for the member\'s name alone when its provider cannot look at its host (exec, manual)', async () => {
    const h = harness({started: false})
    h.provider.fail('receivingSnapshotBytes', new NotObservableError('etcd4', 'the snapshot it is receiving', 'manual', 'it runs nothing on the hosts'))
    h.cluster.then(
      () => {},
      () => {},
      (c) => c.update('etcd4', {started: true, running: true}),
    )
    await runWaitCaughtUp(h.ctx, wait)
    assert.equal(h.waits()[0], 'waiting for etcd4 to start and publish its name')
    assert.equal(h.provider.calls.filter((c) => c.method === 'receivingSnapshotBytes').length, 1, 'asked again after it said it cannot look')
  })

  it('refuses a member that is not in the cluster, naming member-started', async () => {
    const h = harness(null)
    const error = await stepFailure(runWaitCaughtUp(h.ctx, wait))
    assert.match(error.reason, /^precondition member-started \(".*"\) does not hold: etcd4 is not a member of the cluster any more$/)
  })

  it('stops after timeouts.catchUp with how far behind the member is; the learner was not promoted', async () => {
    const h = harness({applied: 100}, 150)
    const error = await stepFailure(runWaitCaughtUp(h.ctx, wait))
    assert.match(
      error.reason,
      /^etcd4 \(http:\/\/127\.0\.2\.1:2379\) did not catch up within 0 s \(timeouts\.catchUp\): it has applied 100 of the leader's committed 500 \(400 entries behind; caught up means within 100\), at 0 entries\/s\. etcd4 is still a learner: it does not vote, so the cluster's quorum does not depend on it, and it was not promoted\.$/,
    )
    assert.match(error.hint ?? '', /^check that etcd for etcd4 is running and can reach the leader \(etcd1, http:\/\/127\.0\.1\.1:2380\)/)
  })

  it('stops after timeouts.catchUp with why a member gave no usable status', async () => {
    const h = harness({running: false}, 150)
    const error = await stepFailure(runWaitCaughtUp(h.ctx, wait))
    assert.match(error.reason, /did not catch up within 0 s \(timeouts\.catchUp\): it has not reported a usable status for 0 s: it does not answer Status \(connect ECONNREFUSED 127\.0\.2\.1:2379\)\./)
  })
})
