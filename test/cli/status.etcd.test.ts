// `etcdplan status` end to end against a real etcd (Debian's 3.4.23): a spec with one source and one
// target member, only the source running (the state before a migration). The source must show as
// the healthy leader, the target as unreachable, and the exit code must say "reachable but not all
// healthy" (2); with the source stopped too, the table still prints and the exit code is 1.
// The etcd is started and stopped through the local node provider, by its pid, whatever happens.
import {describe, it, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {StatusReport} from '../../src/status/status-report.js'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import {renderEtcdConfig} from '../../src/plan/etcd-config.js'
import {loadSpecFile} from '../../src/spec/load-spec.js'
import type {MemberSpec} from '../../src/spec/types.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {runCli} from '../fixtures/run-cli.js'
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

  it('--json: the running source is the healthy leader, the target is unreachable, exit 2', () => {
    const r = runCli(['status', specPath, '--json'], {cwd: dir})
    assert.equal(r.status, 2, r.stderr + r.stdout)
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
    assert.equal(old1.version, '3.4.23')
    assert.match(old1.id ?? '', /^[0-9a-f]+$/)
    assert.equal(new1.health, 'unreachable')
    assert.equal(new1.role, 'target')
    assert.match(new1.error ?? '', /^connect ECONNREFUSED /)
    assert.deepEqual(report.leader, {id: old1.id, name: 'old1'})
    assert.deepEqual(report.alarms, [])
    assert.equal(report.journal, null)
    assert.equal(r.stderr, '')
  })

  it('text: the etcdctl-style table with the member names, then the cluster and journal lines', () => {
    const r = runCli(['status', specPath], {cwd: dir})
    assert.equal(r.status, 2, r.stderr + r.stdout)
    assert.match(r.stdout, /\|\s+NAME\s+\|\s+ENDPOINT\s+\|\s+ID\s+\|\s+VERSION\s+\|\s+DB SIZE\s+\|\s+LEADER\s+\|\s+LEARNER\s+\|\s+TERM\s+\|\s+RAFT INDEX\s+\|\s+APPLIED INDEX\s+\|\s+HEALTH\s+\|\s+ERRORS\s+\|/)
    assert.match(r.stdout, /^\| old1 .*\| true +\| false +\|.*\| healthy +\|/m)
    assert.match(r.stdout, /^\| new1 .*\| unreachable \|/m)
    assert.match(r.stdout, /^Cluster: [0-9a-f]+ {2}Leader: old1 {2}Alarms: none$/m)
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
    assert.equal(r.status, 2, r.stderr + r.stdout)
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
    assert.deepEqual(report.members.map((m) => [m.name, m.health]), [['old1', 'unreachable'], ['new1', 'unreachable']])
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
