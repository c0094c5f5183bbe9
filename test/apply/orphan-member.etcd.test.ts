// End to end, against real etcd (3.4.23) on loopback: orphans — members etcd lists that were added
// but never started — when the journal that knew about them is gone. An apply is SIGKILLed (failpoint
// hook) right after `member add` of the new member, and the journal is then deleted; a second orphan,
// an unstarted voter with a peer URL the spec does not name, is added by hand. Proves: `etcdplan plan`
// finds both and says why (warning `never-started`, in the JSON and in the rendered plan); it plans to
// start the target member rather than add it again, and to remove the unknown one first; applying
// that plan ends exactly at the target with every key readable.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import type {Spec} from '../../src/spec/types.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {removeLab, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {stopLeakedEtcd} from '../fixtures/leaked-etcd.js'
import {startFailpointHook, type FailpointHook} from '../fixtures/failpoint-hook.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain, observeLive} from './migration-assertions.js'

const NAME = 'orphans'
const KEYS = {count: 500, valueBytes: 256, prefix: '/e2e/orphans/keys/'}

test('plan finds members added but never started when the journal is lost, and plans to start or remove them', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-orphans-'))
  let spec: Spec | null = null
  let hook: FailpointHook | null = null
  try {
    const [m1, m2, m3, m4, strayHost] = namedMembers('etcd', await pickLoopbackHosts(5))
    const started = await startedSpecCluster(
      {name: NAME, dir, source: [m1!, m2!, m3!], target: [m1!, m2!, m4!], join: {learner: true, order: 'add-first', finalState: 'existing', rollingRestart: false, catchUpTolerance: 100}, timeouts: {catchUp: '60s', health: '30s', step: '60s'}},
      KEYS,
    )
    spec = started.spec
    const sourceURLs = spec.source.members.map((m) => m.clientURL)

    // An apply killed once etcd4 is a member, before it was started or journaled.
    hook = await startFailpointHook(dir, (call) => (call.point === 'after-action' && call.step === 'add-learner/etcd4' ? 'kill' : 'continue'))
    const killed = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, env: hook.env, timeoutMs: 120_000})
    assert.equal(killed.signal, 'SIGKILL', explain(killed))
    // The journal (and lock) lost: another machine, another directory, or deleted.
    await rm(join(dir, '.etcdplan'), {recursive: true, force: true})
    // A second orphan: a voter added by hand with a peer URL the spec does not name, never started.
    const strayPeerURL = `http://${strayHost!.host}:2380`
    const endpoints = new EtcdEndpoints({callTimeoutMs: 10_000})
    try {
      await endpoints.get(sourceURLs[0]!).cluster.memberAdd({peerURLs: [strayPeerURL]})
    } finally {
      endpoints.close()
    }
    const before = await observeLive(sourceURLs)
    const orphan4 = before.members.find((m) => m.peerURLs.includes(spec!.target.members[2]!.peerURL))
    assert.ok(orphan4 !== undefined && !orphan4.started && orphan4.isLearner, `etcd4 should be an unstarted learner: ${JSON.stringify(before.members)}`)
    const stray = before.members.find((m) => m.peerURLs.includes(strayPeerURL))
    assert.ok(stray !== undefined && !stray.started && !stray.isLearner)
    const strayName = `unnamed-${BigInt(stray.id!).toString(16)}`

    const planned = await runCliAsync(['plan', started.path, '--json'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(planned.status, 0, explain(planned))
    const plan = JSON.parse(planned.stdout) as {steps: Array<{id: string}>; warnings: Array<{code: string; message: string}>}
    const ids = plan.steps.map((s) => s.id)
    const warnings = plan.warnings.filter((w) => w.code === 'never-started').map((w) => w.message)
    t.diagnostic(`never-started warnings: ${warnings.join(' | ')}`)
    assert.ok(warnings.some((w) => w.startsWith('etcd4 (') && w.includes('has never started') && w.includes('journal was lost') && w.includes('starts it')), warnings.join('\n'))
    assert.ok(warnings.some((w) => w.startsWith(`${strayName} (`) && w.includes(strayPeerURL) && w.includes('removes it first')), warnings.join('\n'))
    assert.ok(!ids.includes('add-learner/etcd4'), `etcd4 must not be added again: ${ids.join(', ')}`)
    assert.ok(ids.includes('start-member/etcd4') && ids.includes('promote/etcd4'), ids.join(', '))
    assert.equal(ids.find((id) => id.startsWith('remove-member/') || id.startsWith('start-member/')), `remove-member/${strayName}`, ids.join(', '))

    const rendered = await runCliAsync(['plan', started.path], {cwd: dir, timeoutMs: 60_000})
    assert.equal(rendered.status, 0, explain(rendered))
    assert.match(rendered.stdout, /etcd4 \(ID [0-9a-f]+, http:\/\/[\d.]+:2380\) was added to the cluster as a learner but has never started/)

    const applied = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 180_000})
    assert.equal(applied.status, 0, explain(applied))
    const targetURLs = spec.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, spec.target.members)
    await assertDataIntact(targetURLs, KEYS)
  } finally {
    await hook?.close()
    await stopLeakedEtcd(dir)
    await removeLab(dir, spec)
  }
})
