// What a rendered config asks of its host: every `*-file` value at any depth (the transport-security
// sections included) and every listen URL, client first, each once.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {filesNamedByConfig} from '../../src/plan/config-named-files.js'
import {listenAddress, listenURLsOfConfig} from '../../src/plan/config-listen-urls.js'
import {renderEtcdConfig} from '../../src/plan/etcd-config.js'
import {buildSpec, member, members} from '../fixtures/spec-builder.js'

describe('filesNamedByConfig', () => {
  it('collects every -file value, nested sections included, each once, in order', () => {
    const yaml = [
      'name: etcd4',
      'data-dir: /data/etcd4',
      'peer-transport-security:',
      '  cert-file: /pki/peer.pem',
      '  key-file: /pki/peer-key.pem',
      '  trusted-ca-file: /pki/ca.pem',
      '  client-cert-auth: true',
      'client-transport-security:',
      '  cert-file: /pki/server.pem',
      '  key-file: /pki/server-key.pem',
      '  trusted-ca-file: /pki/ca.pem',
      '  crl-file: ""',
      'experimental-foo-file: rel/path.txt',
    ].join('\n')
    assert.deepEqual(filesNamedByConfig(yaml), ['/pki/peer.pem', '/pki/peer-key.pem', '/pki/ca.pem', '/pki/server.pem', '/pki/server-key.pem', 'rel/path.txt'])
  })

  it("finds the files of a config etcdplan renders from the member's peer certificate and a member extra", () => {
    const spec = buildSpec({source: members('etcd', 1, 3, 1), target: members('etcd', 4, 6, 2), dns: false})
    const withExtra = {...member('etcd4', '127.0.2.1'), peerTLS: {ca: 'ca.pem', cert: 'p.pem', key: 'p-key.pem', clientCertAuth: true}, config: {'client-transport-security': {'cert-file': 's.pem', 'key-file': 's-key.pem'}}}
    const {content} = renderEtcdConfig({member: withExtra, spec, initialCluster: '', initialClusterState: 'existing'})
    assert.deepEqual(filesNamedByConfig(content), ['p.pem', 'p-key.pem', 'ca.pem', 's.pem', 's-key.pem'])
  })

  it('names none for a config without files, or one that is not YAML', () => {
    assert.deepEqual(filesNamedByConfig('name: etcd4\n'), [])
    assert.deepEqual(filesNamedByConfig('a: [\n'), [])
  })
})

describe('listenURLsOfConfig', () => {
  it('lists client, peer and metrics URLs, comma lists split, unix sockets left out', () => {
    const yaml = 'listen-peer-urls: http://127.0.2.1:2380\nlisten-client-urls: http://127.0.2.1:2379,http://127.0.0.1:2379, unix://s.sock\nlisten-metrics-urls: http://127.0.2.1:2381\n'
    assert.deepEqual(listenURLsOfConfig(yaml), ['http://127.0.2.1:2379', 'http://127.0.0.1:2379', 'http://127.0.2.1:2380', 'http://127.0.2.1:2381'])
  })

  it('host:port of a URL, the scheme default port when it names none', () => {
    assert.equal(listenAddress('http://127.0.2.1:2379'), '127.0.2.1:2379')
    assert.equal(listenAddress('https://etcd4.internal'), 'etcd4.internal:443')
  })
})
