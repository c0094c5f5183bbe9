// TLS per member: the cluster's memberTLS / peerTLS with a member's own tls / peerTLS laid over it,
// `{name}` filled in, and the result rendered into the member's config (docs/spec.md "TLS per member").
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parse} from 'yaml'
import {renderEtcdConfig} from '../../src/plan/etcd-config.js'
import {parseSpec} from '../../src/spec/load-spec.js'
import {effectiveMemberTls, memberTlsFiles} from '../../src/spec/member-tls.js'
import type {Spec} from '../../src/spec/types.js'

const SPEC = `apiVersion: etcdplan/v1
kind: Migration
name: tls
cluster:
  token: t
  tls: {ca: certs/ca.pem, cert: certs/etcdplan.pem, key: certs/etcdplan-key.pem}
  memberTLS: {ca: /pki/ca.pem, cert: "/pki/{name}.pem", key: "/pki/{name}-key.pem"}
  peerTLS: {ca: /pki/ca.pem, cert: "/pki/{name}-peer.pem", key: "/pki/{name}-peer-key.pem", clientCertAuth: false}
source:
  members:
    - {name: etcd1, peerURL: https://127.0.1.1:2380, clientURL: https://127.0.1.1:2379}
target:
  members:
    - {name: etcd1, peerURL: https://127.0.1.1:2380, clientURL: https://127.0.1.1:2379}
    - name: etcd4
      peerURL: https://127.0.2.1:2380
      clientURL: https://127.0.2.1:2379
      tls: {cert: /other/etcd4-server.pem, key: /other/etcd4-server-key.pem}
      peerTLS: {clientCertAuth: true}
    - {name: etcd5, peerURL: https://127.0.2.2:2380, clientURL: https://127.0.2.2:2379}
`

function load(text: string): Spec {
  const result = parseSpec(text, 'spec.yaml')
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [])
  return result.spec!
}

describe('TLS per member', () => {
  it('fills {name} and lays the member own section over the cluster one, field by field', () => {
    const spec = load(SPEC)
    const etcd4 = spec.target.members.find((m) => m.name === 'etcd4')!
    const etcd5 = spec.target.members.find((m) => m.name === 'etcd5')!
    assert.deepEqual(etcd4.tls, {ca: '/pki/ca.pem', cert: '/other/etcd4-server.pem', key: '/other/etcd4-server-key.pem', clientCertAuth: true})
    assert.deepEqual(etcd4.peerTLS, {ca: '/pki/ca.pem', cert: '/pki/etcd4-peer.pem', key: '/pki/etcd4-peer-key.pem', clientCertAuth: true})
    assert.deepEqual(etcd5.tls, {ca: '/pki/ca.pem', cert: '/pki/etcd5.pem', key: '/pki/etcd5-key.pem', clientCertAuth: true})
    assert.deepEqual(etcd5.peerTLS, {ca: '/pki/ca.pem', cert: '/pki/etcd5-peer.pem', key: '/pki/etcd5-peer-key.pem', clientCertAuth: false})
  })

  it('renders client- and peer-transport-security with the member own paths', () => {
    const spec = load(SPEC)
    const etcd5 = spec.target.members.find((m) => m.name === 'etcd5')!
    const config = parse(renderEtcdConfig({member: etcd5, spec, initialCluster: 'x=https://127.0.0.1:1', initialClusterState: 'existing'}).content)
    assert.deepEqual(config['client-transport-security'], {'cert-file': '/pki/etcd5.pem', 'key-file': '/pki/etcd5-key.pem', 'trusted-ca-file': '/pki/ca.pem', 'client-cert-auth': true})
    assert.deepEqual(config['peer-transport-security'], {'cert-file': '/pki/etcd5-peer.pem', 'key-file': '/pki/etcd5-peer-key.pem', 'trusted-ca-file': '/pki/ca.pem'})
  })

  it('client-cert-auth follows the CA unless set', () => {
    assert.equal(effectiveMemberTls({cert: 'c', key: 'k'}, undefined, 'a')?.clientCertAuth, false)
    assert.equal(effectiveMemberTls({ca: 'ca'}, undefined, 'a')?.clientCertAuth, true)
    assert.equal(effectiveMemberTls({ca: 'ca'}, {clientCertAuth: false}, 'a')?.clientCertAuth, false)
    assert.equal(effectiveMemberTls(undefined, undefined, 'a'), undefined)
  })

  it('lists the files each member needs on its host, once each', () => {
    const spec = load(SPEC)
    assert.deepEqual(memberTlsFiles(spec.target.members.find((m) => m.name === 'etcd5')!), ['/pki/ca.pem', '/pki/etcd5.pem', '/pki/etcd5-key.pem', '/pki/etcd5-peer.pem', '/pki/etcd5-peer-key.pem'])
  })

  it('a member without any TLS section renders no transport security', () => {
    const spec = load(SPEC.replace(/https/g, 'http').replace(/  tls: .*\n  memberTLS: .*\n  peerTLS: .*\n/, '').replace(/      tls: .*\n      peerTLS: .*\n/, ''))
    const config = parse(renderEtcdConfig({member: spec.target.members[1]!, spec, initialCluster: '', initialClusterState: 'existing'}).content)
    assert.equal(config['client-transport-security'], undefined)
    assert.equal(config['peer-transport-security'], undefined)
  })
})
