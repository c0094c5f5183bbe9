// start-member against a fake cluster and provider (faults-start-member.test.ts covers the data-dir
// and config checks in depth). Join: a member that serves already is not started again; otherwise
// etcd is started once with the planned config path and the step ends when the member has published
// its name (waiting for it); a member whose add did not take effect is refused (member-present); one
// that dies is reported with its log, by etcd's own line when the log of this start has one (read
// about once a second while it waits; one still running is stopped first). Snapshot: the restored member's etcd is started once without
// observing the new cluster (it forms only once a quorum runs); one that runs is left alone; a config
// changed by hand is refused (config-written).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runStartMember} from '../../../src/apply/steps/start-member.js'
import type {FakeMemberState} from '../../fixtures/fake-cluster.js'
import {fakeCluster, joinMigration, memberOf, plannedConfig, snapshotMigration, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'
import {tempDir} from '../../fixtures/temp-dir.js'
import {NodeProviderError} from '../../../src/nodes/node-provider.js'
import {startMarkLine} from '../../../src/nodes/start-mark.js'

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

  it('waits past timeouts.health, up to timeouts.catchUp, for a member receiving the leader\'s snapshot, with the bytes as progress', async () => {
    const h = stepHarness({spec: {...spec, timeouts: {...spec.timeouts, healthMs: 300}}, plan, step: start, cluster: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3', 'etcd4'], {leader: 'etcd1'}, {etcd4: {learner: true, started: false}})})
    h.provider.configs.set(config.path, config.content)
    h.provider.receiving.set('etcd4', 4096)
    h.provider.after('start', () => {
      h.cluster.update('etcd4', {running: false, started: false})
      // The snapshot has arrived after twice timeouts.health: the member publishes its name.
      setTimeout(() => {
        h.provider.receiving.delete('etcd4')
        h.cluster.run(memberOf(spec, 'etcd4'))
      }, 700)
    })
    assert.equal(await runStartMember(h.ctx, start), 'etcd4 started and published its name')
    assert.equal(h.waits()[0], "etcd4 is receiving the leader's snapshot (its whole database) and answers no Status until it has")
  })

  it('stops at timeouts.health for a member that neither publishes its name nor receives a snapshot', async () => {
    const h = stepHarness({spec: {...spec, timeouts: {...spec.timeouts, healthMs: 300}}, plan, step: start, cluster: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3', 'etcd4'], {leader: 'etcd1'}, {etcd4: {learner: true, started: false}})})
    h.provider.configs.set(config.path, config.content)
    h.provider.after('start', () => h.cluster.update('etcd4', {running: false, started: false}))
    const error = await stepFailure(runStartMember(h.ctx, start))
    assert.equal(error.reason, 'not done within 0 s: waiting for etcd4 to start and publish its name')
  })

  it('refuses to start a member that is not in the cluster (its add did not take effect), naming member-present', async () => {
    const h = harness(null)
    const error = await stepFailure(runStartMember(h.ctx, start))
    assert.match(error.reason, /^precondition member-present \(".*"\) does not hold: etcd4 is not a member of the cluster, so it must not start$/)
    assert.deepEqual(h.provider.callsOf('start'), [])
  })

  it('stops with the log when etcd exits after it was started without saying why', async () => {
    const h = harness()
    h.provider.logs.set('etcd4', 'some line that names no cause')
    h.provider.after('start', (member) => {
      h.provider.running.delete(member.name)
      h.cluster.halt(member.peerURL)
      h.cluster.update('etcd4', {started: false})
    })
    const error = await stepFailure(runStartMember(h.ctx, start))
    assert.equal(error.reason, 'etcd for etcd4 is not running any more')
    assert.equal(error.detail, 'some line that names no cause')
  })

  /** The member's log: an earlier start's failure, then this start's lines. */
  function logOf(...lines: string[]): string {
    return [
      startMarkLine('etcd4', start.configPath, new Date('2026-01-01T00:00:00Z')),
      FATAL_PORT,
      startMarkLine('etcd4', start.configPath, new Date('2026-01-01T00:05:00Z')),
      ...lines,
    ].join('\n')
  }

  it('stops with etcd\'s own words when etcd exits after saying why, and says how the same apply (or a new plan) continues', async () => {
    const h = harness()
    h.provider.logs.set('etcd4', logOf(INFO, UNEQUAL, FATAL_UNEQUAL))
    h.provider.after('start', (member) => {
      h.provider.running.delete(member.name)
      h.cluster.halt(member.peerURL)
      h.cluster.update('etcd4', {started: false})
    })
    const error = await stepFailure(runStartMember(h.ctx, start))
    assert.equal(error.reason, 'etcd on etcd4 cannot start: failed to start etcd: error validating peerURLs {…}: member count is unequal; etcd for etcd4 is not running any more')
    // This start's lines only: not the earlier start's port in use, nor the marks.
    assert.equal(error.detail, [INFO, UNEQUAL, FATAL_UNEQUAL].join('\n'))
    assert.equal(
      error.hint,
      'fix the cause, then run the same apply again: it resumes at this step, moving aside what the failed start left in etcd4\'s data dir (never deleting it), and starts etcd again. If the fix needs a spec change (a URL, a path, a certificate location), make a new plan with `etcdplan plan`: it continues etcd4\'s join.',
    )
    assert.deepEqual(h.provider.callsOf('stop'), [])
  })

  it('stops an etcd that keeps running on a cause it cannot get past, before it publishes its name, well before the step\'s timeout', async () => {
    const h = harness()
    // Running, but never joining: it retries a peer whose certificate does not verify.
    h.provider.after('start', () => {
      h.cluster.update('etcd4', {running: false, started: false})
      h.provider.logs.set('etcd4', logOf(INFO, X509))
    })
    const began = Date.now()
    const error = await stepFailure(runStartMember(h.ctx, start))
    assert.ok(Date.now() - began < 3000, `took ${Date.now() - began} ms`)
    assert.equal(error.reason, 'etcd on etcd4 cannot start: failed to get cluster response: Get "https://127.0.77.5:2380/members": x509: certificate is valid for 127.0.77.99, not 127.0.77.5; etcdplan stopped it, as it had not published its name')
    assert.deepEqual(h.provider.callsOf('stop').map((c) => c.member), ['etcd4'])
    assert.equal(h.provider.running.has('etcd4'), false)
  })

  it('reads the log of a running etcd about once a second while it waits, and does not stop one that starts', async () => {
    const h = harness()
    h.provider.after('start', () => {
      h.cluster.update('etcd4', {running: false, started: false})
      h.provider.logs.set('etcd4', logOf(INFO))
      // It publishes its name after about 1.5 s (the spec's timeouts.health is 2 s); unthrottled, the step would read the log at each poll (every 100–500 ms).
      setTimeout(() => h.cluster.update('etcd4', {running: true, started: true}), 1500)
    })
    assert.equal(await runStartMember(h.ctx, start), 'etcd4 started and published its name')
    const reads = h.provider.callsOf('logTail').length
    assert.ok(reads >= 2 && reads <= 3, `${reads} log reads in 1.5 s`)
    assert.deepEqual(h.provider.callsOf('stop'), [])
  })

  it('reports why when etcd exits at once (the provider\'s start fails), from that start\'s lines', async () => {
    const h = harness()
    h.provider.fail('start', new NodeProviderError('etcd for etcd4 exited at once (exit code 1)', 'etcd4', logOf(INFO, FATAL_PORT)))
    const error = await stepFailure(runStartMember(h.ctx, start))
    assert.equal(error.reason, 'etcd on etcd4 cannot start: discovery failed: listen tcp 127.0.2.1:2379: bind: address already in use; etcd for etcd4 exited at once (exit code 1)')
    assert.equal(error.detail, [INFO, FATAL_PORT].join('\n'))
  })
})

// Lines as etcd 3.4.23 writes them (test/fixtures/etcd-logs/).
const INFO = '{"level":"info","ts":"2026-12-01T11:10:12.889Z","caller":"etcdmain/etcd.go:134","msg":"server has been already initialized","data-dir":"d","dir-type":"member"}'
const FATAL_PORT = '{"level":"fatal","ts":"2026-12-01T11:09:38.919Z","caller":"etcdmain/etcd.go:271","msg":"discovery failed","error":"listen tcp 127.0.2.1:2379: bind: address already in use","stacktrace":"go.etcd.io/etcd/etcdmain.startEtcdOrProxyV2"}'
const UNEQUAL = '{"level":"warn","ts":"2026-12-01T11:10:12.902Z","caller":"etcdmain/etcd.go:176","msg":"failed to start etcd","error":"error validating peerURLs {ClusterID:3e43fda78f7e2b02 Members:[&{ID:114334fed0b2934e RaftAttributes:{PeerURLs:[http://127.0.77.2:2380] IsLearner:true} Attributes:{Name: ClientURLs:[]}}] RemovedMemberIDs:[]}: member count is unequal"}'
const FATAL_UNEQUAL = UNEQUAL.replace('"level":"warn"', '"level":"fatal"').replace('failed to start etcd', 'discovery failed')
const X509 = '{"level":"warn","ts":"2026-12-01T11:11:40.003Z","caller":"etcdserver/cluster_util.go:76","msg":"failed to get cluster response","address":"https://127.0.77.5:2380/members","error":"Get \\"https://127.0.77.5:2380/members\\": x509: certificate is valid for 127.0.77.99, not 127.0.77.5"}'

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
