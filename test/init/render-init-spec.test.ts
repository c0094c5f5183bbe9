// The spec `init` writes, from a found cluster (no etcd needed): for every provider, the user's edit
// of the target (remove "# ", fill in the placeholders) gives a spec that loads with no errors, and
// as written the only error points at target.members; learners, unstarted members and extra URLs are
// explained in comments and unstarted members are left out of source.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {parse} from 'yaml'
import type {FoundCluster, FoundMember} from '../../src/init/read-live-source.js'
import {newNames, renderInitSpec} from '../../src/init/render-init-spec.js'
import {parseSpec} from '../../src/spec/load-spec.js'
import type {NodeProviderName} from '../../src/spec/types.js'

function member(n: number, extra: Partial<FoundMember> = {}): FoundMember {
  return {
    id: String(1000 + n),
    hexId: (1000 + n).toString(16),
    name: `etcd${n}`,
    peerURLs: [`http://10.0.1.${n}:2380`],
    clientURLs: [`http://10.0.1.${n}:2379`],
    isLearner: false,
    started: true,
    version: '3.4.23',
    isLeader: n === 2,
    statusError: null,
    ...extra,
  }
}

const three: FoundCluster = {clusterId: '123', clusterIdHex: '7b', clusterVersion: '3.4', members: [member(3), member(1), member(2)], answeredBy: 'http://10.0.1.1:2379'}

function render(cluster: FoundCluster, provider: NodeProviderName): string {
  return renderInitSpec({cluster, name: 'move', provider, schemaLine: '# yaml-language-server: $schema=../schemas/spec.schema.json', file: 'etcdplan.yaml'})
}

