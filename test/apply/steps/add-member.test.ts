// add-learner / add-member against a fake cluster: a member already there (an add whose reply was
// lost) is found and nothing is sent; otherwise exactly one `member add` goes to the leader, as a
// learner or a voter as planned, and the ID etcd gives is recorded; "unhealthy cluster" sends the
// next try to another healthy voter; a lost reply is resolved by observing, never by sending again;
// a second learner is refused naming no-learner; a sick voter is waited for.
import {HEALTH_WINDOW_WAIT} from '../../../src/apply/converge.js'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runAddMember} from '../../../src/apply/steps/add-member.js'
import {deadlineExceeded, etcdError} from '../../fixtures/fake-cluster-client.js'
import {fakeCluster, type MemberStates, joinMigration, memberOf, stepOf, voterMigration} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'

const join = joinMigration()
const addLearner = stepOf(join.plan, 'add-learner/etcd4', 'add-learner')
const etcd = (n: number) => memberOf(join.spec, `etcd${n}`)

/** etcd1..etcd3, led by etcd2 (so "the leader" is not simply the first member). */
function learnerHarness(states: MemberStates = {}, extra: string[] = []) {
  const cluster = fakeCluster(join.spec, ['etcd1', 'etcd2', 'etcd3', ...extra], {leader: 'etcd2'}, states)
  return stepHarness({...join, step: addLearner, cluster})
}

