// start-member against a fake cluster and provider (faults-start-member.test.ts covers the data-dir
// and config checks in depth). Join: a member that serves already is not started again; otherwise
// etcd is started once with the planned config path and the step ends when the member has published
// its name (waiting for it); a member whose add did not take effect is refused (member-present); one
// that dies is reported with its log. Snapshot: the restored member's etcd is started once without
// observing the new cluster (it forms only once a quorum runs); one that runs is left alone; a config
// changed by hand is refused (config-written).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runStartMember} from '../../../src/apply/steps/start-member.js'
import type {FakeMemberState} from '../../fixtures/fake-cluster.js'
import {fakeCluster, joinMigration, memberOf, plannedConfig, snapshotMigration, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'
import {tempDir} from '../../fixtures/temp-dir.js'

describe('start-member (join)', {concurrency: true}, () => {
  const {spec, plan} = joinMigration()
  const start = stepOf(plan, 'start-member/etcd4', 'start-member')
  const config = plannedConfig(plan, 'etcd4')

  /** etcd1..etcd3 and etcd4 added as a learner; the plan's config for etcd4 on its host. */
  function harness(etcd4: Partial<FakeMemberState> | null = {learner: true, started: false}) {
    const names = etcd4 === null ? ['etcd1', 'etcd2', 'etcd3'] : ['etcd1', 'etcd2', 'etcd3', 'etcd4']
    const h = stepHarness({spec, plan, step: start, cluster: fakeCluster(spec, names, {leader: 'etcd1'}, etcd4 === null ? {} : {etcd4})})
    h.provider.configs.set(config.path, config.content)
    return h
  }

  it('starts etcd once, with the planned config, and ends when the member has published its name', async () => {
    const h = harness()
    assert.equal(await runStartMember(h.ctx, start), 'etcd4 started and published its name')
    assert.deepEqual(h.provider.callsOf('start'), [{method: 'start', member: 'etcd4', args: [start.configPath]}])
    assert.equal(h.cluster.member('etcd4').started, true)
  })

  it('does not start a member that serves already', async () => {
    const h = harness({learner: true})
    assert.equal(await runStartMember(h.ctx, start), 'etcd4 was already running')
    assert.deepEqual(h.provider.callsOf('start'), [])
  })

  it('waits for a started member to publish its name', async () => {
    const h = harness()
    h.provider.after('start', () => {
      h.cluster.update('etcd4', {running: false, started: false})
      h.cluster.then(
        () => {},
        (c) => c.run(memberOf(spec, 'etcd4')),
      )
    })
    assert.equal(await runStartMember(h.ctx, start), 'etcd4 started and published its name')
    assert.deepEqual(h.waits(), ['waiting for etcd4 to start and publish its name'])
    assert.equal(h.provider.callsOf('start').length, 1)
  })

  it('refuses to start a member that is not in the cluster (its add did not take effect), naming member-present', async () => {
    const h = harness(null)
    const error = await stepFailure(runStartMember(h.ctx, start))
    assert.match(error.reason, /^precondition member-present \(".*"\) does not hold: etcd4 is not a member of the cluster, so it must not start$/)
    assert.deepEqual(h.provider.callsOf('start'), [])
  })

  it('stops with the log when etcd exits after it was started', async () => {
    const h = harness()
    h.provider.logs.set('etcd4', 'member has already been bootstrapped')
    h.provider.after('start', (member) => {
      h.provider.running.delete(member.name)
      h.cluster.halt(member.peerURL)
      h.cluster.update('etcd4', {started: false})
    })
    const error = await stepFailure(runStartMember(h.ctx, start))
    assert.equal(error.reason, 'etcd for etcd4 is not running any more')
    assert.equal(error.detail, 'member has already been bootstrapped')
  })
})

describe('start-member (snapshot)', {concurrency: true}, () => {
  const {spec, plan} = snapshotMigration(tempDir('etcdplan-start-'))
  const start = stepOf(plan, 'start-member/etcd4', 'start-member')
  const config = plannedConfig(plan, 'etcd4')

  /** The new cluster: nothing runs yet (etcd4..etcd6 restored, not started). */
  function harness() {
    const down = {running: false}
    const target = fakeCluster(spec, ['etcd4', 'etcd5', 'etcd6'], {leader: null}, {etcd4: down, etcd5: down, etcd6: down})
    const source = fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd1'})
    const h = stepHarness({spec, plan, step: start, cluster: target, source})
    h.provider.configs.set(config.path, config.content)
    return h
  }

  it('starts the restored member once without observing the new cluster (it forms only once a quorum runs)', async () => {
    const h = harness()
    assert.equal(await runStartMember(h.ctx, start), 'etcd4 started; the new cluster forms once a quorum of its members runs')
    assert.deepEqual(h.provider.callsOf('start'), [{method: 'start', member: 'etcd4', args: [start.configPath]}])
    assert.equal(h.cluster.observations, 0)
    assert.equal(h.source.observations, 0)
  })

  it('leaves a member that runs alone', async () => {
    const h = harness()
    h.provider.runs('etcd4')
    assert.equal(await runStartMember(h.ctx, start), 'etcd4 is already running')
    assert.deepEqual(h.provider.callsOf('start'), [])
  })

  it('refuses a config changed since the plan wrote it, naming config-written, and starts nothing', async () => {
    const h = harness()
    h.provider.configs.set(config.path, `${config.content}log-level: debug\n`)
    const error = await stepFailure(runStartMember(h.ctx, start))
    assert.match(error.reason, /^precondition config-written \(".*"\) does not hold: \.etcdplan\/local\/etcd4\/etcd\.yaml is not the config the plan wrote for etcd4 \(write-config\/etcd4\)/)
    assert.match(error.detail ?? '', /\+log-level: debug/)
    assert.deepEqual(h.provider.callsOf('start'), [])
  })
})
