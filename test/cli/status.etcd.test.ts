// `etcdplan status` end to end against a real etcd (Debian's 3.4.23).
// - Before a migration (one source and one target member, only the source running): the source is
//   the healthy leader, the target "not added yet", which is not a fault (exit 0); with the source
//   stopped too, the table still prints and the exit code is 1.
// - After a real join migration (1 → 1 replace, `etcdplan apply`): exit 0, the removed source member
//   shown as "removed, stopped", not as an unreachable error.
// - Around a real snapshot migration (1 → 1, `etcdplan apply`): two sections, the target "not
//   created yet" before, the source "stopped" after; with the old member started again from its kept
//   data dir, both clusters answer and each section shows its own cluster ID and leader. Exit 0.
// Every etcd is started and stopped through the local node provider, by its pid, whatever happens
// (the lab clusters by removeLab in `after`).
import {describe, it, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {readdir, rename} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {basename, dirname, join} from 'node:path'
import type {StatusReport} from '../../src/status/status-report.js'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import {renderEtcdConfig} from '../../src/plan/etcd-config.js'
import {loadSpecFile} from '../../src/spec/load-spec.js'
import type {MemberSpec} from '../../src/spec/types.js'
import {localProvider} from '../../lab/local-cluster.js'
import {loadKeys} from '../../lab/load-keys.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {explain} from '../apply/migration-assertions.js'
import {E2E_TIMEOUTS, useLabCluster} from '../fixtures/lab-cluster.js'
import {runCli, type CliResult} from '../fixtures/run-cli.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {waitForHealth} from '../fixtures/wait-for-health.js'

const ANSI = /\u001b\[/
const STACK = /\n\s+at .+:\d+:\d+/

describe('etcdplan status against a real etcd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'etcdplan-status-'))
  const specPath = join(dir, 'etcdplan.yaml')
  const provider = new LocalNodeProvider({workDir: join(dir, 'local'), etcd: 'etcd'})
  let source: MemberSpec | undefined

  before(async () => {
    const [oldHost, newHost] = (await pickLoopbackHosts(2)) as [string, string]
    const entry = (name: string, host: string) =>
      `    - {name: ${name}, peerURL: http://${host}:2380, clientURL: http://${host}:2379, dataDir: ${join(dir, name, 'data')}, configFile: ${join(dir, name, 'etcd.yaml')}}`
    writeFileSync(
      specPath,
      [
        'apiVersion: etcdplan/v1',
        'kind: Migration',
        'name: status-check',
        'cluster:',
        '  token: status-check',
        'source:',
        '  members:',
        entry('old1', oldHost),
        'target:',
        '  members:',
        entry('new1', newHost),
        'nodes:',
        '  provider: local',
        '  local:',
        `    workDir: ${join(dir, 'local')}`,
        '    etcd: etcd',
        '',
      ].join('\n'),
    )
    const loaded = await loadSpecFile(specPath)
    assert.ok(loaded.spec, `the test spec is invalid: ${JSON.stringify(loaded.diagnostics)}`)
    const spec = loaded.spec
    const member = spec.source.members[0]!
    const config = renderEtcdConfig({member, spec, initialCluster: `${member.name}=${member.peerURL}`, initialClusterState: 'new'})
    await provider.writeConfig(member, config.path, config.content)
    source = member
    await provider.start(member, config.path)
    const health = await waitForHealth(member.clientURL, 15_000)
    assert.match(health, /"health":"true"/, `etcd did not become healthy:\n${await provider.logTail(member, 20)}`)
  })

  after(async () => {
    try {
      if (source !== undefined) await provider.stop(source, 10_000)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('--json: the running source is the healthy leader, the target is not added yet, exit 0', () => {
    const r = runCli(['status', specPath, '--json'], {cwd: dir})
    assert.equal(r.status, 0, r.stderr + r.stdout)
    const report = JSON.parse(r.stdout) as StatusReport
    assert.equal(report.reachable, true)
    assert.match(report.clusterId ?? '', /^[0-9a-f]+$/)
    const old1 = report.members.find((m) => m.name === 'old1')
    const new1 = report.members.find((m) => m.name === 'new1')
    assert.ok(old1 && new1, JSON.stringify(report.members))
    assert.equal(old1.health, 'healthy')
    assert.equal(old1.isLeader, true)
    assert.equal(old1.isLearner, false)
    assert.equal(old1.role, 'source')
    assert.equal(old1.membership, 'member')
    assert.equal(old1.version, '3.4.23')
    assert.match(old1.id ?? '', /^[0-9a-f]+$/)
    assert.equal(new1.health, 'unreachable')
    assert.equal(new1.role, 'target')
    assert.equal(new1.membership, 'not-added')
    assert.match(new1.error ?? '', /^connect ECONNREFUSED /)
    assert.deepEqual(report.leader, {id: old1.id, name: 'old1'})
    assert.deepEqual(report.alarms, [])
    assert.equal(report.journal, null)
    assert.deepEqual([report.strategy, report.serving, report.clusters], ['join', null, null])
    assert.equal(r.stderr, '')
  })

  it('text: the etcdctl-style table with the member names, then the cluster and journal lines', () => {
    const r = runCli(['status', specPath], {cwd: dir})
    assert.equal(r.status, 0, r.stderr + r.stdout)
    assert.match(r.stdout, /\|\s+NAME\s+\|\s+ENDPOINT\s+\|\s+ID\s+\|\s+VERSION\s+\|\s+DB SIZE\s+\|\s+LEADER\s+\|\s+LEARNER\s+\|\s+TERM\s+\|\s+RAFT INDEX\s+\|\s+APPLIED INDEX\s+\|\s+HEALTH\s+\|\s+ERRORS\s+\|/)
    assert.match(r.stdout, /^\| old1 .*\| true +\| false +\|.*\| healthy +\|/m)
    assert.match(r.stdout, /^\| new1 .*\| not added yet \| +\|$/m)
    assert.doesNotMatch(r.stdout, /unreachable|ECONNREFUSED/)
    assert.match(r.stdout, /^Cluster: [0-9a-f]+ {2}Leader: old1 {2}Alarms: none {2}Cluster version: 3\.4\.0$/m)
    assert.match(r.stdout, /^Journal: none \(no apply has run for this migration\)$/m)
    assert.doesNotMatch(r.stdout, ANSI)
    assert.equal(r.stderr, '', 'spec warnings are for validate and plan, not status')
  })

  it('--state: reports where the journal stands', () => {
    const journalPath = join(dir, 'journal.json')
    const step = (id: string, status: string, error: string | null = null) => ({id, status, attempts: status === 'pending' ? 0 : 1, startedAt: null, finishedAt: null, outcome: null, error})
    const journal = {
      kind: 'etcdplan-journal',
      formatVersion: 1,
      name: 'status-check',
      planHash: 'sha256:0',
      specHash: 'sha256:0',
      status: 'failed',
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
      memberIds: {},
      steps: [step('preflight', 'done'), step('add/new1', 'failed', 'etcdserver: unhealthy cluster'), step('start/new1', 'pending')],
    }
    writeFileSync(journalPath, JSON.stringify(journal))
    const r = runCli(['status', specPath, '--state', journalPath], {cwd: dir})
    assert.equal(r.status, 0, `the exit code is the cluster's health, not the journal's: ${r.stderr}${r.stdout}`)
    assert.ok(r.stdout.includes(`Journal: ${journalPath}: 1/3 steps done; next: add/new1 (failed: etcdserver: unhealthy cluster)`), r.stdout)
  })

  it('with no member answering: still prints the table, every row unreachable, exit 1', async () => {
    await provider.stop(source!, 10_000)
    const text = runCli(['status', specPath], {cwd: dir})
    assert.equal(text.status, 1, text.stderr + text.stdout)
    assert.match(text.stdout, /^\| old1 .*\| unreachable \|/m)
    assert.match(text.stdout, /^\| new1 .*\| unreachable \|/m)
    assert.match(text.stdout, /^Cluster: unreachable/m)
    assert.doesNotMatch(text.stdout + text.stderr, STACK)
    const json = runCli(['status', specPath, '--json'], {cwd: dir})
    assert.equal(json.status, 1)
    const report = JSON.parse(json.stdout) as StatusReport
    assert.equal(report.reachable, false)
    assert.deepEqual(report.members.map((m) => [m.name, m.health, m.membership]), [['old1', 'unreachable', 'unknown'], ['new1', 'unreachable', 'unknown']])
  })

  it('refuses an invalid spec with its diagnostics and exit 1', () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, 'apiVersion: etcdplan/v1\nkind: Migration\nname: Bad Name\n')
    const r = runCli(['status', bad], {cwd: dir})
    assert.equal(r.status, 1)
    assert.match(r.stderr, new RegExp(`${bad.replace(/[.]/g, '\\.')}:\\d+:\\d+: error:`))
    assert.doesNotMatch(r.stdout + r.stderr, STACK)
  })
})

/** `etcdplan status --json` and `etcdplan status` (text) of a lab's spec, run from its dir. */
function statusOf(specPath: string, dir: string): {json: CliResult; report: StatusReport; text: CliResult} {
  const json = runCli(['status', specPath, '--json'], {cwd: dir})
  const text = runCli(['status', specPath], {cwd: dir})
  assert.equal(json.stderr + text.stderr, '', json.stderr + text.stderr)
  return {json, report: JSON.parse(json.stdout) as StatusReport, text}
}

function rowsOf(report: Pick<StatusReport, 'members'>): Array<[string | null, string, string]> {
  return report.members.map((m) => [m.name, m.membership, m.health])
}

describe('etcdplan status after a real join migration (1 → 1 replace)', () => {
  const lab = useLabCluster(
    'etcdplan-status-join-',
    async (dir) => {
      const [old, replacement] = namedMembers('etcd', await pickLoopbackHosts(2))
      return {name: 'status-join', dir, source: [old!], target: [replacement!], timeouts: E2E_TIMEOUTS}
    },
    {start: true},
  )

  it('exit 0; the removed source member is "removed, stopped", not an unreachable error', {timeout: 200_000}, async () => {
    const applied = await runCliAsync(['apply', lab.specPath, '--auto-approve'], {cwd: lab.dir, timeoutMs: 150_000})
    assert.equal(applied.status, 0, explain(applied))

    const {json, report, text} = statusOf(lab.specPath, lab.dir)
    assert.equal(json.status, 0, json.stdout)
    assert.deepEqual(rowsOf(report), [['etcd1', 'removed', 'unreachable'], ['etcd2', 'member', 'healthy']])
    const [etcd1, etcd2] = report.members
    assert.match(etcd1!.error ?? '', /ECONNREFUSED/, 'the removed member has stopped: its client URL refuses connections')
    assert.equal(etcd2!.isLeader, true)
    assert.deepEqual(report.leader, {id: etcd2!.id, name: 'etcd2'})
    assert.equal(report.journal?.status, 'complete')

    assert.equal(text.status, 0, text.stdout)
    assert.match(text.stdout, /^\| etcd1 .*\| removed, stopped \| +\|$/m)
    assert.match(text.stdout, /^\| etcd2 .*\| true +\| false +\|.*\| healthy +\|/m)
    assert.doesNotMatch(text.stdout, /unreachable|ECONNREFUSED/)
    assert.match(text.stdout, /^Journal: .*: (\d+)\/\1 steps done; complete$/m)
  })
})

describe('etcdplan status around a real snapshot migration (1 → 1)', () => {
  const lab = useLabCluster(
    'etcdplan-status-snapshot-',
    async (dir) => {
      const [old, restored] = namedMembers('etcd', await pickLoopbackHosts(2))
      return {name: 'status-snap', dir, strategy: 'snapshot' as const, source: [old!], target: [restored!], timeouts: E2E_TIMEOUTS}
    },
    {start: true},
  )
  let sourceClusterId: string | null = null
  let targetClusterId: string | null = null
  // Some keys: an empty source fails verify-data (the snapshot of an empty store reports revision 0,
  // the member's header revision 1).
  before(() => loadKeys(lab.sourceURLs(), {count: 20, valueBytes: 64, prefix: '/e2e/status/keys/'}))

  it('before: the source serves, the target is "not created yet", exit 0', () => {
    const {json, report, text} = statusOf(lab.specPath, lab.dir)
    assert.equal(json.status, 0, json.stdout)
    assert.deepEqual([report.strategy, report.serving, report.servingReason], ['snapshot', 'source', 'no journal, and the source cluster answers'])
    assert.ok(report.clusters, json.stdout)
    const {source, target} = report.clusters
    assert.deepEqual([source.state, target.state], ['up', 'not-created'])
    assert.deepEqual(rowsOf(source), [['etcd1', 'member', 'healthy']])
    assert.deepEqual(rowsOf(target), [['etcd2', 'not-added', 'unreachable']])
    assert.match(source.clusterId ?? '', /^[0-9a-f]+$/)
    sourceClusterId = source.clusterId
    assert.equal(report.clusterId, sourceClusterId, 'the top level is the serving cluster')

    assert.equal(text.status, 0, text.stdout)
    assert.match(text.stdout, /^Source cluster \(serving: no journal, and the source cluster answers\):$/m)
    assert.match(text.stdout, /^Target cluster: not created yet \(no target member answers: etcd2 http:\/\/[\d.]+:2379\)$/m)
    assert.doesNotMatch(text.stdout, /unreachable|ECONNREFUSED/)
  })

  it('after apply: the target serves under a new cluster ID, the source is "stopped", exit 0', {timeout: 200_000}, async () => {
    const applied = await runCliAsync(['apply', lab.specPath, '--auto-approve'], {cwd: lab.dir, timeoutMs: 150_000})
    assert.equal(applied.status, 0, explain(applied))

    const {json, report, text} = statusOf(lab.specPath, lab.dir)
    assert.equal(json.status, 0, json.stdout)
    assert.deepEqual([report.serving, report.servingReason], ['target', 'the journal is past verify'])
    assert.ok(report.clusters, json.stdout)
    const {source, target} = report.clusters
    assert.deepEqual([source.state, target.state], ['stopped', 'up'])
    assert.deepEqual(rowsOf(target), [['etcd2', 'member', 'healthy']])
    assert.equal(target.leader?.name, 'etcd2')
    assert.match(target.clusterId ?? '', /^[0-9a-f]+$/)
    assert.notEqual(target.clusterId, sourceClusterId, 'the restored cluster has a new cluster ID')
    targetClusterId = target.clusterId

    assert.equal(text.status, 0, text.stdout)
    assert.match(text.stdout, /^Source cluster: stopped \(no source member answers: etcd1 http:\/\/[\d.]+:2379\)$/m)
    assert.match(text.stdout, /^Target cluster \(serving: the journal is past verify\):$/m)
    assert.ok(text.stdout.includes(`Cluster: ${targetClusterId}  Leader: etcd2  Alarms: none`), text.stdout)
    assert.doesNotMatch(text.stdout, /unreachable|ECONNREFUSED/)
  })

  it('with the old member running again: two sections, each with its own cluster ID, leader and members, exit 0', {timeout: 60_000}, async () => {
    const old = lab.spec.source.members[0]!
    // The snapshot migration keeps the old data dir as a fallback and fences only the config (moved to
    // <config>.removed-<time>): moving it back and starting the member brings the old cluster back,
    // beside the new one (removeLab stops it by its pid file).
    const fenced = (await readdir(dirname(old.configFile))).filter((f) => f.startsWith(`${basename(old.configFile)}.removed-`))
    assert.equal(fenced.length, 1, `the fenced config of ${old.name}: ${fenced.join(', ')}`)
    await rename(join(dirname(old.configFile), fenced[0]!), old.configFile)
    await localProvider(lab.spec).start(old, old.configFile)
    assert.match(await waitForHealth(old.clientURL, 15_000), /"health":"true"/, await localProvider(lab.spec).logTail(old, 20))

    const {json, report, text} = statusOf(lab.specPath, lab.dir)
    assert.equal(json.status, 0, json.stdout)
    assert.ok(report.clusters, json.stdout)
    const {source, target} = report.clusters
    assert.deepEqual([source.state, source.serving, target.state, target.serving], ['up', false, 'up', true])
    assert.deepEqual([source.clusterId, target.clusterId], [sourceClusterId, targetClusterId])
    assert.deepEqual([source.leader?.name, target.leader?.name], ['etcd1', 'etcd2'])
    assert.deepEqual(rowsOf(source), [['etcd1', 'member', 'healthy']])
    assert.deepEqual(rowsOf(target), [['etcd2', 'member', 'healthy']])
    assert.deepEqual([report.clusterId, rowsOf(report)], [targetClusterId, [['etcd2', 'member', 'healthy']]])

    assert.equal(text.status, 0, text.stdout)
    const sourceAt = text.stdout.indexOf("Source cluster (not serving: its members' health does not affect the exit code):")
    const targetAt = text.stdout.indexOf('Target cluster (serving: the journal is past verify):')
    assert.ok(sourceAt >= 0 && targetAt > sourceAt, text.stdout)
    assert.ok(text.stdout.slice(sourceAt, targetAt).includes(`Cluster: ${sourceClusterId}  Leader: etcd1  Alarms: none`), text.stdout)
    assert.ok(text.stdout.slice(targetAt).includes(`Cluster: ${targetClusterId}  Leader: etcd2  Alarms: none`), text.stdout)
    assert.doesNotMatch(text.stdout.slice(sourceAt, targetAt), /\| etcd2 /)
    assert.doesNotMatch(text.stdout.slice(targetAt), /\| etcd1 /)
  })
})
