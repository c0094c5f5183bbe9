// The runbook's partition notes (section 3.2 of the seed: after a partition the minority side is all
// followers or candidates, cannot write, and reads only with serializable consistency), on the lab
// of separate hosts with real etcd 3.4 and real sshd. A cluster of three members on three hosts
// (etcd1 on A, etcd2 on B, etcd3 on C, started over ssh), a migration that replaces etcd3 by etcd4 on
// host A. Proves:
// - host C cut from A and B (packets dropped both ways, as a real partition), etcdplan outside still
//   reaching all three: `etcdplan status --json` reports every member; etcd3 answers (Status is
//   served by the member itself, a serializable read) and is marked as knowing no leader; the
//   leader is etcd1 or etcd2; exit 2 (a member the cluster lists is unhealthy);
// - `etcdplan apply` of the migration then refuses at the preflight's voter-health gate, naming
//   etcd3 as knowing no leader, and changes nothing (member list, revision; etcd4 never added);
// - etcdplan also cut off from A and B (only C, the minority side, reachable): `status` still
//   reports etcd3's own Status, says it knows no leader and that its cluster has no quorum, exits 1
//   (no endpoint gives the cluster), without a stack trace, in --json and in the table;
//   `plan` and `apply` refuse with a no-leader / unreachable message and change nothing;
// - healed: status is 0 again, the cluster as it was.
// Every etcd and sshd of the lab is ended by its close() however the test ends.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {labSshNodes} from '../../lab/hosts-layout.js'
import {setCut} from '../../lab/lab-network.js'
import {startSourceCluster, stopAllMembers} from '../../lab/local-cluster.js'
import {loadKeys} from '../../lab/load-keys.js'
import {createLab, type Lab} from '../../lab/netns-lab.js'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import {statusAt} from '../../src/cluster/observe-cluster.js'
import type {NodeProvider} from '../../src/nodes/node-provider.js'
import {providerFor} from '../../src/nodes/provider-for.js'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import type {StatusReport, StatusRow} from '../../src/status/status-report.js'
import {membership} from '../apply/faults-fixture.js'
import {explain, observeLive} from '../apply/migration-assertions.js'
import {requireLab} from '../fixtures/hosts-cluster.js'
import {writeAndLoadSpec} from '../fixtures/lab-cluster.js'
import {jsonEvents, runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'

const NAME = 'partition-hosts'
const KEYS = {count: 200, valueBytes: 256, prefix: '/e2e/partition/keys/'}
const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(node:.+\))$/m

function assertNoStackTrace(result: AsyncCliResult): void {
  assert.doesNotMatch(result.stderr, STACK_LINE, `a stack trace reached the operator:\n${result.stderr}`)
  assert.doesNotMatch(result.stdout, STACK_LINE, `a stack trace reached the operator:\n${result.stdout}`)
}

function rowOf(report: StatusReport, name: string): StatusRow {
  const row = report.members.find((m) => m.name === name)
  assert.ok(row, `status has no row for ${name}: ${JSON.stringify(report.members.map((m) => m.name))}`)
  return row
}

/** Polls member's own Status until it knows no leader; the time it took. */
async function awaitNoLeader(member: MemberSpec, limitMs = 60_000): Promise<number> {
  const endpoints = new EtcdEndpoints({callTimeoutMs: 3000})
  const started = Date.now()
  try {
    while (Date.now() - started < limitMs) {
      const status = await statusAt(endpoints, member.clientURL, {statusTimeoutMs: 2000})
      if (status.error === null && status.leaderId === null) return Date.now() - started
      await sleep(100)
    }
  } finally {
    endpoints.close()
  }
  assert.fail(`${member.name} still follows a leader ${limitMs} ms after the cut`)
}

/** Polls the members' own Status until one of them leads (the majority side elects one if the old leader was cut off); the time it took. */
async function awaitLeaderAmong(members: readonly MemberSpec[], limitMs = 60_000): Promise<number> {
  const endpoints = new EtcdEndpoints({callTimeoutMs: 3000})
  const started = Date.now()
  try {
    while (Date.now() - started < limitMs) {
      const statuses = await Promise.all(members.map((m) => statusAt(endpoints, m.clientURL, {statusTimeoutMs: 2000})))
      if (statuses.some((s) => s.error === null && s.leaderId !== null && s.leaderId === s.memberId)) return Date.now() - started
      await sleep(100)
    }
  } finally {
    endpoints.close()
  }
  assert.fail(`none of ${members.map((m) => m.name).join(', ')} leads ${limitMs} ms after the cut`)
}

