// stop-member against fake clusters and a fake provider: the outcome is what etcd shows, not what
// the provider believes. Join: a member still in the membership is refused; a removed member that no
// longer answers is done without a call; one that shut itself down is not stopped; one that did not
// is stopped by the provider, and the step waits until it no longer answers. Snapshot: an old member
// is stopped (never waited for to exit by itself) and its data dir kept; one that no longer answers
// is done; one the provider does not run stops the apply for the operator (`--confirm
// stop-member/<name>`), and a confirmed stop of a member that still answers is refused.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runStopMember} from '../../../src/apply/steps/stop-member.js'
import {fakeCluster, joinMigration, memberOf, snapshotMigration, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'
import {tempDir} from '../../fixtures/temp-dir.js'

describe('stop-member (join)', {concurrency: true}, () => {
  const {spec, plan} = joinMigration()
  const stop = stepOf(plan, 'stop-member/etcd1', 'stop-member')
  const etcd1 = memberOf(spec, 'etcd1')

  /** etcd1..etcd6, led by etcd4; etcd1 removed (still running) unless `member`. */
  function harness(options: {member?: boolean; answers?: boolean} = {}) {
    const cluster = fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3', 'etcd4', 'etcd5', 'etcd6'], {leader: 'etcd4'}, {etcd1: {running: options.answers !== false}})
    if (options.member !== true) cluster.remove(cluster.idOf('etcd1'))
    return stepHarness({spec, plan, step: stop, cluster})
  }

  it('refuses to stop a member that is still in the membership', async () => {
    const h = harness({member: true})
    h.provider.runs('etcd1')
    const error = await stepFailure(runStopMember(h.ctx, stop))
    assert.equal(error.reason, 'etcd1 is still a member of the cluster; stopping it now would lower fault tolerance')
    assert.deepEqual(h.log, [])
  })

  it('is done without a call when the removed member no longer answers', async () => {
    const h = harness({answers: false})
    assert.deepEqual(await runStopMember(h.ctx, stop), {done: `etcd1 no longer answers at ${etcd1.clientURL}`})
    assert.deepEqual(h.log, [])
  })

  it('does not stop a removed member that shut itself down', async () => {
    const h = harness()
    h.provider.runs('etcd1')
    h.provider.exitsByItself = true
    assert.deepEqual(await runStopMember(h.ctx, stop), {done: 'etcd1 shut itself down after its removal'})
    assert.deepEqual(h.provider.callsOf('awaitExit'), [{method: 'awaitExit', member: 'etcd1', args: [10_000]}])
    assert.deepEqual(h.provider.callsOf('stop'), [])
  })

  it('stops a removed member that has not shut down by itself, and waits until it no longer answers', async () => {
    const h = harness()
    h.provider.runs('etcd1')
    // The stop takes a moment to show: etcd1 still answers the next two times it is asked.
    h.provider.after('stop', () => {
      h.cluster.update('etcd1', {running: true})
      let asked = 0
      const status = h.client.status.bind(h.client)
      h.client.status = async (url) => {
        if (++asked === 3) h.cluster.update('etcd1', {running: false})
        return status(url)
      }
    })
    assert.deepEqual(await runStopMember(h.ctx, stop), {done: 'etcd1 was stopped (it had not shut down by itself within 10 s)'})
    assert.deepEqual(h.provider.callsOf('stop'), [{method: 'stop', member: 'etcd1', args: [spec.timeouts.stepMs]}])
    assert.deepEqual(h.waits(), [`waiting for etcd1 to stop answering at ${etcd1.clientURL}`])
  })
})

describe('stop-member (snapshot)', {concurrency: true}, () => {
  const {spec, plan} = snapshotMigration(tempDir('etcdplan-stop-'))
  const stop = stepOf(plan, 'stop-member/etcd1', 'stop-member')
  const etcd1 = memberOf(spec, 'etcd1')

  /** The old cluster etcd1..etcd3 (all answering unless `down`) and the new one, etcd4..etcd6. */
  function harness(options: {down?: readonly string[]; confirmed?: boolean} = {}) {
    const states = Object.fromEntries((options.down ?? []).map((name) => [name, {running: false}]))
    const source = fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd2'}, states)
    const target = fakeCluster(spec, ['etcd4', 'etcd5', 'etcd6'], {leader: 'etcd4', clusterId: '88'})
    return stepHarness({spec, plan, step: stop, cluster: target, source, confirmed: options.confirmed === true ? [stop.id] : []})
  }

  it('is done when the old member no longer answers (the whole old cluster is down), its data dir kept', async () => {
    const h = harness({down: ['etcd1', 'etcd2', 'etcd3']})
    assert.deepEqual(await runStopMember(h.ctx, stop), {done: `etcd1 no longer answers at ${etcd1.clientURL}; its data dir is kept as a fallback`})
    assert.deepEqual(h.log, [])
  })

  it('is done when only that member no longer answers', async () => {
    const h = harness({down: ['etcd1']})
    assert.deepEqual(await runStopMember(h.ctx, stop), {done: `etcd1 no longer answers at ${etcd1.clientURL}; its data dir is kept as a fallback`})
  })

  it('finishes the stop of a member that no longer answers but whose etcd still runs (shutting down, or hung), so that its fence finds nothing running', async () => {
    const h = harness({down: ['etcd1']})
    h.provider.runs('etcd1')
    assert.deepEqual(await runStopMember(h.ctx, stop), {done: `etcd1 no longer answers at ${etcd1.clientURL} and its etcd has exited; its data dir is kept as a fallback`})
    assert.deepEqual(h.log, ['provider.stop etcd1'])
  })

  it('stops an old member the provider runs, without waiting for it to exit by itself', async () => {
    const h = harness()
    h.provider.runs('etcd1')
    assert.deepEqual(await runStopMember(h.ctx, stop), {done: 'etcd1 was stopped; its data dir is kept as a fallback'})
    assert.deepEqual(h.log, ['provider.stop etcd1'])
    assert.equal(h.source.member('etcd1').running, false)
  })

  it('waits for the stopped member to go silent on the old cluster, whether or not the new one answers', async () => {
    const h = harness()
    const fast = {...spec, timeouts: {...spec.timeouts, stepMs: 150}}
    h.provider.runs('etcd1')
    h.cluster.unreachable = 'connect ECONNREFUSED 127.0.2.1:2379'
    assert.deepEqual(await runStopMember({...h.ctx, spec: fast}, stop), {done: 'etcd1 was stopped; its data dir is kept as a fallback'})
    assert.equal(h.cluster.observations, 0, 'the new cluster was observed to stop a member of the old one')
  })

  it('stops the apply for the operator when the member answers and the provider does not run it', async () => {
    const h = harness()
    const result = await runStopMember(h.ctx, stop)
    assert.ok('operator' in result, JSON.stringify(result))
    assert.match(result.operator, new RegExp(`^etcd for etcd1 still answers at ${etcd1.clientURL}, and etcdplan's node provider does not run it, so etcdplan cannot stop it\\.`))
    assert.match(result.operator, /keep its data dir/)
    // How to confirm is added by the apply view, which knows the plan's path (test/render/render-apply-event.test.ts).
    assert.doesNotMatch(result.operator, /--confirm/)
    assert.deepEqual(h.provider.callsOf('stop'), [])
  })

  it('stops the apply for the operator at the last old member that answers, though the old cluster has lost its quorum', async () => {
    // The operator stopped etcd1 and etcd2 at the earlier steps; etcd3 (not run by the provider) still serves.
    const stopEtcd3 = stepOf(plan, 'stop-member/etcd3', 'stop-member')
    const h = harness({down: ['etcd1', 'etcd2']})
    const result = await runStopMember({...h.ctx, step: stopEtcd3}, stopEtcd3)
    assert.ok('operator' in result, `etcd3 still answers Status, yet: ${JSON.stringify(result)}`)
    assert.match(result.operator, /^etcd for etcd3 still answers at http:\/\/127\.0\.1\.3:2379/)
  })

  it('refuses a confirmed stop of a member that still answers', async () => {
    const h = harness({confirmed: true})
    const error = await stepFailure(runStopMember(h.ctx, stop))
    assert.equal(error.reason, `etcd1 still answers at ${etcd1.clientURL}, though its stop was confirmed`)
    assert.match(error.hint ?? '', /^stop etcd for etcd1 on its host/)
  })

  it('accepts a confirmed stop once the member no longer answers', async () => {
    const h = harness({confirmed: true, down: ['etcd1']})
    assert.deepEqual(await runStopMember(h.ctx, stop), {done: `etcd1 no longer answers at ${etcd1.clientURL}; its data dir is kept as a fallback`})
  })
})
