// `etcdplan init` against a real 3-member etcd 3.4.23 cluster on loopback, as a user runs it: the
// spec it writes lists exactly the cluster's members (parsed and compared), notes versions and the
// leader, starts with the schema line; the user's edit of the target (uncomment, fill in) makes a spec
// that `validate` accepts and `plan` plans live against the same cluster; a second init without
// --force leaves the file byte for byte, --force replaces it; an endpoint nobody serves exits 1 with
// a clear message and writes nothing. Every etcd is stopped in `after` (useLabCluster), whatever happened.
import {after, describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'yaml'
import {EtcdEndpoints} from '../../src/cluster/etcd-endpoints.js'
import {hexId} from '../../src/cluster/live-cluster.js'
import {observeCluster} from '../../src/cluster/observe-cluster.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers, type LabMember} from '../../lab/migration-spec.js'
import {useLabCluster} from '../fixtures/lab-cluster.js'
import {repoRoot} from '../fixtures/repo-root.js'
import {runCli} from '../fixtures/run-cli.js'
import {tempDir} from '../fixtures/temp-dir.js'

let newMember: LabMember | undefined
const lab = useLabCluster(
  'etcdplan-init-',
  async (dir) => {
    const hosts = await pickLoopbackHosts(4)
    newMember = namedMembers('etcd', hosts.slice(3), 4)[0]
    const members = namedMembers('etcd', hosts.slice(0, 3))
    return {name: 'init-test', dir, source: members, target: members}
  },
  {start: true},
)

const endpoints = new EtcdEndpoints({callTimeoutMs: 2000})
after(() => endpoints.close())

interface WrittenMember {
  name: string
  peerURL: string
  clientURL: string
  host?: string
}

describe('etcdplan init, plain 3-member cluster', () => {
  const work = tempDir('etcdplan-init-out-')
  const spec = join(work, 'etcdplan.yaml')

  it('writes a spec whose source is exactly the cluster, with versions, leader and the schema line', async () => {
    const urls = lab.sourceURLs()
    const r = runCli(['init', '--endpoints', urls[0]!], {cwd: work})
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /Wrote etcdplan\.yaml/)
    const text = readFileSync(spec, 'utf8')
    // The first line: the schema, by absolute path (the file is outside the package), and it exists.
    const first = text.split('\n')[0]!
    assert.equal(first, `# yaml-language-server: $schema=${join(repoRoot, 'schemas', 'spec.schema.json')}`)
    assert.ok(existsSync(first.split('$schema=')[1]!))

    const live = await observeCluster(endpoints, urls, {statusTimeoutMs: 2000})
    const written = parse(text) as {name: string; source: {members: WrittenMember[]}; target: {members: unknown}; nodes: {provider: string}}
    // Member by member, by name: name, first peer URL, first client URL; no host with provider local
    // (every member is on a loopback address here).
    assert.deepEqual(
      written.source.members,
      [...live.members].sort((a, b) => a.name.localeCompare(b.name)).map((m) => ({name: m.name, peerURL: m.peerURLs[0], clientURL: m.clientURLs[0]})),
    )
    assert.deepEqual(written.source.members.map((m) => m.name).sort(), lab.spec.source.members.map((m) => m.name).sort())
    for (const m of lab.spec.source.members) {
      const w = written.source.members.find((x) => x.name === m.name)
      assert.deepEqual(w, {name: m.name, peerURL: m.peerURL, clientURL: m.clientURL})
    }
    assert.equal(written.nodes.provider, 'local')
    assert.equal(written.name, `etcd-${hexId(live.clusterId)}`)
    assert.equal(written.target.members, null, 'the target is a commented stub the user fills in')
    // Each member's comment: its ID, its version, and "leader" on exactly the leader.
    for (const m of live.members) {
      const leader = m.id === live.leaderId ? ', leader' : ''
      assert.ok(text.includes(`# ID ${hexId(m.id)}, etcd 3.4.23${leader}\n    - name: ${m.name}\n`), `${m.name}'s comment:\n${text}`)
    }
    assert.equal(text.match(/, leader\n/g)?.length, 1)
    assert.match(text, /Cluster version: 3\.4 .*3 members found, all etcd 3\.4\.23/)
    assert.ok(text.includes(`# Written by \`etcdplan init\` from the running cluster ${hexId(live.clusterId)}`))
  })

  it("the user's edit of the target validates, and plan works live against the cluster", () => {
    const original = readFileSync(spec, 'utf8')
    const fresh = newMember!
    // What a user does: keep etcd2 and etcd3 (uncomment their lines), add etcd4 (uncomment, fill in its host).
    const edited = original
      .replace(/^ {4}# (- \{name: etcd[23], .*# keep)$/gm, '    $1')
      .replace(/^ {4}# - \{name: etcd4, (.*)$/m, (_line, rest: string) => `    - {name: etcd4, ${rest.replaceAll('<host-of-etcd4>', fresh.host)}`)
    assert.notEqual(edited, original)
    assert.match(edited, /^ {4}- \{name: etcd4, peerURL: http:\/\/[\d.]+:2380, clientURL: http:\/\/[\d.]+:2379\}/m)
    writeFileSync(spec, edited)
    const validated = runCli(['validate', 'etcdplan.yaml'], {cwd: work})
    assert.equal(validated.status, 0, validated.stdout + validated.stderr)
    const planned = runCli(['plan', 'etcdplan.yaml', '--json'], {cwd: work})
    assert.equal(planned.status, 0, planned.stderr)
    const plan = JSON.parse(planned.stdout) as {observation: {mode: string; clusterId: string}; summary: unknown; members: {name: string; action: string}[]}
    assert.equal(plan.observation.mode, 'live')
    assert.deepEqual(plan.summary, {add: 1, change: 1, remove: 1, configRewrites: 1, restarts: 1})
    assert.deepEqual(
      plan.members.map((m) => [m.name, m.action]).sort(),
      [['etcd1', 'remove'], ['etcd2', 'keep'], ['etcd3', 'keep'], ['etcd4', 'add']],
    )
  })

  it('refuses to overwrite without --force (exit 1, file byte-identical); --force replaces it', () => {
    const before = readFileSync(spec)
    const r = runCli(['init', '--endpoints', lab.sourceURLs().join(',')], {cwd: work})
    assert.equal(r.status, 1)
    assert.match(r.stderr, /etcdplan\.yaml already exists; init never overwrites a spec unless told to/)
    assert.match(r.stderr, /--force/)
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
    assert.ok(readFileSync(spec).equals(before), 'the file is untouched')

    const forced = runCli(['init', '--endpoints', lab.sourceURLs().join(','), '--force', '--json'], {cwd: work})
    assert.equal(forced.status, 0, forced.stderr)
    const summary = JSON.parse(forced.stdout) as {file: string; clusterIdHex: string; members: {name: string; version: string; listed: boolean}[]}
    assert.equal(summary.file, 'etcdplan.yaml')
    assert.deepEqual(summary.members.map((m) => [m.name, m.version, m.listed]).sort(), [['etcd1', '3.4.23', true], ['etcd2', '3.4.23', true], ['etcd3', '3.4.23', true]])
    const after = readFileSync(spec, 'utf8')
    assert.notEqual(after, before.toString(), 'the edited spec was replaced')
    assert.equal((parse(after) as {target: {members: unknown}}).target.members, null, 'by a fresh one')
    // Written atomically: no temp file is left beside it.
    assert.deepEqual(readdirSync(work).filter((f) => f.includes('etcdplan.yaml')), ['etcdplan.yaml'])
  })

  it('--provider ssh writes each member\'s host and the ssh defaults; -o names the migration', () => {
    const r = runCli(['init', '--endpoints', lab.sourceURLs()[1]!, '--provider', 'ssh', '-o', 'move-to-rack-b.yaml'], {cwd: work})
    assert.equal(r.status, 0, r.stderr)
    const written = parse(readFileSync(join(work, 'move-to-rack-b.yaml'), 'utf8')) as {name: string; source: {members: WrittenMember[]}; nodes: {provider: string; ssh: unknown}}
    assert.equal(written.name, 'move-to-rack-b')
    assert.equal(written.nodes.provider, 'ssh')
    assert.deepEqual(written.nodes.ssh, {service: 'process'})
    for (const m of written.source.members) assert.equal(m.host, new URL(m.peerURL).hostname)
  })

  it('an endpoint nobody serves: exit 1, a clear message, no file', async () => {
    const [silent] = await pickLoopbackHosts(1)
    const out = join(work, 'nobody.yaml')
    const r = runCli(['init', '--endpoints', `http://${silent}:2379`, '-o', out], {cwd: work})
    assert.equal(r.status, 1)
    assert.match(r.stderr, new RegExp(`cannot reach the cluster: no endpoint answered: http://${silent!.replaceAll('.', '\\.')}:2379 \\(connect ECONNREFUSED`))
    assert.match(r.stderr, /nothing was written/)
    assert.match(r.stderr, /--endpoints names their client URLs/)
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace')
    assert.equal(existsSync(out), false)
  })
})

