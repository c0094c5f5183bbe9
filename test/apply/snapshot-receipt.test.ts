// SnapshotReceipt: the bytes a joining member has received of the leader's snapshot, read through the
// provider at most once a second, become the wait's progress in bytes of the leader's DB size (with an
// ETA once two looks show growth); none received is no progress; a provider that cannot look is not
// asked again; a host that cannot be reached is no progress (not a failure) and is asked again later.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {SnapshotReceipt} from '../../src/apply/snapshot-receipt.js'
import {NodeProviderError} from '../../src/nodes/node-provider.js'
import {NotObservableError} from '../../src/nodes/not-observable.js'
import {fakeCluster, joinMigration, stepOf} from '../fixtures/migration-plans.js'
import {stepHarness} from '../fixtures/step-context.js'

const {spec, plan} = joinMigration()
const wait = stepOf(plan, 'wait-caught-up/etcd4', 'wait-caught-up')

function harness() {
  const cluster = fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3', 'etcd4'], {leader: 'etcd1'}, {etcd4: {learner: true, started: false}})
  return stepHarness({spec, plan, step: wait, cluster})
}

describe('SnapshotReceipt', () => {
  it('turns the received bytes into progress against the leader\'s DB size, and looks at most once a second', async () => {
    const h = harness()
    h.provider.receiving.set('etcd4', 8192)
    const receipt = new SnapshotReceipt(h.ctx, 'etcd4')
    const live = await h.ctx.observe()
    const first = await receipt.sample(live)
    assert.ok(first !== null && 'wait' in first)
    assert.equal(first.wait, "etcd4 is receiving the leader's snapshot (its whole database) and answers no Status until it has")
    assert.equal(first.waitingFor, "etcd4 to receive the leader's snapshot")
    assert.deepEqual(first.progress, {unit: 'bytes', done: 8192, total: 20480, etaMs: null})
    h.provider.receiving.set('etcd4', 12288)
    assert.deepEqual(await receipt.sample(live), first, 'looked again within a second')
    assert.equal(h.provider.calls.filter((c) => c.method === 'receivingSnapshotBytes').length, 1)
  })

  it('gives an ETA from the growth between two looks', async () => {
    const h = harness()
    h.provider.receiving.set('etcd4', 4096)
    const receipt = new SnapshotReceipt(h.ctx, 'etcd4')
    const live = await h.ctx.observe()
    await receipt.sample(live)
    await new Promise((resolve) => setTimeout(resolve, 1050))
    h.provider.receiving.set('etcd4', 12288)
    const second = await receipt.sample(live)
    assert.ok(second !== null && 'wait' in second && second.progress !== undefined)
    assert.equal(second.progress.done, 12288)
    // 8 KiB in about a second, 8 KiB left: about another second.
    assert.ok(second.progress.etaMs !== null && second.progress.etaMs >= 1000, `eta ${second.progress.etaMs}`)
  })

  it('is no progress while the member receives nothing', async () => {
    const h = harness()
    assert.equal(await new SnapshotReceipt(h.ctx, 'etcd4').sample(await h.ctx.observe()), null)
  })

  it('does not ask again a provider that cannot look at the host', async () => {
    const h = harness()
    h.provider.fail('receivingSnapshotBytes', new NotObservableError('etcd4', 'the snapshot it is receiving', 'manual', 'it runs nothing on the hosts'))
    const receipt = new SnapshotReceipt(h.ctx, 'etcd4')
    const live = await h.ctx.observe()
    assert.equal(await receipt.sample(live), null)
    await new Promise((resolve) => setTimeout(resolve, 1050))
    assert.equal(await receipt.sample(live), null)
    assert.equal(h.provider.calls.filter((c) => c.method === 'receivingSnapshotBytes').length, 1)
  })

  it('is no progress, not a failure, when the host cannot be reached, and does not look again for a while', async () => {
    const h = harness()
    h.provider.fail('receivingSnapshotBytes', new NodeProviderError('the ssh connection to 198.18.0.3 timed out', 'etcd4', ''))
    const receipt = new SnapshotReceipt(h.ctx, 'etcd4')
    const live = await h.ctx.observe()
    assert.equal(await receipt.sample(live), null)
    await new Promise((resolve) => setTimeout(resolve, 1050))
    assert.equal(await receipt.sample(live), null)
    assert.equal(h.provider.calls.filter((c) => c.method === 'receivingSnapshotBytes').length, 1, 'looked again a second after a failed look')
  })
})
