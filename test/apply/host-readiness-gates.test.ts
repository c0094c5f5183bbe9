// The preflight's checks of each new member's host (host-readiness-gates.ts), with a fake cluster
// (its members report etcd 3.5.9) and a fake node provider: every member the plan adds gets its
// binary and version, its listen ports, the files its config names and its data dir checked, all
// through the provider, and each problem is refused — not waited for — naming the member, the file or
// port, what to fix, and that nothing was changed; nothing is sent to etcd and nothing done on a host.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {GATES} from '../../src/apply/gates/registry.js'
import {runPreflight} from '../../src/apply/steps/preflight.js'
import {RESTORED_MARK} from '../../src/nodes/node-provider.js'
import type {Spec} from '../../src/spec/types.js'
import {fakeCluster, joinMigration, migration, snapshotMigration, stepOf} from '../fixtures/migration-plans.js'
import {members} from '../fixtures/spec-builder.js'
import {stepFailure, stepHarness} from '../fixtures/step-context.js'
import {tempDir} from '../fixtures/temp-dir.js'

const NOTHING_CHANGED = /Nothing was changed: the preflight runs before the first change/

describe('host readiness in the preflight (join)', {concurrency: true}, () => {
  const {spec, plan} = joinMigration()
  const preflight = stepOf(plan, 'preflight', 'preflight')
  const harness = () => stepHarness({spec, plan, step: preflight, cluster: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd2'})})

  it('the plan carries, for each member it adds, the binary, ports and data dir checks naming it', () => {
    const host = preflight.preconditions.filter((p) => p.member !== undefined).map((p) => `${p.check} ${p.member}: ${p.description}`)
    assert.deepEqual(host.slice(0, 3), [
      "etcd-version-compatible etcd4: etcd4's host has an etcd binary whose version can join the cluster (not older than the cluster version)",
      "ports-free etcd4: ports 127.0.2.1:2379 and 127.0.2.1:2380 are free on etcd4's host",
      "data-dir-empty etcd4: etcd4's data dir .etcdplan/local/etcd4/data is absent or empty",
    ])
    assert.deepEqual([...new Set(host.map((h) => h.split(' ')[1]))], ['etcd4:', 'etcd5:', 'etcd6:'])
  })

  it('passes hosts that can start their members, probing each through the provider and doing nothing', async () => {
    const h = harness()
    assert.match(await runPreflight(h.ctx), /^3 voters healthy/)
    const probes = h.provider.callsOf('probeHost').map((c) => [c.member, c.args[0]])
    // One probe per member for all its checks: a round trip to the host each.
    assert.deepEqual(probes.filter(([m]) => m === 'etcd4'), [['etcd4', {files: [], listen: ['http://127.0.2.1:2379', 'http://127.0.2.1:2380']}]])
    assert.deepEqual(probes.map(([m]) => m), ['etcd4', 'etcd5', 'etcd6'])
    assert.deepEqual(h.provider.callsOf('inspectDataDir').map((c) => c.member), ['etcd4', 'etcd5', 'etcd6'])
    assert.deepEqual(h.log, [], 'nothing was done on a host or sent to etcd')
  })

  it('refuses a missing etcd binary, naming the member and the path', async () => {
    const h = harness()
    h.provider.binary = {path: '/opt/etcd/etcd', version: null, error: 'no such file'}
    const error = await stepFailure(runPreflight(h.ctx))
    assert.match(error.reason, /^precondition etcd-version-compatible \("etcd4's host has an etcd binary.*"\) does not hold: etcd4's etcd binary \/opt\/etcd\/etcd cannot be run: no such file\. /)
    assert.match(error.reason, NOTHING_CHANGED)
    assert.match(error.hint ?? '', /install etcd on etcd4's host, or point nodes\.local\.etcd at the binary/)
  })

  it('refuses a binary older than the cluster version, with etcd\'s reason', async () => {
    const h = harness()
    h.provider.binary = {path: '/usr/bin/etcd', version: '3.4.23', error: null}
    const error = await stepFailure(runPreflight(h.ctx))
    assert.match(error.reason, /etcd4's etcd binary \/usr\/bin\/etcd is 3\.4\.23, but the cluster runs 3\.5 \(cluster version 3\.5, .*\): etcd refuses a member older than the cluster version: it would exit at start with `incompatible with current running cluster`, after it was added\./)
    assert.match(error.reason, NOTHING_CHANGED)
    assert.match(error.hint ?? '', /install etcd 3\.5 \(or 3\.6\) on etcd4's host/)
    assert.deepEqual(h.waits(), [])
  })

  it('passes a binary one minor ahead and refuses one two minors ahead', async () => {
    const ahead = harness()
    ahead.provider.binary = {path: '/usr/bin/etcd', version: '3.6.1', error: null}
    assert.match(await runPreflight(ahead.ctx), /^3 voters healthy/)
    const far = harness()
    far.provider.binary = {path: '/usr/bin/etcd', version: '3.7.0', error: null}
    assert.match((await stepFailure(runPreflight(far.ctx))).reason, /is 3\.7\.0, but the cluster runs 3\.5 .*at most one minor version apart/)
  })

  it('refuses a port in use at once (not a wait), naming the address and the member', async () => {
    const h = harness()
    h.provider.portsInUse.set('127.0.2.2:2380', 'address already in use')
    const error = await stepFailure(runPreflight(h.ctx))
    assert.match(error.reason, /^precondition ports-free \("ports 127\.0\.2\.2:2379 and 127\.0\.2\.2:2380 are free on etcd5's host"\) does not hold: a port etcd5 must listen on cannot be bound on its host: 127\.0\.2\.2:2380 \(http:\/\/127\.0\.2\.2:2380\): address already in use\./)
    assert.match(error.reason, NOTHING_CHANGED)
    assert.match(error.hint ?? '', /stop whatever listens on 127\.0\.2\.2:2380 on etcd5's host/)
    assert.deepEqual(h.waits(), [])
  })

  it('refuses a data dir that is not empty, naming it', async () => {
    const h = harness()
    h.provider.dataDirs.set('etcd6', {path: '/data/etcd6', exists: true, isDirectory: true, entries: ['member'], wal: null, files: [], walDirEntries: []})
    const error = await stepFailure(runPreflight(h.ctx))
    assert.match(error.reason, /^precondition data-dir-empty \("etcd6's data dir .* is absent or empty"\) does not hold: etcd6's data dir \/data\/etcd6 is not empty \(it holds member\)\./)
    assert.match(error.reason, NOTHING_CHANGED)
    assert.match(error.hint ?? '', /^move \/data\/etcd6 away on etcd6's host/)
  })

  it('passes an empty data dir, and refuses a file in its place', async () => {
    const empty = harness()
    empty.provider.dataDirs.set('etcd4', {path: '/data/etcd4', exists: true, isDirectory: true, entries: [], wal: null, files: [], walDirEntries: []})
    assert.match(await runPreflight(empty.ctx), /^3 voters healthy/)
    const file = harness()
    file.provider.dataDirs.set('etcd4', {path: '/data/etcd4', exists: true, isDirectory: false, entries: [], wal: null, files: [], walDirEntries: []})
    assert.match((await stepFailure(runPreflight(file.ctx))).reason, /etcd4's data dir \/data\/etcd4 is not a directory/)
  })

  it('a member the cluster already lists is past these checks (its own etcd holds its ports and data)', async () => {
    const h = harness()
    h.cluster.add('http://127.0.2.1:2380', true)
    h.provider.portsInUse.set('127.0.2.1:2380', 'address already in use')
    h.provider.dataDirs.set('etcd4', {path: '/data/etcd4', exists: true, isDirectory: true, entries: ['member'], wal: null, files: [], walDirEntries: []})
    const observed = await h.cluster.observe()
    for (const check of ['ports-free', 'data-dir-empty', 'etcd-version-compatible'] as const) {
      const precondition = preflight.preconditions.find((p) => p.check === check && p.member === 'etcd4')!
      assert.deepEqual(await GATES[check]({ctx: h.ctx, step: preflight, precondition, observed, memory: {sent: false, health: null, notes: [], probes: new Map()}}), {pass: true}, check)
    }
  })
})

describe('host readiness: the files a config names', {concurrency: true}, () => {
  const peerTLS = {ca: '/pki/ca.pem', cert: '/pki/peer.pem', key: '/pki/peer-key.pem', clientCertAuth: true}
  const tls = (spec: Spec): Spec => ({...spec, target: {members: spec.target.members.map((m) => ({...m, peerTLS}))}})
  const {spec, plan} = migration({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2), dns: false}, tls)
  const preflight = stepOf(plan, 'preflight', 'preflight')

  it('lists every file in the description and refuses one the host cannot read', async () => {
    const files = preflight.preconditions.find((p) => p.check === 'config-files-readable' && p.member === 'etcd4')
    assert.equal(files?.description, "every file etcd4's config names is readable on its host: /pki/peer.pem, /pki/peer-key.pem, /pki/ca.pem")
    const h = stepHarness({spec, plan, step: preflight, cluster: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd2'})})
    h.provider.unreadable.set('/pki/peer-key.pem', 'permission denied')
    const error = await stepFailure(runPreflight(h.ctx))
    assert.match(error.reason, /^precondition config-files-readable \(".*"\) does not hold: etcd4's config names a file its host cannot read: \/pki\/peer-key\.pem \(permission denied\)\. etcd would exit at start, after etcd4 was added\./)
    assert.match(error.reason, NOTHING_CHANGED)
    assert.deepEqual(h.provider.callsOf('probeHost').find((c) => c.member === 'etcd4')?.args[0], {files: ['/pki/peer.pem', '/pki/peer-key.pem', '/pki/ca.pem'], listen: ['http://127.0.2.1:2379', 'http://127.0.2.1:2380']})
  })
})

describe('host readiness in the preflight (snapshot)', {concurrency: true}, () => {
  const {spec, plan} = snapshotMigration(tempDir('etcdplan-host-readiness-'))
  const preflight = stepOf(plan, 'preflight', 'preflight')
  const harness = () => {
    const target = fakeCluster(spec, ['etcd4', 'etcd5', 'etcd6'], {leader: 'etcd4', clusterId: '88'}, {etcd4: {running: false}, etcd5: {running: false}, etcd6: {running: false}})
    return stepHarness({spec, plan, step: preflight, cluster: target, source: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd1'})})
  }

  it('checks every target member; the binary needs no cluster version to join (a new cluster)', async () => {
    assert.deepEqual([...new Set(preflight.preconditions.flatMap((p) => (p.member === undefined ? [] : [p.member])))], ['etcd4', 'etcd5', 'etcd6'])
    const h = harness()
    h.provider.binary = {path: '/usr/bin/etcd', version: '3.4.23', error: null}
    assert.match(await runPreflight(h.ctx), /^3 voters healthy/)
  })

  it('passes a data dir etcdplan restored, refuses any other', async () => {
    const restored = harness()
    restored.provider.dataDirs.set('etcd5', {path: '/data/etcd5', exists: true, isDirectory: true, entries: ['member', RESTORED_MARK], wal: null, files: [], walDirEntries: []})
    assert.match(await runPreflight(restored.ctx), /^3 voters healthy/)
    const foreign = harness()
    foreign.provider.dataDirs.set('etcd5', {path: '/data/etcd5', exists: true, isDirectory: true, entries: ['member'], wal: null, files: [], walDirEntries: []})
    assert.match((await stepFailure(runPreflight(foreign.ctx))).reason, /etcd5's data dir \/data\/etcd5 is not empty \(it holds member\)/)
  })

  it('refuses a port in use on a target host', async () => {
    const h = harness()
    h.provider.portsInUse.set('127.0.2.3:2379', 'address already in use')
    assert.match((await stepFailure(runPreflight(h.ctx))).reason, /^precondition ports-free .* a port etcd6 must listen on cannot be bound on its host: 127\.0\.2\.3:2379/)
  })
})
