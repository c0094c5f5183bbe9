// End to end, against real etcd (3.4.23) on loopback: membership calls whose reply is lost after the
// request was sent (etcd-facts.md, "Ambiguous results"). The failpoint hook answers "lose-reply" to
// the first etcd call of add-learner, promote, move-leader and remove-member: the call reaches etcd
// and takes effect, but the applier gets "Connection dropped" instead of the answer. Proves: each of
// those steps resolves it by observing the cluster (the member with the planned peer URL exists, the
// learner flag is cleared, leadership moved, the member is gone), says so, and never sends the
// request a second time; the migration ends exactly at the target with every key readable.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Plan} from '../../src/plan/types.js'
import type {Spec} from '../../src/spec/types.js'
import {clusterEndpoints} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {removeLab, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {startFailpointHook, type FailpointHook} from '../fixtures/failpoint-hook.js'
import {moveLeader} from '../fixtures/move-leader.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain, observeLive} from './migration-assertions.js'

const NAME = 'lostreply'
const KEYS = {count: 500, valueBytes: 256, prefix: '/e2e/lostreply/keys/'}

test('a membership call whose reply is lost is resolved by observing, never sent twice', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-lostreply-'))
  let spec: Spec | null = null
  let hook: FailpointHook | null = null
  try {
    // etcd1..3 → etcd1, etcd2, etcd4: one member replaced, so every membership call kind appears once.
    const [m1, m2, m3, m4] = namedMembers('etcd', await pickLoopbackHosts(4))
    const started = await startedSpecCluster(
      {name: NAME, dir, source: [m1!, m2!, m3!], target: [m1!, m2!, m4!], join: {learner: true, order: 'add-first', finalState: 'existing', rollingRestart: false, catchUpTolerance: 100}, timeouts: {catchUp: '60s', health: '30s', step: '60s'}},
      KEYS,
    )
    spec = started.spec
    const urls = clusterEndpoints(spec)
    const planFile = join(dir, 'plan.json')
    const planned = await runCliAsync(['plan', started.path, '-o', planFile], {cwd: dir, timeoutMs: 60_000})
    assert.equal(planned.status, 0, explain(planned))
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan
    const lossy = ['add-learner/etcd4', 'promote/etcd4', 'move-leader/etcd3', 'remove-member/etcd3']
    assert.deepEqual(lossy.filter((id) => !plan.steps.some((s) => s.id === id)), [], `the plan lacks a step this test needs: ${plan.steps.map((s) => s.id).join(', ')}`)

    const sends = new Map<string, number>()
    let leaderMovedToEtcd3 = false
    hook = await startFailpointHook(dir, async (call) => {
      // move-leader acts only when etcd3 leads: make it lead just before that step looks.
      if (call.point === 'step-running' && call.step === 'move-leader/etcd3') {
        await moveLeader(urls, (candidates) => candidates.find((m) => m.name === 'etcd3'))
        const cluster = await observeLive(urls)
        leaderMovedToEtcd3 = cluster.members.find((m) => m.id === cluster.leaderId)?.name === 'etcd3'
        return 'continue'
      }
      if (call.point !== 'after-action' || !lossy.includes(call.step)) return 'continue'
      const count = (sends.get(call.step) ?? 0) + 1
      sends.set(call.step, count)
      return count === 1 ? 'lose-reply' : 'continue'
    })

    const result = await runCliAsync(['apply', planFile, '--json'], {cwd: dir, env: hook.env, timeoutMs: 240_000})
    assert.equal(result.status, 0, explain(result))
    const events = jsonEvents(result.stdout)
    const outcome = (id: string) => String(events.find((e) => e.type === 'step-done' && e.id === id)?.['outcome'] ?? '')
    const waits = (id: string) => events.filter((e) => e.type === 'step-wait' && e.id === id).map((e) => String(e['reason']))
    assert.ok(leaderMovedToEtcd3, 'the test could not make etcd3 the leader before move-leader/etcd3')

    for (const id of lossy) {
      // One request each: the lost reply was resolved by looking, not by sending again.
      assert.equal(sends.get(id), 1, `${id} sent ${sends.get(id) ?? 0} request(s)`)
      assert.ok(waits(id).some((reason) => reason.includes('no reply') && reason.includes('observing whether it took effect')), `${id} did not report the lost reply: ${waits(id).join(' | ')}`)
    }
    assert.match(outcome('add-learner/etcd4'), /^added etcd4 as a learner/)
    assert.match(outcome('promote/etcd4'), /^promoted etcd4/)
    assert.match(outcome('move-leader/etcd3'), /^moved leadership away/)
    assert.match(outcome('remove-member/etcd3'), /^removed etcd3/)
    t.diagnostic(`outcomes: ${lossy.map((id) => `${id}: ${outcome(id)}`).join('; ')}`)

    const targetURLs = spec.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, spec.target.members)
    await assertDataIntact(targetURLs, KEYS)
  } finally {
    await hook?.close()
    await removeLab(dir, spec)
  }
})
