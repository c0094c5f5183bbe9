// What the end-to-end apply tests check after `etcdplan apply` ran against real etcd on loopback: the
// membership is exactly the expected members, all started voters; every loaded key and acknowledged
// write is readable; each member's config file holds the last config the saved plan writes to it; the
// journal is complete. Also how they observe the cluster, read the saved plan and journal, and explain
// a CLI run in an assertion message.
import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import {observeCluster} from '../../src/cluster/observe-cluster.js'
import type {Journal} from '../../src/apply/journal.js'
import type {Plan} from '../../src/plan/types.js'
import type {MemberSpec, TlsFiles} from '../../src/spec/types.js'
import {verifyKeys, type KeyLoadOptions} from '../../lab/load-keys.js'
import {verifyAcknowledged, type WriterFigures} from '../../lab/writer.js'
import type {AsyncCliResult} from '../fixtures/run-cli-async.js'

/** The cluster as observeCluster sees it through `urls`, with a client made and closed for this one look. */
export async function observeLive(urls: readonly string[], tls?: TlsFiles): Promise<LiveCluster> {
  const endpoints = new EtcdEndpoints({callTimeoutMs: 5000, ...(tls === undefined ? {} : {tls})})
  try {
    return await observeCluster(endpoints, urls, {statusTimeoutMs: 3000})
  } finally {
    endpoints.close()
  }
}

/** [name, first peer URL] of every member, sorted. */
export function membersOf(cluster: LiveCluster): Array<[string, string]> {
  return cluster.members.map((m): [string, string] => [m.name, m.peerURLs[0] ?? '']).sort()
}

/**
 * Observed through `urls`: the members are exactly `expected` (by name and peer URL), each a started
 * voter. `learner` words the message for a member still a learner. Returns the observed cluster.
 */
export async function assertExactMembership(
  urls: readonly string[],
  expected: ReadonlyArray<Pick<MemberSpec, 'name' | 'peerURL'>>,
  learner = 'is a learner',
  tls?: TlsFiles,
): Promise<LiveCluster> {
  const cluster = await observeLive(urls, tls)
  assert.deepEqual(membersOf(cluster), expected.map((m) => [m.name, m.peerURL]).sort())
  for (const m of cluster.members) {
    assert.equal(m.started, true, `${m.name} is not started`)
    assert.equal(m.isLearner, false, `${m.name} ${learner}`)
  }
  return cluster
}

/** Every loaded key reads back intact through `urls`; with writer figures, also every acknowledged write. */
export async function assertDataIntact(urls: readonly string[], keys: KeyLoadOptions, writer?: WriterFigures): Promise<void> {
  assert.deepEqual(await verifyKeys(urls, keys), {missing: [], wrong: []})
  if (writer === undefined) return
  assert.ok(writer.acknowledged > 0, 'the writer never got a write acknowledged')
  assert.deepEqual(await verifyAcknowledged(urls, writer.acked, keys.tls), [])
}

/** The plan `apply` saved for the migration `name` under `dir`. */
export async function readSavedPlan(dir: string, name: string): Promise<Plan> {
  return JSON.parse(await readFile(join(dir, '.etcdplan', name, 'plan.json'), 'utf8')) as Plan
}

/** The journal (state.json) of the migration `name` under `dir`. */
export async function readJournal(dir: string, name: string): Promise<Journal> {
  return JSON.parse(await readFile(join(dir, '.etcdplan', name, 'state.json'), 'utf8')) as Journal
}

/** Each member's config file holds the last config the plan writes to its path. */
/** `read` gets a member's config file as it is on its host (default: this machine's file at configFile). */
export async function assertConfigsMatchPlan(plan: Plan, members: readonly MemberSpec[], read: (member: MemberSpec) => Promise<string> = (m) => readFile(m.configFile, 'utf8')): Promise<void> {
  const lastConfig = new Map<string, string>()
  for (const step of plan.steps) if (step.kind === 'write-config' || step.kind === 'rewrite-config') lastConfig.set(step.config.path, step.config.content)
  for (const m of members) {
    const planned = lastConfig.get(m.configFile)
    assert.ok(planned !== undefined, `the plan writes no config to ${m.configFile} (${m.name})`)
    assert.equal(await read(m), planned, `${m.name}: ${m.configFile} differs from the plan's last config`)
  }
}

/** The journal is complete, for this plan: the plan's steps, every one done. */
export function assertJournalComplete(journal: Journal, plan: Plan): void {
  assert.equal(journal.status, 'complete')
  assert.equal(journal.planHash, plan.contentHash)
  assert.deepEqual(journal.steps.map((step) => step.id), plan.steps.map((step) => step.id))
  assert.deepEqual(journal.steps.filter((step) => step.status !== 'done').map((step) => `${step.id}: ${step.status}`), [])
}

/** A CLI run for an assertion message: exit, signal, stderr and the last 25 lines of stdout. */
export function explain(result: AsyncCliResult): string {
  const tail = result.stdout.trimEnd().split('\n').slice(-25).join('\n')
  return `exit ${result.status} (signal ${result.signal}${result.timedOut ? ', timed out' : ''})\n--- stderr:\n${result.stderr}\n--- stdout (last 25 lines):\n${tail}`
}
