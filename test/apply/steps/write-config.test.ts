// write-config and rewrite-config against a fake provider: the file is read first, so a file that
// holds the planned config already is not written again; a missing one is written once, with the
// plan's text, to the plan's path; rewrite-config replaces the config the plan wrote before, and
// refuses a file someone else changed since (config-written), leaving it as it is.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runWriteConfig} from '../../../src/apply/steps/write-config.js'
import {fakeCluster, joinMigration, stepOf} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'

const {spec, plan} = joinMigration()
const write = stepOf(plan, 'write-config/etcd4', 'write-config')
const rewrite = stepOf(plan, 'rewrite-config/etcd4', 'rewrite-config')
const cluster = () => fakeCluster(spec, ['etcd4', 'etcd5', 'etcd6'], {leader: 'etcd4'})

describe('write-config', {concurrency: true}, () => {
  it('writes a missing config once, with the plan\'s text, to the plan\'s path', async () => {
    const h = stepHarness({spec, plan, step: write, cluster: cluster()})
    assert.equal(await runWriteConfig(h.ctx, write), `wrote ${write.config.path}`)
    assert.deepEqual(h.provider.callsOf('writeConfig'), [{method: 'writeConfig', member: 'etcd4', args: [write.config.path, write.config.content]}])
    assert.equal(h.provider.configs.get(write.config.path), write.config.content)
  })

  it('does not write a file that holds the planned config already', async () => {
    const h = stepHarness({spec, plan, step: write, cluster: cluster()})
    h.provider.configs.set(write.config.path, write.config.content)
    assert.equal(await runWriteConfig(h.ctx, write), `${write.config.path} already holds the planned config`)
    assert.deepEqual(h.provider.callsOf('writeConfig'), [])
  })

  it('does not observe the cluster: it acts on the host only', async () => {
    const h = stepHarness({spec, plan, step: write, cluster: cluster()})
    await runWriteConfig(h.ctx, write)
    assert.equal(h.cluster.observations, 0)
  })
})

describe('rewrite-config', {concurrency: true}, () => {
  it('the plan rewrites a config it wrote before', () => {
    assert.equal(rewrite.previous.content, write.config.content)
    assert.notEqual(rewrite.config.content, write.config.content)
    assert.equal(rewrite.config.path, write.config.path)
  })

  it('replaces the config the plan wrote before with the final one', async () => {
    const h = stepHarness({spec, plan, step: rewrite, cluster: cluster()})
    h.provider.configs.set(rewrite.config.path, rewrite.previous.content)
    assert.equal(await runWriteConfig(h.ctx, rewrite), `wrote ${rewrite.config.path}`)
    assert.deepEqual(h.provider.callsOf('writeConfig'), [{method: 'writeConfig', member: 'etcd4', args: [rewrite.config.path, rewrite.config.content]}])
  })

  it('does not write a file that holds the final config already', async () => {
    const h = stepHarness({spec, plan, step: rewrite, cluster: cluster()})
    h.provider.configs.set(rewrite.config.path, rewrite.config.content)
    assert.equal(await runWriteConfig(h.ctx, rewrite), `${rewrite.config.path} already holds the planned config`)
    assert.deepEqual(h.provider.callsOf('writeConfig'), [])
  })

  it('writes a missing file', async () => {
    const h = stepHarness({spec, plan, step: rewrite, cluster: cluster()})
    assert.equal(await runWriteConfig(h.ctx, rewrite), `wrote ${rewrite.config.path}`)
    assert.equal(h.provider.configs.get(rewrite.config.path), rewrite.config.content)
  })

  it('refuses a file someone else changed since the plan wrote it, naming config-written, and leaves it as it is', async () => {
    const h = stepHarness({spec, plan, step: rewrite, cluster: cluster()})
    const edited = `${rewrite.previous.content}quota-backend-bytes: 8589934592\n`
    h.provider.configs.set(rewrite.config.path, edited)
    const error = await stepFailure(runWriteConfig(h.ctx, rewrite))
    assert.match(error.reason, /^precondition config-written \(".*"\) does not hold: \.etcdplan\/local\/etcd4\/etcd\.yaml was changed by someone else since it was written$/)
    assert.deepEqual(h.provider.callsOf('writeConfig'), [])
    assert.equal(h.provider.configs.get(rewrite.config.path), edited)
  })
})
