import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse as parseYaml} from 'yaml'
import {loadSpecFile, parseSpec} from '../../src/spec/load-spec.js'
import {normaliseSpec} from '../../src/spec/normalise-spec.js'
import type {RawSpec} from '../../src/spec/raw-spec.js'
import type {Spec} from '../../src/spec/types.js'
import {buildSpec, member, members} from '../fixtures/spec-builder.js'
import {specWith} from './spec-text.js'
import {tempDir} from '../fixtures/temp-dir.js'

const REPO = fileURLToPath(new URL('../../../', import.meta.url))
const codes = (text: string) => parseSpec(text, 'spec.yaml').diagnostics.map((d) => d.code)

const m = (name: string, peer: string, client: string): string => `    - {name: ${name}, peerURL: ${peer}, clientURL: ${client}}`

describe('a valid spec', () => {
  it('loads with every default filled in', () => {
    const result = parseSpec(specWith(), 'spec.yaml')
    assert.deepEqual(result.diagnostics, [])
    const expected: Spec = {
      apiVersion: 'etcdplan/v1',
      kind: 'Migration',
      name: 'test',
      strategy: 'join',
      cluster: {},
      source: {members: [member('etcd1', '10.0.1.1'), member('etcd2', '10.0.1.2'), member('etcd3', '10.0.1.3')]},
      target: {members: [member('etcd4', '10.0.2.1'), member('etcd5', '10.0.2.2'), member('etcd6', '10.0.2.3')]},
      join: {learner: true, order: 'add-first', finalState: 'existing', rollingRestart: true, catchUpTolerance: 100},
      snapshot: {from: 'auto', dir: '.etcdplan/test/snapshots'},
      nodes: {provider: 'local', local: {workDir: '.etcdplan/local', etcd: 'etcd'}},
      timeouts: {catchUpMs: 600_000, healthMs: 60_000, stepMs: 120_000},
    }
    assert.deepEqual(result.spec, expected)
    assert.equal(result.specHash?.startsWith('sha256:'), true)
  })

  it('matches what the planner tests build by hand (test/fixtures/spec-builder.ts)', () => {
    const yaml = specWith(
      {
        3: 'name: test-migration',
        6: '    - {name: etcd1, peerURL: http://127.0.1.1:2380, clientURL: http://127.0.1.1:2379}',
        7: '    - {name: etcd2, peerURL: http://127.0.1.2:2380, clientURL: http://127.0.1.2:2379}',
        8: '    - {name: etcd3, peerURL: http://127.0.1.3:2380, clientURL: http://127.0.1.3:2379}',
        11: '    - {name: etcd4, peerURL: http://127.0.2.1:2380, clientURL: http://127.0.2.1:2379}',
        12: '    - {name: etcd5, peerURL: http://127.0.2.2:2380, clientURL: http://127.0.2.2:2379}',
        13: '    - {name: etcd6, peerURL: http://127.0.2.3:2380, clientURL: http://127.0.2.3:2379}',
      },
      'cluster: {token: test-token}\ndns: {name: etcd.test.internal}\n',
    )
    const built = buildSpec({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2)})
    assert.deepEqual(parseSpec(yaml, 'spec.yaml').spec, built)
  })

  it('keeps what the spec sets, and defaults dns.verify and dns.switch', () => {
    const yaml = specWith(
      {11: '    - name: etcd4\n      peerURL: https://[fd00::1]:2380\n      clientURL: http://10.0.2.1:2379\n      config: {quota-backend-bytes: 8589934592, listen-peer-urls: "https://[::]:2380"}'},
      [
        'strategy: join',
        'cluster:',
        '  token: prod',
        '  peerTLS: {ca: ca.pem, cert: peer.pem, key: peer-key.pem}',
        'join: {learner: false, order: one-for-one, finalState: new, rollingRestart: false, catchUpTolerance: 0}',
        'snapshot: {from: etcd2, dir: /var/backups/etcd}',
        'dns: {name: etcd.example.internal}',
        'nodes: {provider: local, local: {workDir: /srv/etcdplan, etcd: /opt/etcd/etcd}}',
        'timeouts: {catchUp: 1h30m, health: 500ms, step: 1.5s}',
        '',
      ].join('\n'),
    ).replace(/http:\/\/(10\.0\.\d\.\d):2380/g, 'https://$1:2380')
    const result = parseSpec(yaml, 'spec.yaml')
    assert.deepEqual(result.diagnostics, [])
    const spec = result.spec!
    assert.deepEqual(spec.cluster, {token: 'prod', peerTLS: {ca: 'ca.pem', cert: 'peer.pem', key: 'peer-key.pem'}})
    assert.deepEqual(spec.join, {learner: false, order: 'one-for-one', finalState: 'new', rollingRestart: false, catchUpTolerance: 0})
    assert.deepEqual(spec.snapshot, {from: 'etcd2', dir: '/var/backups/etcd'})
    assert.deepEqual(spec.dns, {name: 'etcd.example.internal', switch: {via: 'manual'}, verify: true})
    assert.deepEqual(spec.timeouts, {catchUpMs: 5_400_000, healthMs: 500, stepMs: 1500})
    const etcd4 = spec.target.members[0]!
    assert.equal(etcd4.host, 'fd00::1', 'the peerURL host without IPv6 brackets')
    assert.equal(etcd4.dataDir, '/srv/etcdplan/etcd4/data')
    assert.equal(etcd4.configFile, '/srv/etcdplan/etcd4/etcd.yaml')
    assert.deepEqual(etcd4.config, {'quota-backend-bytes': 8589934592, 'listen-peer-urls': 'https://[::]:2380'})
    assert.deepEqual(spec.nodes, {provider: 'local', local: {workDir: '/srv/etcdplan', etcd: '/opt/etcd/etcd'}})
  })

  it('gives the providers on real hosts their own default paths, and local settings all the same', () => {
    const raw = parseYaml(specWith({}, 'nodes: {provider: ssh}\n')) as RawSpec
    const spec = normaliseSpec(raw)
    assert.equal(spec.target.members[0]!.dataDir, '/var/lib/etcd/etcd4')
    assert.equal(spec.target.members[0]!.configFile, '/etc/etcd/etcd4.yaml')
    assert.equal(spec.nodes.local.workDir, '.etcdplan/local')
    assert.deepEqual(spec.nodes.ssh, {sudo: false, service: 'process', unit: 'etcd-{name}.service', etcd: 'etcd', dataDir: '/var/lib/etcd/{name}', configFile: '/etc/etcd/{name}.yaml', runDir: '/var/lib/etcdplan/{name}', snapshotDir: '/var/lib/etcdplan/snapshots'})
  })

  it('fills nodes.ssh path templates per member; a member\'s own paths and etcd win', () => {
    const spec = parseSpec(specWith({11: m('etcd4', 'http://10.0.2.1:2380', 'http://10.0.2.1:2379').replace('}', ', host: etcd-b, dataDir: /data/etcd4, etcd: /opt/etcd-v3.5/etcd}')}, 'nodes:\n  provider: ssh\n  ssh: {user: deploy, port: 2222, sudo: true, service: systemd, dataDir: "/srv/etcd/{name}/data", configFile: "/srv/etcd/{name}.conf"}\n'), 'spec.yaml')
    assert.deepEqual(spec.diagnostics.filter((d) => d.severity === 'error'), [])
    const [etcd4, etcd5] = spec.spec!.target.members
    assert.deepEqual([etcd4!.host, etcd4!.dataDir, etcd4!.configFile, etcd4!.etcd], ['etcd-b', '/data/etcd4', '/srv/etcd/etcd4.conf', '/opt/etcd-v3.5/etcd'])
    assert.deepEqual([etcd5!.host, etcd5!.dataDir, etcd5!.configFile, etcd5!.etcd], ['10.0.2.2', '/srv/etcd/etcd5/data', '/srv/etcd/etcd5.conf', undefined])
    assert.equal(spec.spec!.nodes.ssh!.user, 'deploy')
    assert.equal(spec.spec!.nodes.ssh!.sudo, true)
  })

  it('reads dns.switch.rfc2136 with its TTL default, and dns.resolver', () => {
    const spec = parseSpec(specWith({}, 'dns:\n  name: etcd.internal\n  resolver: 198.18.0.53:5353\n  switch: {via: rfc2136, rfc2136: {server: 198.18.0.53, zone: internal, keyFile: /etc/etcdplan/tsig.key}}\n'), 'spec.yaml')
    assert.deepEqual(spec.diagnostics.filter((d) => d.severity === 'error'), [])
    assert.deepEqual(spec.spec!.dns, {name: 'etcd.internal', switch: {via: 'rfc2136', rfc2136: {server: '198.18.0.53', zone: 'internal', keyFile: '/etc/etcdplan/tsig.key', ttl: 30}}, verify: true, resolver: '198.18.0.53:5353'})
  })

  it('derives member paths from nodes.local.workDir, as written', () => {
    const spec = parseSpec(specWith({}, 'nodes: {local: {workDir: /srv/etcdplan/}}\n'), 'spec.yaml').spec!
    assert.equal(spec.target.members[0]!.dataDir, '/srv/etcdplan/etcd4/data')
    assert.equal(spec.target.members[0]!.configFile, '/srv/etcdplan/etcd4/etcd.yaml')
  })

  it('accepts a kept member with the same URLs in both lists', () => {
    const yaml = specWith({11: '    - {name: etcd1, peerURL: http://10.0.1.1:2380, clientURL: http://10.0.1.1:2379}'})
    assert.deepEqual(codes(yaml), [])
  })

  it('is frozen', () => {
    const spec = parseSpec(specWith(), 'spec.yaml').spec!
    assert.ok(Object.isFrozen(spec) && Object.isFrozen(spec.target.members[0]) && Object.isFrozen(spec.join))
  })

  it('plans/runbook.yaml validates with no errors and no warnings', async () => {
    const result = await loadSpecFile(join(REPO, 'plans/runbook.yaml'))
    assert.deepEqual(result.diagnostics, [])
    const spec = result.spec!
    assert.deepEqual(spec.source.members.map((m) => [m.name, m.peerURL, m.clientURL]), [
      ['etcd1', 'http://127.0.1.1:2380', 'http://127.0.1.1:2379'],
      ['etcd2', 'http://127.0.1.2:2380', 'http://127.0.1.2:2379'],
      ['etcd3', 'http://127.0.1.3:2380', 'http://127.0.1.3:2379'],
    ])
    assert.deepEqual(spec.target.members.map((m) => m.name), ['etcd4', 'etcd5', 'etcd6'])
    assert.equal(spec.target.members[2]!.clientURL, 'http://127.0.2.3:2379')
    assert.equal(spec.cluster.token, 'runbook-etcd')
    assert.equal(spec.strategy, 'join')
    assert.equal(spec.join.order, 'add-first')
    assert.equal(spec.join.learner, true)
    assert.deepEqual(spec.dns, {name: 'etcd.runbook.internal', switch: {via: 'manual'}, verify: true})
    assert.equal(spec.nodes.provider, 'local')
  })
})