/** What a refused run left: the same member list (etcd4 never added) and KV revision. */
async function clusterState(spec: Spec): Promise<{members: Array<[string, string, boolean]>; revision: number | null}> {
  const cluster = await observeLive(spec.source.members.map((m) => m.clientURL))
  const leader = cluster.statuses.find((s) => s.memberId === cluster.leaderId)
  return {members: membership(cluster), revision: leader?.revision ?? null}
}

async function status(specPath: string, dir: string, json: boolean): Promise<{result: AsyncCliResult; report: StatusReport | null}> {
  const result = await runCliAsync(['status', specPath, ...(json ? ['--json'] : []), '--no-color'], {cwd: dir, timeoutMs: 120_000})
  assertNoStackTrace(result)
  return {result, report: json ? (JSON.parse(result.stdout) as StatusReport) : null}
}

test("partition notes on separate hosts: status reports the minority member (serializable Status) as knowing no leader; plan and apply refuse at their gates; nothing changes", {timeout: 600_000}, async (t) => {
  requireLab()
  const dir = await mkdtemp(join(tmpdir(), `etcdplan-${NAME}-`))
  let lab: Lab | null = null
  let spec: Spec | null = null
  let provider: NodeProvider | null = null
  try {
    lab = await createLab({dir, hosts: ['a', 'b', 'c']})
    const [a, b, c] = [lab.host('a'), lab.host('b'), lab.host('c')]
    const etcd1 = {name: 'etcd1', host: a.address, peerPort: 23801, clientPort: 23791}
    const etcd2 = {name: 'etcd2', host: b.address, peerPort: 23802, clientPort: 23792}
    const etcd3 = {name: 'etcd3', host: c.address, peerPort: 23803, clientPort: 23793}
    const etcd4 = {name: 'etcd4', host: a.address, peerPort: 23804, clientPort: 23794}
    const loaded = await writeAndLoadSpec({
      name: NAME,
      dir,
      source: [etcd1, etcd2, etcd3],
      target: [etcd1, etcd2, etcd4],
      join: {learner: true, order: 'add-first', rollingRestart: false},
      timeouts: {catchUp: '30s', health: '10s', step: '60s'},
      nodes: labSshNodes(lab, {configFile: '/etc/etcd/{name}-partition.yaml'}),
    })
    spec = loaded.spec
    const specPath = loaded.path
    provider = providerFor(spec)
    await startSourceCluster(spec, provider)
    await loadKeys(spec.source.members.map((m) => m.clientURL), KEYS)
    const m3 = spec.source.members.find((m) => m.name === 'etcd3')!

    const healthy = await status(specPath, dir, true)
    assert.equal(healthy.result.status, 0, explain(healthy.result))
    const before = await clusterState(spec)

    // 1. Host C cut from A and B; etcdplan (outside) still reaches all three.
    await c.cutFrom(a, {mode: 'drop'})
    await c.cutFrom(b, {mode: 'drop'})
    const detectMs = await awaitNoLeader(m3)
    const electedMs = await awaitLeaderAmong(spec.source.members.filter((m) => m.name !== 'etcd3'))
    t.diagnostic(`etcd3 on host c knew no leader ${detectMs} ms after the cut; etcd1/etcd2 had a leader ${electedMs} ms after that`)

    const cut = await status(specPath, dir, true)
    t.diagnostic(`status with c cut off: exit ${cut.result.status} after ${Math.round(cut.result.durationMs)} ms`)
    assert.equal(cut.result.status, 2, explain(cut.result))
    const report = cut.report!
    assert.equal(report.reachable, true)
    assert.ok(report.leader !== null && ['etcd1', 'etcd2'].includes(report.leader.name ?? ''), `leader: ${JSON.stringify(report.leader)}`)
    for (const name of ['etcd1', 'etcd2']) assert.equal(rowOf(report, name).health, 'healthy', JSON.stringify(rowOf(report, name)))
    const row3 = rowOf(report, 'etcd3')
    t.diagnostic(`etcd3's row: ${JSON.stringify(row3)}`)
    assert.equal(row3.error, null, 'etcd3 answers its own Status (served by itself, without the leader)')
    assert.equal(row3.membership, 'member')
    assert.equal(row3.health, 'unhealthy')
    assert.equal(row3.hasLeader, false)
    assert.deepEqual(row3.errors, ['etcdserver: no leader'], 'etcd 3.4 says so in its own Status')
    assert.equal(row3.isLeader, false)
    assert.ok(row3.raftIndex !== null && row3.raftTerm !== null)
    const table = await status(specPath, dir, false)
    assert.equal(table.result.status, 2, explain(table.result))
    assert.match(table.result.stdout, /\| etcd3 .*\| unhealthy +\| etcdserver: no leader/, table.result.stdout)
    t.diagnostic(table.result.stdout)

    // apply refuses at the preflight's voter-health gate (after timeouts.health), having changed nothing.
    const applied = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 240_000})
    t.diagnostic(`apply with c cut off: exit ${applied.status} after ${Math.round(applied.durationMs)} ms`)
    assert.equal(applied.status, 1, explain(applied))
    assertNoStackTrace(applied)
    const error = jsonEvents(applied.stdout).find((e) => e.type === 'error') as {error?: {message?: string; stepId?: string}} | undefined
    t.diagnostic(`apply: ${error?.error?.message}`)
    assert.equal(error?.error?.stepId, 'preflight', explain(applied))
    assert.match(error?.error?.message ?? '', /etcd3 \(http:\/\/[\d.]+:23793\): (reports errors \(etcdserver: no leader\)|knows no leader)/)
    assert.match(error?.error?.message ?? '', /This step changed nothing/)
    assert.deepEqual(jsonEvents(applied.stdout).filter((e) => e.type === 'step-start').map((e) => e.id), ['preflight'])
    assert.deepEqual(await clusterState(spec), before)

    // 2. Outside also cut from A and B: only C, the minority side, is reachable.
    await setCut(a.namespace, lab.outsideAddress, 'drop')
    await setCut(b.namespace, lab.outsideAddress, 'drop')
    const minority = await status(specPath, dir, true)
    t.diagnostic(`status from the minority side: exit ${minority.result.status} after ${Math.round(minority.result.durationMs)} ms`)
    assert.equal(minority.result.status, 1, explain(minority.result))
    const alone = minority.report!
    assert.equal(alone.reachable, false)
    assert.equal(alone.leader, null)
    const only3 = rowOf(alone, 'etcd3')
    t.diagnostic(`etcd3's row: ${JSON.stringify(only3)}`)
    assert.equal(only3.hasLeader, false)
    assert.equal(only3.health, 'unhealthy')
    assert.ok(only3.raftTerm !== null && only3.raftIndex !== null, 'etcd3 reports its own Status')
    assert.match(only3.error ?? '', /knows no leader/)
    assert.match(only3.error ?? '', /no quorum/)
    for (const name of ['etcd1', 'etcd2']) assert.equal(rowOf(alone, name).health, 'unreachable')
    const minorityTable = await status(specPath, dir, false)
    assert.equal(minorityTable.result.status, 1, explain(minorityTable.result))
    assert.match(minorityTable.result.stdout, /\| etcd3 .*\| unhealthy +\| [^|]*no leader/, minorityTable.result.stdout)
    t.diagnostic(minorityTable.result.stdout)

    const planned = await runCliAsync(['plan', specPath, '--no-color'], {cwd: dir, timeoutMs: 120_000})
    t.diagnostic(`plan from the minority side: exit ${planned.status} after ${Math.round(planned.durationMs)} ms\n${planned.stdout}\n${planned.stderr}`)
    assert.notEqual(planned.status, 0, explain(planned))
    assertNoStackTrace(planned)
    assert.match(`${planned.stdout}\n${planned.stderr}`, /no leader|quorum|unreachable|did not answer|no endpoint/i)
    // Seen from the minority side, a majority that still serves looks lost: the hint says to check before any recovery.
    assert.match(planned.stderr, /not only cut off from this machine: in a network partition the majority may still run/)
    const appliedMinority = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 240_000})
    t.diagnostic(`apply from the minority side: exit ${appliedMinority.status} after ${Math.round(appliedMinority.durationMs)} ms\n${appliedMinority.stdout.slice(-1500)}\n${appliedMinority.stderr}`)
    assert.notEqual(appliedMinority.status, 0, explain(appliedMinority))
    assertNoStackTrace(appliedMinority)
    assert.deepEqual(jsonEvents(appliedMinority.stdout).filter((e) => e.type === 'step-start' && e.id !== 'preflight'), [])

    // 3. Healed: the cluster as it was, every member healthy.
    await setCut(a.namespace, lab.outsideAddress, null)
    await setCut(b.namespace, lab.outsideAddress, null)
    await lab.heal()
    let healed = await status(specPath, dir, true)
    for (let i = 0; i < 60 && healed.result.status !== 0; i++) {
      await sleep(500)
      healed = await status(specPath, dir, true)
    }
    assert.equal(healed.result.status, 0, explain(healed.result))
    assert.deepEqual(await clusterState(spec), before)
  } finally {
    try {
      if (lab !== null) {
        for (const host of lab.hosts) await setCut(host.namespace, lab.outsideAddress, null).catch(() => undefined)
        await lab.heal().catch(() => undefined)
      }
      if (spec !== null && provider !== null) await stopAllMembers(spec, 10_000, provider).catch(() => undefined)
      await provider?.close()
    } finally {
      await lab?.close()
      await rm(dir, {recursive: true, force: true})
    }
  }
})
