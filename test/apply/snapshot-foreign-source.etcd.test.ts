// End to end, against real etcd (3.4.23) on loopback: a snapshot migration of a source cluster that
// etcdplan's node provider did not start (as every real one is). The old members still answer after
// the new cluster serves, and writes to them would never reach it, so apply must not report them
// stopped: it stops for the operator at the old followers' stops, both named in one stop (exit 3,
// instructions, one resume command with a --confirm for each; the old members stop together with
// their leader last), refuses a confirmation while a member still answers, and once the operator has
// stopped them, the next apply checks that none answers and finishes. Every etcd started here is stopped in `finally`.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Journal} from '../../src/apply/journal.js'
import type {Spec} from '../../src/spec/types.js'
import {localProvider, stopAllMembers} from '../../lab/local-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, removeLab, startedSpecCluster, writeAndLoadSpec} from '../fixtures/lab-cluster.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain, observeLive} from './migration-assertions.js'

const KEYS = {count: 200, valueBytes: 256, prefix: '/e2e/foreign/keys/'}

test('snapshot 3 → 3 from a source etcdplan did not start: apply stops for the operator at each old member that still answers, never reports it stopped', {timeout: 240_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-foreign-'))
  let outside: Spec | null = null
  let spec: Spec | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const options = {name: 'foreign', strategy: 'snapshot' as const, source: members.slice(0, 3), target: members.slice(3), timeouts: E2E_TIMEOUTS}
    // The source runs from another directory (its own pid files and configs), as if started by systemd.
    outside = (await startedSpecCluster({...options, dir: join(dir, 'outside')}, KEYS)).spec
    const migration = await writeAndLoadSpec({...options, dir})
    spec = migration.spec
    const targetURLs = spec.target.members.map((m) => m.clientURL)

    const first = await runCliAsync(['apply', migration.path, '--auto-approve'], {cwd: dir, timeoutMs: 180_000})
    t.diagnostic(first.stderr.trim().split('\n').slice(-3).join(' | '))
    assert.equal(first.status, 3, explain(first))
    // The old cluster's leader stops last (parallel-steps.ts, leaderLast): the first stop asked for is the first other member's.
    const leader = /leader (etcd\d)/.exec(first.stdout)?.[1]
    assert.ok(leader !== undefined, explain(first))
    const [firstStopped, secondStopped] = ['etcd1', 'etcd2', 'etcd3'].filter((name) => name !== leader) as [string, string]
    // Both followers' stops are asked for at once, in one stop of the apply (one --confirm round trip).
    for (const name of [firstStopped, secondStopped]) {
      assert.match(first.stdout, new RegExp(`Action needed: stop-member/${name} is yours to do\\.\\netcd for ${name} still answers at http://[\\d.]+:2379, and etcdplan's node provider does not run it, so etcdplan cannot stop it\\.`), explain(first))
    }
    assert.ok(first.stderr.includes(`Stopped at stop-member/${firstStopped}, stop-member/${secondStopped}: they are yours to do.`), explain(first))
    assert.ok(first.stderr.includes(`etcdplan apply .etcdplan/foreign/plan.json --confirm stop-member/${firstStopped} --confirm stop-member/${secondStopped}`), explain(first))
    await assertExactMembership(targetURLs, spec.target.members)
    await assertDataIntact(targetURLs, KEYS)
    const journal = JSON.parse(await readFile(join(dir, '.etcdplan', 'foreign', 'state.json'), 'utf8')) as Journal
    for (const name of [firstStopped, secondStopped]) assert.equal(journal.steps.find((s) => s.id === `stop-member/${name}`)?.status, 'waiting-for-operator')
    assert.notEqual(journal.steps.find((s) => s.id === `stop-member/${leader}`)?.status, 'waiting-for-operator', 'the leader\'s stop waits for the others')
    assert.equal((await observeLive([outside.source.members[0]!.clientURL])).members.length, 3, 'the old cluster still runs: nothing claimed otherwise')

    // Confirming while it still answers is refused: the step checks, it does not take the word for it.
    const early = await runCliAsync(['apply', '.etcdplan/foreign/plan.json', '--confirm', `stop-member/${firstStopped}`, '--json'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(early.status, 1, explain(early))
    const error = jsonEvents(early.stdout).find((e) => e.type === 'error') as {error?: {code?: string; message?: string; stepId?: string}} | undefined
    assert.equal(error?.error?.code, 'step-failed', explain(early))
    assert.equal(error?.error?.stepId, `stop-member/${firstStopped}`)
    assert.match(error?.error?.message ?? '', new RegExp(`${firstStopped} still answers at http://[\\d.]+:2379, though its stop was confirmed`))

    // The operator stops the old cluster where it runs; the next apply sees none answers and finishes.
    await stopAllMembers(outside)
    const last = await runCliAsync(['apply', '.etcdplan/foreign/plan.json', '--json'], {cwd: dir, timeoutMs: 60_000})
    assert.equal(last.status, 0, explain(last))
    const outcomes = jsonEvents(last.stdout).filter((e) => e.type === 'step-done').map((e) => `${e.id}: ${String(e.outcome)}`)
    for (const name of ['etcd1', 'etcd2', 'etcd3']) assert.ok(outcomes.some((o) => new RegExp(`^stop-member/${name}: ${name} no longer answers at http://[\\d.]+:2379; its data dir is kept as a fallback$`).test(o)), outcomes.join('\n'))
    for (const old of outside.source.members) assert.equal(await localProvider(outside).isRunning(old), false)
    await assertExactMembership(targetURLs, spec.target.members)
  } finally {
    try {
      if (outside !== null) await stopAllMembers(outside)
    } finally {
      await removeLab(dir, spec)
    }
  }
})