/** The user's edit: keep every source member, add the first new one on 10.0.2.1. */
function fillTarget(text: string): string {
  return text.replace(/^ {4}# (- \{.*# keep)$/gm, '    $1').replace(/^ {4}# (- \{name: etcd4, .*)$/m, (_l, entry: string) => `    ${entry.replaceAll('<host-of-etcd4>', '10.0.2.1')}`)
}

function errors(text: string) {
  return parseSpec(text, 'etcdplan.yaml').diagnostics.filter((d) => d.severity === 'error')
}

describe('renderInitSpec', () => {
  for (const provider of ['local', 'ssh', 'exec', 'manual'] as const) {
    it(`provider ${provider}: as written only target.members is refused; once filled in, no errors`, () => {
      const text = render(three, provider)
      assert.equal(text.split('\n')[0], '# yaml-language-server: $schema=../schemas/spec.schema.json')
      const before = errors(text)
      assert.deepEqual(before.map((d) => d.path.join('.')), ['target.members'], before.map((d) => d.message).join('\n'))
      const filled = fillTarget(text)
      assert.deepEqual(errors(filled).map((d) => `${d.line}:${d.col} ${d.message}`), [])
      const spec = parseSpec(filled, 'etcdplan.yaml').spec!
      assert.equal(spec.nodes.provider, provider)
      assert.deepEqual(spec.source.members.map((m) => m.name), ['etcd1', 'etcd2', 'etcd3'], 'by name')
      assert.deepEqual(spec.target.members.map((m) => m.name), ['etcd1', 'etcd2', 'etcd3', 'etcd4'])
      const raw = parse(filled) as {source: {members: {host?: string}[]}}
      assert.deepEqual(raw.source.members.map((m) => m.host), provider === 'local' ? [undefined, undefined, undefined] : ['10.0.1.1', '10.0.1.2', '10.0.1.3'])
    })
  }

  it('a placeholder left unfilled is refused at its line', () => {
    const text = render(three, 'ssh').replace(/^ {4}# (- \{.*)$/gm, '    $1')
    const found = errors(text)
    assert.ok(found.length > 0)
    assert.ok(found.every((d) => /<host-of-etcd[456]>/.test(d.message)), found.map((d) => d.message).join('\n'))
  })

  it('exec: the placeholder commands validate and say they must be edited', () => {
    const text = render(three, 'exec')
    assert.match(text, /writeConfig: \[edit-me-write-config\]/)
    assert.match(text, /placeholders: validate accepts them, apply would fail to run them/)
  })

  it('notes versions, the leader, learners, extra URLs; leaves unstarted members out with what to do', () => {
    const cluster: FoundCluster = {
      ...three,
      members: [
        member(1, {peerURLs: ['http://10.0.1.1:2380', 'http://10.9.0.1:2380'], clientURLs: ['http://10.0.1.1:2379', 'http://10.9.0.1:2379']}),
        member(2),
        member(3, {isLearner: true, version: null, statusError: 'connect ECONNREFUSED 10.0.1.3:2379'}),
        member(9, {name: '', started: false, clientURLs: [], version: null, isLeader: false}),
      ],
    }
    const text = render(cluster, 'ssh')
    assert.match(text, /# ID 3ea, etcd 3\.4\.23, leader\n {4}- name: etcd2\n/)
    assert.match(text, /# ID 3eb, did not answer Status \(connect ECONNREFUSED 10\.0\.1\.3:2379\)\n/)
    assert.match(text, /# A LEARNER: not a voter yet .*\n.*etcdctl member promote 3eb/)
    assert.match(text, /# more peer URLs it advertises: http:\/\/10\.9\.0\.1:2380\n/)
    assert.match(text, /# more client URLs it advertises: http:\/\/10\.9\.0\.1:2379\n/)
    assert.match(text, /# NOT LISTED: members the cluster has added but that never started[^]*ID 3f1, peer URL http:\/\/10\.0\.1\.9:2380[^]*etcdctl member remove ID/)
    assert.match(text, /3 members found, etcd 3\.4\.23, 1 did not tell its version/)
    const raw = parse(fillTarget(text)) as {source: {members: {name: string; peerURL: string}[]}}
    assert.deepEqual(raw.source.members.map((m) => [m.name, m.peerURL]), [['etcd1', 'http://10.0.1.1:2380'], ['etcd2', 'http://10.0.1.2:2380'], ['etcd3', 'http://10.0.1.3:2380']])
    assert.deepEqual(errors(fillTarget(text)).map((d) => d.message), [])
  })

  it('https members: cluster.tls, memberTLS and peerTLS; once filled in, no errors', () => {
    const https = (n: number) => member(n, {peerURLs: [`https://10.0.1.${n}:2380`], clientURLs: [`https://10.0.1.${n}:2379`]})
    const cluster: FoundCluster = {...three, members: [https(1), https(2), https(3)]}
    const text = renderInitSpec({cluster, name: 'move', provider: 'ssh', tls: {ca: '/pki/ca.pem', cert: '/pki/me.pem', key: '/pki/me-key.pem'}, schemaLine: '# x', file: 'etcdplan.yaml'})
    const raw = parse(text) as {cluster: Record<string, unknown>}
    assert.deepEqual(Object.keys(raw.cluster), ['tls', 'memberTLS', 'peerTLS'])
    assert.match(text, /https:\/\/<host-of-etcd4>:2380/)
    assert.deepEqual(errors(fillTarget(text)).map((d) => `${d.line}:${d.col} ${d.message}`), [])
  })

  it('no cluster section when there is nothing to set (a null one would be refused)', () => {
    const raw = parse(render(three, 'local')) as Record<string, unknown>
    assert.equal('cluster' in raw, false)
  })
})

describe('newNames', () => {
  it('continues the numbering of the source names', () => assert.deepEqual(newNames(['etcd1', 'etcd2', 'etcd3'], 3), ['etcd4', 'etcd5', 'etcd6']))
  it('skips names that are taken', () => assert.deepEqual(newNames(['node10', 'node2'], 2), ['node11', 'node12']))
  it('new1.. when names share no numbered prefix', () => assert.deepEqual(newNames(['alpha', 'beta'], 2), ['new1', 'new2']))
})
