// End to end, against real etcd (3.4.23) on loopback: re-planning a migration that stopped half-way
// keeps every step that has not happened. The runbook's 3 → 3 (disjoint, learners, rolling restart)
// with a manual DNS switch: the first apply stops for the operator at switch-dns, after the three new
// members joined with configs that still list the old members. A new plan made from the live cluster
// (as the hint suggests) must still switch DNS, remove the old members, rewrite the new members'
// configs and restart them; applied, it ends with exactly the target members, each config listing
// exactly the target, every key intact, and then `plan` reports no changes (exit 0 with
// --detailed-exitcode). Every etcd started here is stopped in `finally`, and the temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, RUNBOOK_JOIN, removeLab, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain} from './migration-assertions.js'

const KEYS = {count: 500, valueBytes: 256, prefix: '/e2e/replan/keys/'}
const DNS = {name: 'etcd.test.internal', switch: {via: 'manual'}, verify: false}

test('a plan made again after apply stopped at the DNS step keeps the removals, config rewrites and rolling restart', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-replan-'))
  let spec: Spec | null = null
  try {
    const hosts = namedMembers('etcd', await pickLoopbackHosts(6))
    const started = await startedSpecCluster({name: 'replan', dir, source: hosts.slice(0, 3), target: hosts.slice(3), dns: DNS, join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS}, KEYS)
    spec = started.spec

    const stopped = await runCliAsync(['apply', started.path, '--auto-approve'], {cwd: dir, timeoutMs: 180_000})
    assert.equal(stopped.status, 3, explain(stopped))
    const joinedConfig = await readFile(spec.target.members[0]!.configFile, 'utf8')
    assert.match(joinedConfig, new RegExp(`initial-cluster: .*${spec.source.members[0]!.name}=`), 'the joined config still names the old members')

    const planPath = join(dir, 'replan.plan.json')
    const planned = await runCliAsync(['plan', started.path, '-o', planPath, '--json'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(planned.status, 0, explain(planned))
    const plan = JSON.parse(planned.stdout) as {steps: Array<{id: string}>; summary: {add: number; change: number; remove: number; configRewrites: number; restarts: number}; observation: {configs: Array<{member: string}>}}
    const ids = plan.steps.map((s) => s.id)
    t.diagnostic(`re-plan: ${ids.join(', ')}`)
    for (const m of spec.source.members) assert.ok(ids.includes(`remove-member/${m.name}`), ids.join(', '))
    for (const m of spec.target.members) {
      assert.ok(ids.includes(`rewrite-config/${m.name}`), `rewrite-config/${m.name} missing: ${ids.join(', ')}`)
      assert.ok(ids.includes(`restart-member/${m.name}`), `restart-member/${m.name} missing: ${ids.join(', ')}`)
    }
    assert.ok(ids.includes('switch-dns'))
    assert.deepEqual(plan.observation.configs.map((c) => c.member), spec.target.members.map((m) => m.name))
    assert.deepEqual(plan.summary, {add: 0, change: 3, remove: 3, configRewrites: 3, restarts: 3})

    const applied = await runCliAsync(['apply', planPath, '--confirm', 'switch-dns', '--auto-approve'], {cwd: dir, timeoutMs: 200_000})
    assert.equal(applied.status, 0, explain(applied))
    const urls = spec.target.members.map((m) => m.clientURL)
    await assertExactMembership(urls, spec.target.members)
    await assertDataIntact(urls, KEYS)
    const finalCluster = spec.target.members.map((m) => `${m.name}=${m.peerURL}`)
    for (const m of spec.target.members) {
      const listed = /^initial-cluster: (.*)$/m.exec(await readFile(m.configFile, 'utf8'))?.[1]?.split(',').sort()
      assert.deepEqual(listed, [...finalCluster].sort(), `${m.name}'s config lists exactly the target`)
    }

    const again = await runCliAsync(['plan', started.path, '--detailed-exitcode'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(again.status, 0, explain(again))
    assert.match(again.stdout, /No changes/)
  } finally {
    await removeLab(dir, spec)
  }
})
