// End to end, against real etcd (3.4.23) on loopback: a leader change in the middle of every step
// kind. The failpoint hook stops the applier once each step is under way (journaled as running) and
// again right after its etcd call or node action; there the test moves leadership to another healthy
// voter with MoveLeader, as an operator or a flaky network would, and lets the applier go on. Proves
// that both strategies still complete — the runbook's join (learners, DNS, rolling restart) and a
// snapshot-and-restore — with exactly the target members and every key, and that a leader change
// really happened during every step kind the plan has.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Plan} from '../../src/plan/types.js'
import type {Spec} from '../../src/spec/types.js'
import {stopAllMembers} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, type MigrationSpecOptions} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, RUNBOOK_JOIN, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {stopLeakedEtcd} from '../fixtures/leaked-etcd.js'
import {startFailpointHook, type FailpointAnswer, type FailpointHook} from '../fixtures/failpoint-hook.js'
import {moveLeader, type LeaderMove} from '../fixtures/move-leader.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain} from './migration-assertions.js'

const KEYS = {count: 2000, valueBytes: 512, prefix: '/e2e/leader/keys/'}

async function migrateMovingTheLeader(t: {diagnostic(message: string): void}, name: string, options: (dir: string, hostsFile: string) => Omit<MigrationSpecOptions, 'name' | 'dir' | 'source' | 'target'>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `etcdplan-e2e-${name}-`))
  let spec: Spec | null = null
  let hook: FailpointHook | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const hostsFile = join(dir, 'hosts')
    await writeFile(hostsFile, members.slice(0, 3).map((m) => `${m.host}\tetcd.${name}.test`).join('\n') + '\n')
    const started = await startedSpecCluster({name, dir, source: members.slice(0, 3), target: members.slice(3), ...options(dir, hostsFile)}, KEYS)
    spec = started.spec
    const sourceURLs = spec.source.members.map((m) => m.clientURL)
    const targetURLs = spec.target.members.map((m) => m.clientURL)
    const planFile = join(dir, 'plan.json')
    const planned = await runCliAsync(['plan', started.path, '-o', planFile], {cwd: dir, timeoutMs: 60_000})
    assert.equal(planned.status, 0, explain(planned))
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan
    const kindOf = new Map(plan.steps.map((step) => [step.id, step.kind]))

    // Kinds during which leadership changed, and the moves made.
    const changedDuring = new Set<string>()
    // Kinds during which leadership changed between an etcd call or node action and the check of its result.
    const changedAfterAction = new Set<string>()
    const moves: string[] = []
    const movedAfterAction = new Set<string>()
    hook = await startFailpointHook(dir, async (call): Promise<FailpointAnswer> => {
      // Once as the step starts, and once between its first action and the check of its result.
      const midStep = call.point === 'step-running' || (call.point === 'after-action' && !movedAfterAction.has(call.step))
      if (!midStep) return 'continue'
      if (call.point === 'after-action') movedAfterAction.add(call.step)
      // A join is one cluster reachable through all its URLs; a snapshot migration has two clusters,
      // each moved on its own (the new one once it has formed).
      const clusters = plan.strategy === 'snapshot' ? [sourceURLs, targetURLs] : [[...sourceURLs, ...targetURLs]]
      for (const urls of clusters) {
        const move = await moveLeaderRetrying(urls)
        if (!move.moved) continue
        changedDuring.add(kindOf.get(call.step) ?? call.step)
        if (call.point === 'after-action') changedAfterAction.add(kindOf.get(call.step) ?? call.step)
        moves.push(`${call.step} (${call.point}): ${move.from} → ${move.to}`)
      }
      return 'continue'
    })

    const result = await runCliAsync(['apply', planFile, '--json'], {cwd: dir, env: hook.env, timeoutMs: 300_000})
    t.diagnostic(`${name}: ${moves.length} leader changes forced in ${plan.steps.length} steps; apply took ${Math.round(result.durationMs)} ms`)
    assert.equal(result.status, 0, explain(result))
    const kinds = [...new Set(plan.steps.map((step) => step.kind))]
    assert.deepEqual(kinds.filter((kind) => !changedDuring.has(kind)), [], `no leader change happened during these step kinds; moves: ${moves.join('; ')}`)
    // Every kind that acts saw the leader change between its action and the check of its result.
    const acting = (['add-learner', 'start-member', 'promote', 'remove-member', 'restart-member', 'restore-member'] as const).filter((kind) => kinds.includes(kind))
    assert.deepEqual(acting.filter((kind) => !changedAfterAction.has(kind)), [], `no leader change between action and check in these step kinds; moves: ${moves.join('; ')}`)
    await assertExactMembership(targetURLs, spec.target.members)
    await assertDataIntact(targetURLs, KEYS)
  } finally {
    try {
      await hook?.close()
      if (spec !== null) await stopAllMembers(spec)
    } finally {
      await stopLeakedEtcd(dir)
      await rm(dir, {recursive: true, force: true})
    }
  }
}

/** A transfer can be refused for a moment (a transferee not caught up yet, an election under way): try a few times. */
async function moveLeaderRetrying(urls: readonly string[]): Promise<LeaderMove> {
  let move: LeaderMove = {moved: false, why: 'not tried'}
  // A cluster not formed yet (or already stopped) has no leader to ask: no point in asking again.
  for (let attempt = 0; attempt < 3 && !move.moved && move.why !== 'no leader answers'; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 300))
    move = await moveLeader(urls)
  }
  return move
}

test('the runbook join completes with the leader moved in the middle of every step kind', {timeout: 600_000}, async (t) => {
  await migrateMovingTheLeader(t, 'leaderjoin', (_dir, hostsFile) => ({
    join: RUNBOOK_JOIN,
    dns: {name: 'etcd.leaderjoin.test', switch: {via: 'hosts-file', file: hostsFile}, verify: true},
    timeouts: E2E_TIMEOUTS,
  }))
})

test('a snapshot migration completes with the leader moved in the middle of every step kind', {timeout: 600_000}, async (t) => {
  await migrateMovingTheLeader(t, 'leadersnap', (_dir, hostsFile) => ({
    strategy: 'snapshot',
    dns: {name: 'etcd.leadersnap.test', switch: {via: 'hosts-file', file: hostsFile}, verify: true},
    timeouts: E2E_TIMEOUTS,
  }))
})
