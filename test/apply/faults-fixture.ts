// What the fault tests (faults-*.etcd.test.ts) share: where an apply stopped (its events, its error
// line, its journal), that the cluster kept its quorum while it was stopped, a member's etcd pid, and
// the cleanup that leaves no etcd behind whatever happened.
import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import type {TestContext} from 'node:test'
import {isHealthy, statusOf, type LiveCluster} from '../../src/cluster/live-cluster.js'
import type {Journal} from '../../src/apply/journal.js'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import {localProvider} from '../../lab/local-cluster.js'
import {bulkClient} from '../../lab/load-keys.js'
import {jsonEvents, runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'
import type {KeyLoadOptions} from '../../lab/load-keys.js'
import type {WriterFigures} from '../../lab/writer.js'
import {assertDataIntact, assertExactMembership, assertJournalComplete, explain, observeLive, readJournal, readSavedPlan} from './migration-assertions.js'

/** The pid in the member's pid file (the local provider's). */
export async function pidOf(spec: Spec, member: MemberSpec): Promise<number> {
  const pid = Number.parseInt(await readFile(localProvider(spec).pidFile(member), 'utf8'), 10)
  assert.ok(Number.isInteger(pid) && pid > 0, `no pid for ${member.name}`)
  return pid
}

/** The member of `spec` (source or target) with this name. */
export function memberOf(spec: Spec, name: string): MemberSpec {
  const found = [...spec.source.members, ...spec.target.members].find((m) => m.name === name)
  assert.ok(found, `the spec has no member ${name}`)
  return found
}

/**
 * A failed apply run stopped at `stepId`: exit 1, a step-failed event for it, no step started after
 * it, and the error line (`apply --json` prints it last). Returns the error's message and hint.
 */
export function assertFailedAt(result: AsyncCliResult, stepId: string): {message: string; hint: string} {
  assert.equal(result.status, 1, explain(result))
  const events = jsonEvents(result.stdout)
  const failed = events.filter((e) => e.type === 'step-failed')
  assert.deepEqual(failed.map((e) => e.id), [stepId], explain(result))
  const started = events.filter((e) => e.type === 'step-start').map((e) => e.id)
  assert.equal(started.at(-1), stepId, `a step started after ${stepId}: ${started.join(', ')}`)
  const error = events.find((e) => e.type === 'error') as {error?: {code?: string; stepId?: string; notRun?: string[]; message?: string; hint?: string | null}} | undefined
  assert.ok(error?.error?.message !== undefined, explain(result))
  assert.match(error.error.message, new RegExp(`^step ${stepId.replace('/', '\\/')} failed: `))
  // Machine-readable: the code and the step, and the steps it holds up (upstream failed), never started.
  assert.equal(error.error.code, 'step-failed')
  assert.equal(error.error.stepId, stepId)
  const upstream = events.find((e) => e.type === 'upstream-failed') as {failed?: string; notRun?: string[]} | undefined
  assert.equal(upstream?.failed, stepId, explain(result))
  assert.ok((upstream?.notRun ?? []).includes('verify'), `verify depends on every step: ${JSON.stringify(upstream)}`)
  assert.deepEqual(error.error.notRun, upstream?.notRun)
  for (const id of upstream?.notRun ?? []) assert.ok(!started.includes(id), `${id} is listed as not run but started`)
  return {message: error.error.message, hint: error.error.hint ?? ''}
}

/** The journal stopped at `stepId`: every step before it done, it failed (with the error), every step after it never attempted. */
export function assertJournalStoppedAt(journal: Journal, stepId: string): void {
  const index = journal.steps.findIndex((s) => s.id === stepId)
  assert.ok(index !== -1, `the journal has no step ${stepId}`)
  assert.notEqual(journal.status, 'complete')
  assert.deepEqual(journal.steps.slice(0, index).filter((s) => s.status !== 'done').map((s) => `${s.id}: ${s.status}`), [])
  const failed = journal.steps[index]!
  assert.equal(failed.status, 'failed')
  assert.ok((failed.error ?? '') !== '', `${stepId} is failed without an error`)
  assert.deepEqual(journal.steps.slice(index + 1).filter((s) => s.status !== 'pending' || s.attempts !== 0).map((s) => `${s.id}: ${s.status}`), [])
}

/**
 * The cluster has its quorum: a leader, each of `voters` a started, healthy voter, and a write is
 * accepted and read back through them. With `learner`, that member is still a learner (a learner
 * never counts towards quorum) and, with `unstarted`, has never started. Returns the observation.
 */
export async function assertQuorumKept(voters: readonly MemberSpec[], learner?: {member: MemberSpec; unstarted: boolean}): Promise<LiveCluster> {
  const urls = voters.map((m) => m.clientURL)
  const cluster = await observeLive(urls)
  assert.ok(cluster.leaderId !== null, 'the cluster has no leader')
  for (const m of voters) {
    const observed = cluster.members.find((o) => o.peerURLs.includes(m.peerURL))
    assert.ok(observed, `${m.name} is not a member`)
    assert.equal(observed.isLearner, false, `${m.name} is a learner`)
    assert.equal(observed.started, true, `${m.name} is not started`)
    assert.ok(isHealthy(statusOf(cluster, observed.id)), `${m.name} is not healthy: ${JSON.stringify(cluster.statuses.find((s) => s.endpoint === m.clientURL))}`)
  }
  const voting = cluster.members.filter((m) => !m.isLearner)
  assert.equal(voting.length, voters.length, `voters: ${voting.map((m) => m.name || m.id).join(', ')}`)
  if (learner !== undefined) {
    const observed = cluster.members.find((o) => o.peerURLs.includes(learner.member.peerURL))
    assert.ok(observed, `${learner.member.name} is not a member`)
    assert.equal(observed.isLearner, true, `${learner.member.name} is not a learner`)
    if (learner.unstarted) assert.equal(observed.started, false, `${learner.member.name} has started`)
  }
  const client = bulkClient(urls)
  try {
    const key = `/e2e/faults/quorum-check/${Date.now()}`
    await client.put(key).value('written while the apply was stopped')
    assert.equal(await client.get(key).string(), 'written while the apply was stopped')
  } finally {
    client.close()
  }
  return cluster
}

/** The member list as [name, peer URL] pairs, sorted (unstarted members have no name). */
export function membership(cluster: LiveCluster): Array<[string, string, boolean]> {
  return cluster.members.map((m): [string, string, boolean] => [m.name, m.peerURLs[0] ?? '', m.isLearner]).sort()
}

export {cleanUpLab} from '../fixtures/leaked-etcd.js'


export interface ResumeExpectation {
  /** The step the resumed apply starts with; or 'replanned' when the fix was a new plan (the old journal superseded). */
  readonly startsAt: string | 'replanned'
  readonly keys: KeyLoadOptions
  /** Writes acknowledged while the failed apply ran, all of which must be readable. */
  readonly writer?: WriterFigures
}

/**
 * Once the fault is fixed, the same `apply SPEC --auto-approve` finishes: it starts where the failed
 * one stopped, nothing fails, and the end state is exactly the target with every key (and every
 * acknowledged write), the journal complete.
 */
export async function assertResumesToTarget(t: TestContext, dir: string, spec: Spec, specPath: string, expected: ResumeExpectation): Promise<void> {
  const second = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 240_000})
  t.diagnostic(`second run: exit ${second.status} after ${Math.round(second.durationMs)} ms`)
  assert.equal(second.status, 0, explain(second))
  const events = jsonEvents(second.stdout)
  assert.deepEqual(events.filter((e) => e.type === 'step-failed'), [])
  if (expected.startsAt === 'replanned') assert.ok(events.some((e) => e.type === 'journal-superseded'), explain(second))
  else assert.equal(events.filter((e) => e.type === 'step-start')[0]?.id, expected.startsAt, explain(second))
  const targetURLs = spec.target.members.map((m) => m.clientURL)
  await assertExactMembership(targetURLs, spec.target.members)
  await assertDataIntact(targetURLs, expected.keys, expected.writer)
  assertJournalComplete(await readJournal(dir, spec.name), await readSavedPlan(dir, spec.name))
}
