// verify against a fake cluster: done when the membership is exactly the target, every member a
// started, healthy, caught-up voter; otherwise it waits, naming every problem (a learner left, a
// member that should be gone, one missing, sick or behind), and stops after timeouts.health with them.
// It sends nothing to etcd.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runVerify} from '../../../src/apply/steps/verify.js'
import {fakeCluster, joinMigration, stepOf, type MemberStates} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'

const {spec, plan} = joinMigration()
const verify = stepOf(plan, 'verify', 'verify')

function harness(names: string[], states: MemberStates = {}, healthMs = spec.timeouts.healthMs) {
  return stepHarness({spec: {...spec, timeouts: {...spec.timeouts, healthMs}}, plan, step: verify, cluster: fakeCluster(spec, names, {leader: 'etcd4'}, states)})
}

describe('verify', {concurrency: true}, () => {
  it('expects exactly the target voters', () => {
    assert.deepEqual(verify.expectedVoters, ['etcd4', 'etcd5', 'etcd6'])
  })

  it('is done at once when the cluster is exactly the target, all started, healthy, caught-up voters', async () => {
    const h = harness(['etcd4', 'etcd5', 'etcd6'])
    assert.equal(await runVerify(h.ctx, verify), 'the cluster is exactly etcd4, etcd5, etcd6: started, healthy, caught-up voters')
    assert.equal(h.cluster.observations, 1)
    assert.deepEqual(h.log, [])
  })

  it('waits, naming every problem, until the cluster is the target', async () => {
    const h = harness(['etcd1', 'etcd4', 'etcd5', 'etcd6'], {etcd5: {applied: 10}, etcd6: {learner: true}})
    h.cluster.then(
      () => {},
      (c) => {
        c.remove(c.idOf('etcd1'))
        c.update('etcd5', {applied: 500})
        c.promote(c.idOf('etcd6'))
      },
    )
    assert.match(await runVerify(h.ctx, verify), /^the cluster is exactly/)
    assert.deepEqual(h.waits(), ['etcd5 is not caught up; etcd6 is still a learner; etcd1 (http://127.0.1.1:2380) should not be a member'])
  })

  it('stops after timeouts.health with what is wrong: a sick member, a missing one, one too many', async () => {
    const h = harness(['etcd4', 'etcd5', 'etcd1'], {etcd5: {running: false}}, 150)
    const error = await stepFailure(runVerify(h.ctx, verify))
    assert.equal(error.reason, 'not done within 0 s: etcd5 is not healthy; etcd6 is missing; etcd1 (http://127.0.1.1:2380) should not be a member')
  })
})
