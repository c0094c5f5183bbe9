// fence-member against fake clusters and a fake provider: it never fences a live member — one still
// in the membership, one that still answers at its client URL, one whose etcd the provider still
// sees running are refused with nothing moved; a stopped, removed member's config and data dir are
// moved aside (the outcome says where, nothing deleted); a rerun moves nothing and says where they
// went; a provider that cannot move files (exec without nodes.exec.fence) is a warning, not a
// failure; with manual the operator's mv commands stop the apply until --confirm.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runFenceMember} from '../../../src/apply/steps/fence-member.js'
import {runStep} from '../../../src/apply/steps/run-step.js'
import {NotObservableError} from '../../../src/nodes/not-observable.js'
import {OperatorActionNeeded} from '../../../src/nodes/operator-action.js'
import {fakeCluster, joinMigration, memberOf, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'

describe('fence-member (join)', {concurrency: true}, () => {
  const {spec, plan} = joinMigration()
  const fence = stepOf(plan, 'fence-member/etcd1', 'fence-member')
  const etcd1 = memberOf(spec, 'etcd1')

  /** etcd1..etcd6, led by etcd4; etcd1 removed and stopped (its files on its host) unless told otherwise. */
  function harness(options: {member?: boolean; answers?: boolean; confirmed?: readonly string[]} = {}) {
    const cluster = fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3', 'etcd4', 'etcd5', 'etcd6'], {leader: 'etcd4'}, {etcd1: {running: options.answers === true}})
    if (options.member !== true) cluster.remove(cluster.idOf('etcd1'))
    const h = stepHarness({spec, plan, step: fence, cluster, confirmed: options.confirmed ?? []})
    h.provider.configs.set(etcd1.configFile, 'name: etcd1\n')
    h.provider.dataDirs.set('etcd1', {path: etcd1.dataDir, exists: true, isDirectory: true, entries: ['member'], wal: null, files: [], walDirEntries: []})
    return h
  }

  it('refuses to fence a member still in the membership, moving nothing', async () => {
    const h = harness({member: true})
    const error = await stepFailure(runFenceMember(h.ctx, fence))
    assert.match(error.reason, /etcd1 is still a member of the cluster: etcdplan never fences a member the cluster still lists \(nothing was moved\)/)
    assert.deepEqual(h.provider.callsOf('fenceMember'), [])
  })

  it('refuses to fence a member that still answers at its client URL', async () => {
    const h = harness({answers: true})
    const error = await stepFailure(runFenceMember(h.ctx, fence))
    assert.match(error.reason, new RegExp(`etcd1 still answers at ${etcd1.clientURL}: etcdplan never fences a member that runs`))
    assert.deepEqual(h.provider.callsOf('fenceMember'), [])
  })

  it('refuses to fence a member whose etcd the provider still sees running', async () => {
    const h = harness()
    h.provider.runs('etcd1')
    h.cluster.update('etcd1', {running: false})
    const error = await stepFailure(runFenceMember(h.ctx, fence))
    assert.match(error.reason, /etcd for etcd1 still runs on its host/)
    assert.deepEqual(h.provider.callsOf('fenceMember'), [])
  })

  it('moves the config and the data dir aside, then a rerun moves nothing and says where they are', async () => {
    const h = harness()
    const first = await runFenceMember(h.ctx, fence)
    assert.deepEqual(first, {done: `etcd1 fenced, nothing deleted: ${etcd1.configFile} → ${etcd1.configFile}.removed-20260102T030405Z, ${etcd1.dataDir} → ${etcd1.dataDir}.removed-20260102T030405Z`})
    assert.deepEqual(h.provider.callsOf('fenceMember'), [{method: 'fenceMember', member: 'etcd1', args: [[etcd1.configFile, etcd1.dataDir]]}])
    assert.equal(h.provider.configs.has(etcd1.configFile), false)
    const again = await runFenceMember(h.ctx, fence)
    assert.ok('done' in again && again.done.includes('(moved by an earlier run)'), JSON.stringify(again))
    assert.deepEqual(h.events, [])
  })

  it('warns, and lets the migration finish, when the provider cannot move files on the host', async () => {
    const h = harness()
    h.provider.fail('fenceMember', new NotObservableError('etcd1', 'moving files aside', 'exec', 'nodes.exec has no fence command'))
    const result = await runFenceMember(h.ctx, fence)
    assert.ok('done' in result && /^NOT fenced/.test(result.done))
    const warning = h.events.find((e) => e.type === 'step-warning')
    assert.ok(warning !== undefined && warning.type === 'step-warning' && /was NOT fenced: .*nodes\.exec has no fence command.*Move .* aside by hand/.test(warning.warning), JSON.stringify(h.events))
  })

  it('with manual: stops for the operator with the commands, and is done once confirmed', async () => {
    const h = harness()
    h.provider.fail('fenceMember', new OperatorActionNeeded('fence', 'etcd1', 'mv these', {paths: [], disabledUnit: null}))
    assert.deepEqual(await runStep(h.ctx, fence), {operator: 'mv these'})
    const confirmed = harness({confirmed: ['fence-member/etcd1']})
    confirmed.provider.fail('fenceMember', new OperatorActionNeeded('fence', 'etcd1', 'mv these', {paths: [{path: etcd1.configFile, movedTo: `${etcd1.configFile}.removed-<time>`, earlier: false}], disabledUnit: null}))
    const done = await runStep(confirmed.ctx, fence)
    assert.ok('done' in done && done.done.startsWith('etcd1 fenced, nothing deleted'), JSON.stringify(done))
  })
})
