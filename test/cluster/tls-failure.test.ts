// Failed TLS handshakes told in the spec's terms, from the texts node's TLS (via grpc-js) really
// gives against etcd 3.4.23 with client-cert-auth (captured on loopback).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {messageOf} from '../../src/cluster/etcd-failure.js'
import {ETCDCTL_TLS_FLAGS, tlsFailureHint, tlsFailureOf} from '../../src/cluster/tls-failure.js'

const NO_CLIENT_CERT = '807CC4AC6D7F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 42\n'
const WRONG_CA = 'unable to verify the first certificate'
const SAN = "Hostname/IP does not match certificate's altnames: IP: 127.0.77.1 is not in the cert's list: 127.0.77.9"

describe('TLS failures', () => {
  it('a refused client certificate names cluster.tls.cert and key, not OpenSSL', () => {
    const failure = tlsFailureOf(NO_CLIENT_CERT)!
    assert.equal(failure.kind, 'client-certificate-refused')
    assert.match(failure.message, /refused etcdplan's client certificate \(TLS alert 42: bad certificate\)/)
    assert.doesNotMatch(failure.message, /ssl3_read_bytes|rec_layer/)
    assert.match(tlsFailureHint(failure.kind), /cluster\.tls\.cert and cluster\.tls\.key/)
  })
  it('the same failure in the words of etcdctl-like flags (init), and when no client certificate was given', () => {
    assert.match(tlsFailureHint('client-certificate-refused', ETCDCTL_TLS_FLAGS, false), /require a client certificate \(client-cert-auth\) and none was given: set --cert and --key/)
    assert.match(tlsFailureHint('server-not-trusted', ETCDCTL_TLS_FLAGS), /^set --cacert/)
  })
  it('no OpenSSL text in any explanation', () => {
    for (const text of [NO_CLIENT_CERT, WRONG_CA, 'x:SSL routines:ssl3_get_record:wrong version number', 'certificate has expired', SAN]) {
      const failure = tlsFailureOf(text)
      assert.ok(failure !== null, text)
      assert.doesNotMatch(`${failure.message} ${tlsFailureHint(failure.kind)}`, /SSL routines|0A0|ssl3_/)
    }
  })
  it("an untrusted server certificate points at cluster.tls.ca", () => {
    assert.equal(tlsFailureOf(WRONG_CA)?.kind, 'server-not-trusted')
    assert.match(tlsFailureHint('server-not-trusted'), /cluster\.tls\.ca/)
  })
  it("a SAN mismatch says it in Go's words", () => {
    assert.equal(tlsFailureOf(SAN)?.message, "x509: the member's certificate is valid for 127.0.77.9, not 127.0.77.1")
  })
  it('messageOf explains a TLS failure, and explaining twice keeps the kind', () => {
    const explained = messageOf(new Error(`14 UNAVAILABLE: No connection established. Last error: ${NO_CLIENT_CERT} (2026-12-01T15:04:54.309Z)`))
    assert.match(explained, /^TLS: the member refused etcdplan's client certificate/)
    assert.equal(tlsFailureOf(explained)?.kind, 'client-certificate-refused')
  })
  it('other errors are left alone', () => {
    assert.equal(tlsFailureOf('connect ECONNREFUSED 127.0.0.1:2379'), null)
    assert.equal(messageOf(new Error('etcdserver: unhealthy cluster')), 'etcdserver: unhealthy cluster')
  })
})