describe('reporting', () => {
  it('reports every problem in one pass, schema and semantic together, sorted by position', () => {
    const yaml = specWith(
      {
        3: 'name: Test',
        6: '    - {name: etcd1, peerUrl: http://10.0.1.1:2380, clientURL: http://10.0.1.1:2379}',
        7: '    - not-a-member',
        11: '    - {name: etcd4, peerURL: http://0.0.0.0:2380, clientURL: http://10.0.2.1:2379}',
        12: '    - {name: etcd4, peerURL: http://10.0.2.2:2380, clientURL: http://10.0.2.2:2379, config: {name: x}}',
        13: '    - {name: etcd6, peerURL: http://10.0.1.3:2380, clientURL: http://10.0.2.3:2379}',
      },
      'join: {learner: "no"}\ntimeouts: {step: 2 minutes}\nsnapshot: {from: etcd7}\n',
    )
    const result = parseSpec(yaml, 'spec.yaml')
    assert.equal(result.spec, null)
    assert.deepEqual(
      result.diagnostics.map((d) => `${d.line} ${d.code}`),
      [
        '3 invalid-name',
        '6 unknown-key',
        '7 wrong-type',
        '11 unspecified-address',
        '12 duplicate-name',
        '12 managed-config-key',
        '13 duplicate-peer-url',
        '14 wrong-type',
        '15 invalid-duration',
        '16 unknown-member',
      ],
    )
    const sorted = [...result.diagnostics].sort((a, b) => a.line - b.line || a.col - b.col)
    assert.deepEqual(result.diagnostics, sorted)
  })

  it('checks the other members when one member entry is malformed', () => {
    const yaml = specWith({
      11: '    - [etcd4]',
      12: '    - {name: etcd5, peerURL: http://10.0.2.2:2380, clientURL: 42}',
      13: '    - {name: etcd6, peerURL: http://10.0.2.2:2380, clientURL: http://10.0.2.3:2379}',
    })
    assert.deepEqual(codes(yaml), ['wrong-type', 'invalid-url', 'duplicate-peer-url'])
  })

  it('keeps the spec when there are only warnings', () => {
    const result = parseSpec(specWith({13: ''}), 'spec.yaml')
    assert.deepEqual(result.diagnostics.map((d) => [d.severity, d.code]), [['warning', 'small-target']])
    assert.notEqual(result.spec, null)
    assert.notEqual(result.specHash, null)
  })

  it('does not report "missing peerURL" for a member whose peerURL is misspelt', () => {
    const yaml = specWith({11: '    - {name: etcd4, peer_url: http://10.0.2.1:2380, clientURL: http://10.0.2.1:2379}'})
    assert.deepEqual(codes(yaml), ['unknown-key'])
  })

  it('says where a key belongs when it is in the wrong section', () => {
    const [d] = parseSpec(specWith({}, 'members: []\n'), 'spec.yaml').diagnostics
    assert.equal(d?.hint, '"members" belongs in source or target')
  })

  it('reports duplicate keys but still checks the rest', () => {
    const yaml = specWith({}, 'join:\n  learner: true\n  learner: maybe\n')
    assert.deepEqual(codes(yaml), ['duplicate-key', 'wrong-type'])
  })

  it('gives each diagnostic its JSON path', () => {
    const [d] = parseSpec(specWith({12: '    - {name: etcd5, peerURL: http://10.0.2.2, clientURL: http://10.0.2.2:2379}'}), 'spec.yaml').diagnostics
    assert.deepEqual(d?.path, ['target', 'members', 1, 'peerURL'])
  })

  it('counts columns from the first character after a byte-order mark', () => {
    const [d] = parseSpec(`\uFEFF${specWith({1: 'apiVersion: v1'})}`, 'spec.yaml').diagnostics
    assert.deepEqual([d?.line, d?.col], [1, 13])
  })

  it('refuses a spec that expands too many aliases', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)
    assert.deepEqual(codes(lines.join('\n')), ['yaml-syntax'])
  })
})

