// preflight against fake clusters: a healthy source cluster, as planned, with a leader and every
// member caught up, passes (observed as the source); an alarm is refused naming no-alarms; a cluster
// that is not the one the plan was made for is refused naming cluster-matches-plan; a member behind
// the leader and a missing leader are waited for. A snapshot migration also refuses a target member
// that already runs. It sends nothing to etcd.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runPreflight} from '../../../src/apply/steps/preflight.js'
import {fakeCluster, joinMigration, snapshotMigration, stepOf, type MemberStates} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'
import {tempDir} from '../../fixtures/temp-dir.js'

describe('preflight (join)', {concurrency: true}, () => {
  const {spec, plan} = joinMigration()
  const preflight = stepOf(plan, 'preflight', 'preflight')
  const harness = (states: MemberStates = {}, leader: string | null = 'etcd2') => stepHarness({spec, plan, step: preflight, cluster: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader}, states)})

  it('passes a healthy cluster as planned, naming the leader and the version', async () => {
    const h = harness()
    assert.equal(await runPreflight(h.ctx), '3 voters healthy, leader etcd2, etcd 3.5.9, no alarms')
    assert.equal(h.cluster.observations, 1)
    assert.deepEqual(h.log, [])
  })

  it('refuses a cluster with an alarm, naming no-alarms', async () => {
    const h = harness()
    h.cluster.alarms = [{memberId: h.cluster.idOf('etcd3'), alarm: 'NOSPACE'}]
    const error = await stepFailure(runPreflight(h.ctx))
    assert.match(error.reason, /^precondition no-alarms \(".*"\) does not hold: the cluster has active alarms: NOSPACE on 3ea$/)
    assert.match(error.hint ?? '', /compact, defragment/)
  })

  it('refuses a cluster that is not the one the plan was made for, naming cluster-matches-plan', async () => {
    const h = harness()
    h.cluster.add('http://127.0.7.7:2380', false)
    h.cluster.run({name: 'etcd7', peerURL: 'http://127.0.7.7:2380', clientURL: 'http://127.0.7.7:2379'})
    const error = await stepFailure(runPreflight(h.ctx))
    assert.match(error.reason, /^precondition cluster-matches-plan \(".*"\) does not hold: the cluster is not the one the plan expects here: etcd7 \(http:\/\/127\.0\.7\.7:2380\) was added as a voter$/)
  })

  it('waits for a member behind the leader to catch up', async () => {
    const h = harness({etcd3: {applied: 10}})
    h.cluster.then(
      () => {},
      (c) => c.update('etcd3', {applied: 500}),
    )
    assert.match(await runPreflight(h.ctx), /^3 voters healthy/)
    assert.deepEqual(h.waits(), ['waiting for etcd3 to catch up with the leader'])
  })

  it('waits for a sick voter to be healthy', async () => {
    const h = harness({etcd1: {running: false}})
    h.cluster.then(
      () => {},
      (c) => c.update('etcd1', {running: true}),
    )
    assert.match(await runPreflight(h.ctx), /^3 voters healthy/)
    assert.match(h.waits()[0] ?? '', /^waiting up to 2 s \(timeouts\.health\) for etcd1 to be healthy before going on with preflight/)
  })
})

describe('preflight (snapshot)', {concurrency: true}, () => {
  const {spec, plan} = snapshotMigration(tempDir('etcdplan-preflight-'))
  const preflight = stepOf(plan, 'preflight', 'preflight')

  /** The new cluster's members that run (a leftover of an earlier attempt, say). */
  function harness(...running: string[]) {
    const states = Object.fromEntries(['etcd4', 'etcd5', 'etcd6'].filter((name) => !running.includes(name)).map((name) => [name, {running: false}]))
    const target = fakeCluster(spec, ['etcd4', 'etcd5', 'etcd6'], {leader: 'etcd4', clusterId: '88'}, states)
    return stepHarness({spec, plan, step: preflight, cluster: target, source: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd1'})})
  }

  it('checks the source cluster and that no target member runs yet', async () => {
    const h = harness()
    assert.equal(await runPreflight(h.ctx), '3 voters healthy, leader etcd1, etcd 3.5.9, no alarms')
    assert.equal(h.source.observations, 1)
    // The target members are asked one by one (a leftover one without its peers answers no member list).
    assert.equal(h.cluster.observations, 0)
  })

  it('refuses when a target member already runs: the snapshot must be restored into fresh members', async () => {
    const h = harness('etcd4', 'etcd5', 'etcd6')
    const error = await stepFailure(runPreflight(h.ctx))
    assert.match(error.reason, /^a target member already runs \(etcd4 answers at http:\/\/127\.0\.2\.1:2379 as member [0-9a-f]+\): the snapshot must be restored into fresh members$/)
  })

  it('names the running target member, not the port it holds, when both would refuse', async () => {
    const h = harness('etcd4')
    // etcd4 running holds its ports: ports-free would refuse too, with less to say.
    h.provider.portsInUse.set('127.0.2.1:2379', 'EADDRINUSE')
    h.provider.portsInUse.set('127.0.2.1:2380', 'EADDRINUSE')
    const error = await stepFailure(runPreflight(h.ctx))
    assert.match(error.reason, /^a target member already runs \(etcd4 answers/)
  })

  it('refuses when a single target member runs, though its cluster has no quorum', async () => {
    const h = harness('etcd4')
    const error = await stepFailure(runPreflight(h.ctx))
    assert.match(error.reason, /^a target member already runs/)
  })
})