describe('add-learner', {concurrency: true}, () => {
  it('finds a member with the peer URL already there: nothing is sent, "was already a member", its ID recorded', async () => {
    const h = learnerHarness({etcd4: {learner: true, started: false}}, ['etcd4'])
    assert.equal(await runAddMember(h.ctx, addLearner), 'etcd4 was already a member (learner, ID 3eb)')
    assert.deepEqual(h.client.calls, [])
    assert.deepEqual(h.recorded, [['etcd4', '1003']])
  })

  it('sends exactly one member add, as a learner, to the leader, and records the ID etcd gave', async () => {
    const h = learnerHarness()
    assert.equal(await runAddMember(h.ctx, addLearner), 'added etcd4 as a learner (ID 7d0)')
    assert.deepEqual(h.client.calls, [{method: 'addMember', endpoint: etcd(2).clientURL, args: [etcd(4).peerURL, true]}])
    assert.ok(h.recorded.length >= 1 && h.recorded.every(([name, id]) => name === 'etcd4' && id === '2000'), JSON.stringify(h.recorded))
    assert.equal(h.cluster.at(etcd(4).peerURL)?.learner, true)
  })

  it('tries the next healthy voter at once after "unhealthy cluster" (etcd checks on the receiver), sending one add in all', async () => {
    const h = learnerHarness()
    h.client.reply('addMember', etcdError('etcdserver: unhealthy cluster'), etcdError('etcdserver: unhealthy cluster'))
    assert.equal(await runAddMember(h.ctx, addLearner), 'added etcd4 as a learner (ID 7d0)')
    assert.deepEqual(
      h.client.calls.map((c) => c.endpoint),
      [etcd(2).clientURL, etcd(1).clientURL, etcd(3).clientURL],
    )
    assert.equal(h.cluster.observations <= 2, true, `the refusals cost ${h.cluster.observations} observations: they were not tried within one attempt`)
    assert.deepEqual(h.waits(), ['member add etcd4: sent, verifying'])
  })

  it('waits when every voter refuses as "unhealthy cluster", then tries them again in turn', async () => {
    const h = learnerHarness()
    const unhealthy = () => etcdError('etcdserver: unhealthy cluster')
    h.client.reply('addMember', unhealthy(), unhealthy(), unhealthy(), unhealthy())
    assert.equal(await runAddMember(h.ctx, addLearner), 'added etcd4 as a learner (ID 7d0)')
    assert.deepEqual(
      h.client.calls.map((c) => c.endpoint),
      [etcd(2).clientURL, etcd(1).clientURL, etcd(3).clientURL, etcd(2).clientURL, etcd(1).clientURL],
    )
    assert.deepEqual(h.waits(), [`member add etcd4: etcdserver: unhealthy cluster: ${HEALTH_WINDOW_WAIT}`, 'member add etcd4: sent, verifying'])
  })

  it('resolves a lost reply by observing: the add had happened, so it is not sent again', async () => {
    const h = learnerHarness()
    h.client.reply('addMember', 'lose-reply')
    assert.equal(await runAddMember(h.ctx, addLearner), 'added etcd4 as a learner (ID 7d0)')
    assert.equal(h.client.calls.length, 1)
    assert.deepEqual(h.waits(), ['member add etcd4: no reply (Deadline exceeded); observing whether it took effect'])
    assert.deepEqual(h.recorded, [['etcd4', '2000']], 'the ID is recorded from the observation')
  })

  it('sends the add again only once an observation shows that the one without a reply did not happen', async () => {
    const h = learnerHarness()
    h.client.reply('addMember', deadlineExceeded())
    assert.equal(await runAddMember(h.ctx, addLearner), 'added etcd4 as a learner (ID 7d0)')
    assert.equal(h.client.calls.length, 2)
    assert.ok(h.cluster.observations >= 2)
  })

  it('refuses to add a second learner, naming no-learner, and sends nothing', async () => {
    const h = learnerHarness()
    h.cluster.add('http://127.0.9.9:2380', true)
    h.cluster.run({name: 'etcd9', peerURL: 'http://127.0.9.9:2380', clientURL: 'http://127.0.9.9:2379'})
    const error = await stepFailure(runAddMember(h.ctx, addLearner))
    assert.equal(error.stepId, 'add-learner/etcd4')
    assert.match(error.reason, /^precondition no-learner \(".*"\) does not hold: the cluster already has a learner \(etcd9, http:\/\/127\.0\.9\.9:2380\)$/)
    assert.deepEqual(h.client.calls, [])
  })

  it('waits for a sick voter to be healthy, then sends the add', async () => {
    const h = learnerHarness({etcd3: {running: false}})
    h.cluster.then(
      () => {},
      (c) => c.update('etcd3', {running: true}),
    )
    assert.equal(await runAddMember(h.ctx, addLearner), 'added etcd4 as a learner (ID 7d0)')
    assert.match(h.waits()[0] ?? '', /^waiting up to 2 s \(timeouts\.health\) for etcd3 to be healthy before adding etcd4 as a learner: etcd3 \(http:\/\/127\.0\.1\.3:2379\): does not answer/)
    assert.equal(h.client.calls.length, 1)
  })

  it('stops with etcd\'s words when etcd refuses the add', async () => {
    const h = learnerHarness()
    h.client.reply('addMember', etcdError('etcdserver: too many learner members in cluster'))
    const error = await stepFailure(runAddMember(h.ctx, addLearner))
    assert.equal(error.reason, 'member add etcd4: etcd refused: etcdserver: too many learner members in cluster')
    assert.match(error.hint ?? '', /^etcd allows one learner at a time/)
    assert.equal(h.client.calls.length, 1)
  })
})

describe('add-member (a voting add)', {concurrency: true}, () => {
  const voter = voterMigration()
  const addVoter = stepOf(voter.plan, 'add-member/etcd5', 'add-member')
  const cluster = () => fakeCluster(voter.spec, ['etcd1', 'etcd2', 'etcd3', 'etcd4'], {leader: 'etcd1'})

  it('sends exactly one member add as a voter to the leader', async () => {
    const h = stepHarness({...voter, step: addVoter, cluster: cluster()})
    assert.equal(await runAddMember(h.ctx, addVoter), 'added etcd5 as a voter (ID 7d0)')
    assert.deepEqual(h.client.calls, [{method: 'addMember', endpoint: memberOf(voter.spec, 'etcd1').clientURL, args: [memberOf(voter.spec, 'etcd5').peerURL, false]}])
    assert.equal(h.cluster.at(memberOf(voter.spec, 'etcd5').peerURL)?.learner, false)
  })

  it('finds the voter already added: nothing is sent', async () => {
    const c = cluster()
    c.add(memberOf(voter.spec, 'etcd5').peerURL, false)
    const h = stepHarness({...voter, step: addVoter, cluster: c})
    assert.equal(await runAddMember(h.ctx, addVoter), 'etcd5 was already a member (voter, ID 7d0)')
    assert.deepEqual(h.client.calls, [])
  })
})