describe('specHash', () => {
  const block = specWith({}, 'join:\n  learner: true\n  order: add-first\n')
  it('does not change with key order, comments, flow or block style, or defaults written out', () => {
    const reordered = [
      '# the same migration, written differently',
      'kind: Migration   # always Migration',
      'target:',
      '  members:',
      '    - name: etcd4',
      '      clientURL: http://10.0.2.1:2379',
      '      peerURL: http://10.0.2.1:2380',
      '    - {clientURL: http://10.0.2.2:2379, name: etcd5, peerURL: http://10.0.2.2:2380}',
      '    - {peerURL: http://10.0.2.3:2380, name: etcd6, clientURL: http://10.0.2.3:2379}',
      'join: {order: add-first, learner: true, catchUpTolerance: 100}',
      'name: test',
      'apiVersion: etcdplan/v1',
      'source:',
      '  members:',
      '    - {name: etcd1, peerURL: http://10.0.1.1:2380, clientURL: http://10.0.1.1:2379}',
      '    - {name: etcd2, peerURL: http://10.0.1.2:2380, clientURL: http://10.0.1.2:2379}',
      '    - {name: etcd3, peerURL: http://10.0.1.3:2380, clientURL: http://10.0.1.3:2379}',
      'timeouts: {catchUp: 600s}',
      '',
    ].join('\n')
    const a = parseSpec(block, 'a.yaml')
    const b = parseSpec(reordered, 'b.yaml')
    assert.deepEqual(b.diagnostics, [])
    assert.equal(a.specHash, b.specHash)
    assert.equal(a.specHash, parseSpec(specWith(), 'c.yaml').specHash)
  })

  it('changes when the meaning changes', () => {
    assert.notEqual(parseSpec(block, 'a.yaml').specHash, parseSpec(block.replace('learner: true', 'learner: false'), 'a.yaml').specHash)
    assert.notEqual(parseSpec(specWith(), 'a.yaml').specHash, parseSpec(specWith({}, 'timeouts: {step: 3m}\n'), 'a.yaml').specHash)
  })
})

