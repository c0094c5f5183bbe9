// restart-member against a fake cluster and provider: the member is restarted once, with its config,
// and the step waits until it is healthy and caught up again; a member that leads hands leadership
// to another target voter before it is restarted (not-leader); a sick voter is waited for before the
// restart; a member that exits after its restart stops the step with its log, and one whose log says
// why it cannot start stops it with that line at once; one that is not in the cluster stops it before
// anything happens.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runRestartMember} from '../../../src/apply/steps/restart-member.js'
import {fakeCluster, type MemberStates, joinMigration, memberOf, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'
import {startMarkLine} from '../../../src/nodes/start-mark.js'

const X509 = '{"level":"warn","ts":"2026-12-01T11:12:00.000Z","caller":"rafthttp/peer_status.go:68","msg":"peer became inactive (message send to peer failed)","peer-id":"1000","error":"failed to dial 1000 on stream Message (x509: certificate signed by unknown authority)"}'

const {spec, plan} = joinMigration()
const restart = stepOf(plan, 'restart-member/etcd6', 'restart-member')
const url = (name: string) => memberOf(spec, name).clientURL
const TARGET = ['etcd4', 'etcd5', 'etcd6']

/** The target cluster after the removals (etcd4 ID 1000, etcd5 1001, etcd6 1002); the provider runs all three. */
function harness(leader: string, states: MemberStates = {}, names = TARGET) {
  const h = stepHarness({spec, plan, step: restart, cluster: fakeCluster(spec, names, {leader}, states)})
  h.provider.runs(...TARGET)
  return h
}

describe('restart-member', {concurrency: true}, () => {
  it('restarts the member once, with its config and the step timeout, and ends once it is healthy and caught up', async () => {
    const h = harness('etcd4')
    assert.equal(await runRestartMember(h.ctx, restart), 'etcd6 restarted, healthy and caught up')
    assert.deepEqual(h.provider.callsOf('restart'), [{method: 'restart', member: 'etcd6', args: [restart.configPath, spec.timeouts.stepMs]}])
    assert.deepEqual(h.client.calls, [])
  })

  it('moves leadership off the member first, then restarts it', async () => {
    const h = harness('etcd6')
    assert.equal(await runRestartMember(h.ctx, restart), 'etcd6 restarted, healthy and caught up')
    assert.deepEqual(h.log, [`client.moveLeader ${url('etcd6')} 1000`, 'provider.restart etcd6'])
  })

  it('waits after the restart until the member is healthy, then until it has caught up', async () => {
    const h = harness('etcd4')
    h.provider.after('restart', () => {
      h.cluster.update('etcd6', {running: false})
      h.cluster.then(
        () => {},
        (c) => c.update('etcd6', {running: true, applied: 10}),
        (c) => c.update('etcd6', {applied: 500}),
      )
    })
    assert.equal(await runRestartMember(h.ctx, restart), 'etcd6 restarted, healthy and caught up')
    assert.deepEqual(h.waits(), ['restarted etcd6', 'waiting for etcd6 to be healthy after its restart', 'waiting for etcd6 to catch up after its restart'])
    assert.equal(h.provider.callsOf('restart').length, 1, 'restarted again while waiting')
  })

  it('waits for a sick voter before it restarts anything (voters-healthy)', async () => {
    const h = harness('etcd4', {etcd5: {running: false}})
    h.cluster.then(
      () => {},
      (c) => c.update('etcd5', {running: true}),
    )
    assert.equal(await runRestartMember(h.ctx, restart), 'etcd6 restarted, healthy and caught up')
    assert.match(h.waits()[0] ?? '', /^waiting up to 2 s \(timeouts\.health\) for etcd5 to be healthy before restarting etcd6/)
    assert.equal(h.log[0], 'provider.restart etcd6')
  })

  it('stops with the member\'s log when its etcd exits after the restart', async () => {
    const h = harness('etcd4')
    h.provider.logs.set('etcd6', 'panic: bad config')
    h.provider.after('restart', (member) => {
      h.provider.running.delete(member.name)
      h.cluster.halt(member.peerURL)
    })
    const error = await stepFailure(runRestartMember(h.ctx, restart))
    assert.equal(error.reason, 'etcd for etcd6 exited after the restart')
    assert.equal(error.detail, 'panic: bad config')
  })

  it('stops with etcd\'s own line, from this start\'s lines only, when the restarted etcd says why it cannot start', async () => {
    const h = harness('etcd4')
    const mark = (at: string) => startMarkLine('etcd6', restart.configPath, new Date(at))
    h.provider.after('restart', () => {
      // Still running, never healthy: it cannot verify a peer's certificate.
      h.cluster.update('etcd6', {running: false})
      h.provider.logs.set('etcd6', [mark('2026-01-01T00:00:00Z'), 'flag provided but not defined: -old', mark('2026-01-01T00:05:00Z'), X509].join('\n'))
    })
    const began = Date.now()
    const error = await stepFailure(runRestartMember(h.ctx, restart))
    assert.ok(Date.now() - began < 3000, `took ${Date.now() - began} ms`)
    assert.equal(error.reason, 'etcd on etcd6 cannot start after its restart: peer became inactive (message send to peer failed): failed to dial 1000 on stream Message (x509: certificate signed by unknown authority); it still runs')
    assert.equal(error.detail, X509)
    assert.match(error.hint ?? '', /^fix the cause, then run the same apply again: it resumes at this step and restarts etcd6\. If the fix needs a spec change .*`etcdplan plan`/)
    assert.deepEqual(h.provider.callsOf('stop'), [])
  })

  it('stops before anything happens when the member is not in the cluster', async () => {
    const h = harness('etcd4', {}, ['etcd4', 'etcd5'])
    const error = await stepFailure(runRestartMember(h.ctx, restart))
    assert.equal(error.reason, 'etcd6 is not a member of the cluster')
    assert.deepEqual(h.log, [])
  })
})
