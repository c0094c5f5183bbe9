// switch-dns against a fake new cluster (the dns code itself is tested in test/dns/): without dns
// in the spec nothing happens; a hosts file that points at the target already is left alone without
// observing the cluster; otherwise the step waits until every target voter is healthy, switches (a
// hosts file rewritten, a command run) and verifies; a sick voter refuses the switch naming
// voters-healthy and the name is not moved; via manual the apply stops for the operator, and a
// confirmed manual switch is done.
import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {runSwitchDns} from '../../../src/apply/steps/switch-dns.js'
import type {DnsOptions, Spec} from '../../../src/spec/types.js'
import {fakeCluster, snapshotMigration, stepOf, type MemberStates} from '../../fixtures/migration-plans.js'
import {stepFailure, stepHarness} from '../../fixtures/step-context.js'
import {tempDir} from '../../fixtures/temp-dir.js'

const dir = tempDir('etcdplan-switch-dns-')
const migration = snapshotMigration(dir)
const step = stepOf(migration.plan, 'switch-dns', 'switch-dns')
const NAME = 'etcd.test.internal'
const OLD_HOSTS = `127.0.0.1 localhost\n127.0.1.1 ${NAME}\n127.0.1.2 ${NAME}\n`

let files = 0
function hostsFile(content = OLD_HOSTS): string {
  const file = join(dir, `hosts-${++files}`)
  writeFileSync(file, content)
  return file
}

function harness(dns: DnsOptions | undefined, options: {states?: MemberStates; confirmed?: boolean; healthMs?: number} = {}) {
  const {dns: _planned, ...rest} = migration.spec
  const spec: Spec = {...rest, ...(dns === undefined ? {} : {dns}), timeouts: {...rest.timeouts, healthMs: options.healthMs ?? rest.timeouts.healthMs}}
  const target = fakeCluster(spec, ['etcd4', 'etcd5', 'etcd6'], {leader: 'etcd4', clusterId: '88'}, options.states)
  const source = fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd1'})
  return stepHarness({spec, plan: migration.plan, step, cluster: target, source, confirmed: options.confirmed === true ? [step.id] : []})
}

describe('switch-dns', {concurrency: true}, () => {
  it('does nothing when the spec sets no dns', async () => {
    const h = harness(undefined)
    assert.deepEqual(await runSwitchDns(h.ctx, step), {done: 'the spec sets no dns; clients were not moved'})
    assert.equal(h.cluster.observations, 0)
  })

  it('rewrites a hosts file once every target voter is healthy, then verifies it', async () => {
    const file = hostsFile()
    const h = harness({name: NAME, switch: {via: 'hosts-file', file}, verify: true})
    const result = await runSwitchDns(h.ctx, step)
    assert.deepEqual(result, {done: `rewrote ${file}: ${NAME} → 127.0.2.1, 127.0.2.2, 127.0.2.3; verified: ${NAME} → 127.0.2.1, 127.0.2.2, 127.0.2.3`})
    assert.equal(h.cluster.observations, 1)
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.includes(NAME))
    assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]).sort(), ['127.0.2.1', '127.0.2.2', '127.0.2.3'])
  })

  it('leaves a hosts file that points at the target already alone, without observing the cluster', async () => {
    const file = hostsFile(`127.0.2.1 ${NAME}\n127.0.2.2 ${NAME}\n127.0.2.3 ${NAME}\n`)
    const h = harness({name: NAME, switch: {via: 'hosts-file', file}, verify: true}, {states: {etcd5: {running: false}}})
    const result = await runSwitchDns(h.ctx, step)
    assert.deepEqual(result, {done: `${NAME} already points at the target members; verified: ${NAME} → 127.0.2.1, 127.0.2.2, 127.0.2.3`})
    assert.equal(h.cluster.observations, 0)
  })

  it('refuses to move the name while a target voter is sick, naming voters-healthy', async () => {
    const file = hostsFile()
    const h = harness({name: NAME, switch: {via: 'hosts-file', file}, verify: true}, {states: {etcd6: {running: false}}, healthMs: 0})
    const error = await stepFailure(runSwitchDns(h.ctx, step))
    assert.match(error.reason, /^precondition voters-healthy \(".*"\) does not hold: etcd6 is unhealthy/)
    assert.equal(readFileSync(file, 'utf8'), OLD_HOSTS)
  })

  it('waits for a sick target voter, then switches', async () => {
    const file = hostsFile()
    const h = harness({name: NAME, switch: {via: 'hosts-file', file}, verify: true}, {states: {etcd6: {running: false}}})
    h.cluster.then(
      () => {},
      (c) => c.update('etcd6', {running: true}),
    )
    assert.ok('done' in (await runSwitchDns(h.ctx, step)))
    assert.match(h.waits()[0] ?? '', /^waiting up to 2 s \(timeouts\.health\) for etcd6 to be healthy before going on with switch-dns/)
  })

  it('runs the switch command with the target in its environment', async () => {
    const out = join(dir, 'dns-command.txt')
    const command = [process.execPath, '-e', 'require("fs").writeFileSync(process.argv[1], process.env.ETCDPLAN_TARGET_ADDRESSES)', out]
    const h = harness({name: NAME, switch: {via: 'exec', command}, verify: false})
    const result = await runSwitchDns(h.ctx, step)
    assert.ok('done' in result && result.done.startsWith('ran '), JSON.stringify(result))
    assert.equal(readFileSync(out, 'utf8'), '127.0.2.1,127.0.2.2,127.0.2.3')
  })

  it('stops the apply for the operator via manual, and is done once the switch is confirmed', async () => {
    const h = harness({name: NAME, switch: {via: 'manual'}, verify: false})
    const result = await runSwitchDns(h.ctx, step)
    assert.ok('operator' in result, JSON.stringify(result))
    assert.match(result.operator, /^Point the DNS name etcd\.test\.internal at the target members and nothing else:/)
    assert.match(result.operator, /^ {2}etcd\.test\.internal {2}A {2}127\.0\.2\.1$/m)
    const confirmed = harness({name: NAME, switch: {via: 'manual'}, verify: false}, {confirmed: true})
    assert.deepEqual(await runSwitchDns(confirmed.ctx, step), {done: 'confirmed by the operator'})
  })
})
