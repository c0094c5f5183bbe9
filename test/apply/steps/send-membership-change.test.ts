// sendMembershipChange against a fake cluster: etcd checks its 5-s rule on the receiver, so an
// `unhealthy cluster` from one voter is tried on the next in the same attempt, the leader first; any
// other answer ends the attempt (a refusal for good, a reply lost: never sent on to another voter);
// when all refuse, the wait carries the window's predicted end from the clock (none when it knows no
// start); without a healthy voter there is nothing to send to.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {HEALTH_INTERVAL_MS, HealthWindowClock} from '../../../src/apply/health-window.js'
import {ReceiverRotation} from '../../../src/apply/steps/leader-endpoint.js'
import {sendMembershipChange} from '../../../src/apply/steps/send-membership-change.js'
import {deadlineExceeded, etcdError} from '../../fixtures/fake-cluster-client.js'
import {fakeCluster, joinMigration, memberOf, stepOf} from '../../fixtures/migration-plans.js'
import {stepHarness} from '../../fixtures/step-context.js'

const join = joinMigration()
const step = stepOf(join.plan, 'add-learner/etcd4', 'add-learner')
const etcd = (n: number) => memberOf(join.spec, `etcd${n}`)
const unhealthy = () => etcdError('etcdserver: unhealthy cluster')

function harness(states = {}) {
  return stepHarness({...join, step, cluster: fakeCluster(join.spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd2'}, states)})
}

async function send(h: ReturnType<typeof harness>, clock = new HealthWindowClock()) {
  return sendMembershipChange(h.ctx, await h.cluster.observe(), new ReceiverRotation(), null, 'member add etcd4', (endpoint) => h.client.addMember(endpoint, etcd(4).peerURL, true), clock)
}

describe('sendMembershipChange', {concurrency: true}, () => {
  it('goes on to the next voter after "unhealthy cluster", leader first, and stops at the first that accepts', async () => {
    const h = harness()
    h.client.reply('addMember', unhealthy())
    assert.deepEqual(await send(h), {acted: 'member add etcd4: sent, verifying'})
    assert.deepEqual(h.client.calls.map((c) => c.endpoint), [etcd(2).clientURL, etcd(1).clientURL])
  })

  it('does not send on after a reply that was lost: the change may have been applied', async () => {
    const h = harness()
    h.client.reply('addMember', deadlineExceeded())
    const result = await send(h)
    assert.ok(result !== null && 'uncertain' in result, JSON.stringify(result))
    assert.equal(h.client.calls.length, 1)
  })

  it('returns the refusal with the predicted end of the window when every voter refuses', async () => {
    const h = harness()
    h.client.reply('addMember', unhealthy(), unhealthy(), unhealthy())
    const clock = new HealthWindowClock()
    const startedAt = Date.now() - 1000
    clock.memberStarted(etcd(3).peerURL, startedAt)
    const result = await send(h, clock)
    assert.ok(result !== null && 'wait' in result, JSON.stringify(result))
    assert.equal(result.notBefore, startedAt + HEALTH_INTERVAL_MS)
    assert.equal(h.client.calls.length, 3)
  })

  it('returns the refusal without a predicted end when the clock knows no start', async () => {
    const h = harness()
    h.client.reply('addMember', unhealthy(), unhealthy(), unhealthy())
    const result = await send(h)
    assert.ok(result !== null && 'wait' in result && result.notBefore === undefined, JSON.stringify(result))
  })

  it('sends nothing when no healthy voter leads', async () => {
    const h = harness()
    const cluster = await fakeCluster(join.spec, ['etcd1', 'etcd2', 'etcd3'], {leader: null}).observe()
    assert.equal(await sendMembershipChange(h.ctx, cluster, new ReceiverRotation(), null, 'member add etcd4', () => Promise.resolve()), null)
  })
})