describe('locate', () => {
  const yaml = specWith({12: '    - name: etcd5\n      peerURL: http://10.0.2.2:2380\n      clientURL: http://10.0.2.2:2379'}, 'join:\n  learner: true\n')
  const {locate} = parseSpec(yaml, 'spec.yaml')

  it('finds values in block and flow style', () => {
    assert.deepEqual(locate(['target', 'members', 1, 'peerURL']), {line: 13, col: 16})
    assert.deepEqual(locate(['target', 'members', 0, 'clientURL']), {line: 11, col: 63})
    assert.deepEqual(locate(['target', 'members', 1]), {line: 12, col: 7})
    assert.deepEqual(locate(['join', 'learner']), {line: 17, col: 12})
    assert.deepEqual(locate(['apiVersion']), {line: 1, col: 13})
  })

  it('falls back to the nearest existing ancestor', () => {
    assert.deepEqual(locate(['join', 'order']), {line: 17, col: 3})
    assert.deepEqual(locate(['target', 'members', 7, 'name']), {line: 11, col: 5})
    assert.deepEqual(locate(['dns', 'name']), {line: 1, col: 1})
    assert.deepEqual(locate([]), {line: 1, col: 1})
  })

  it('works for specs with errors, and for empty ones', () => {
    assert.deepEqual(parseSpec(specWith({3: 'name: A'}), 'x').locate(['name']), {line: 3, col: 7})
    assert.deepEqual(parseSpec('', 'x').locate(['name']), {line: 1, col: 1})
  })
})

describe('loadSpecFile', () => {
  it('reports a missing file as a diagnostic, not a throw', async () => {
    const result = await loadSpecFile('/nonexistent/etcdplan.yaml')
    assert.equal(result.spec, null)
    assert.equal(result.specHash, null)
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.file, d.line, d.col]), [['file-unreadable', '/nonexistent/etcdplan.yaml', 1, 1]])
    assert.match(result.diagnostics[0]!.message, /no such file/)
    assert.match(result.diagnostics[0]!.hint ?? '', /check the path/)
    assert.deepEqual(result.locate(['name']), {line: 1, col: 1})
  })

  it('reports a directory as unreadable', async () => {
    const dir = tempDir('etcdplan-spec-')
    const result = await loadSpecFile(dir)
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['file-unreadable'])
    assert.match(result.diagnostics[0]!.message, /directory/)
  })

  it('reads and checks a file, naming it in diagnostics', async () => {
    const dir = tempDir('etcdplan-spec-')
    const file = join(dir, 'etcdplan.yaml')
    await writeFile(file, specWith({3: 'name: Bad'}))
    const result = await loadSpecFile(file)
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.file, d.line]), [['invalid-name', file, 3]])
  })
})
