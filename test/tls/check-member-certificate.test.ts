// The certificate checker against real certificates made by openssl at run time (lab/test-pki.ts):
// each mistake etcd would find only at start or at the first connection is named here with the
// member, the file and the fix, and a good certificate passes.
import assert from 'node:assert/strict'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {before, describe, it} from 'node:test'
import {checkMemberCertificate, type CertificateCheckInput, type PemFile} from '../../src/tls/check-member-certificate.js'
import {tempDir} from '../fixtures/temp-dir.js'
import {issueCert, makeCa, makeTestPki, type TestPki} from '../fixtures/test-pki.js'

let pki: TestPki
let dir: string

async function pem(path: string): Promise<PemFile> {
  return {path, text: await readFile(path, 'utf8')}
}

async function check(overrides: Partial<CertificateCheckInput> & {cert?: PemFile; key?: PemFile}): Promise<ReturnType<typeof checkMemberCertificate>> {
  return checkMemberCertificate({
    member: 'etcd4',
    listener: 'server',
    urls: ['https://127.0.2.1:2379'],
    ca: await pem(pki.ca),
    cert: await pem(pki.server('etcd4').cert),
    key: await pem(pki.server('etcd4').key),
    clientCertAuth: true,
    // Now, not the time the file was loaded: openssl dates a certificate from the second it issues it.
    now: new Date(),
    ...overrides,
  })
}

describe('checkMemberCertificate', () => {
  before(async () => {
    dir = tempDir('etcdplan-certcheck-')
    pki = await makeTestPki(dir, [
      {name: 'etcd4', hosts: ['127.0.2.1', 'etcd4.test']},
      {name: 'other', hosts: ['127.0.2.9']},
    ])
  })

  it('passes a certificate issued by the CA, for the URL host, with its own key', async () => {
    assert.deepEqual(await check({}), [])
    assert.deepEqual(await check({urls: ['https://etcd4.test:2379']}), [])
    assert.deepEqual(await check({listener: 'peer', urls: ['https://127.0.2.1:2380'], cert: await pem(pki.peer('etcd4').cert), key: await pem(pki.peer('etcd4').key)}), [])
  })

  it("names a SAN mismatch in etcd's own words: valid for X, not Y", async () => {
    const [finding, ...rest] = await check({cert: await pem(pki.server('other').cert), key: await pem(pki.server('other').key)})
    assert.deepEqual(rest, [])
    assert.equal(finding!.severity, 'error')
    assert.equal(finding!.file, pki.server('other').cert)
    assert.equal(finding!.problem, `etcd4's server certificate ${pki.server('other').cert} is valid for 127.0.2.9, not 127.0.2.1 (the host of its clientURL https://127.0.2.1:2379)`)
    assert.equal(finding!.fix, 'reissue it with a SAN for 127.0.2.1')
  })

  it('never takes the common name for a SAN (Go ignores it)', async () => {
    const bare = await issueCert(dir, 'bare', {commonName: '127.0.2.1', ca: {cert: pki.ca, key: pki.caKey}})
    const findings = await check({cert: await pem(bare.cert), key: await pem(bare.key)})
    assert.equal(findings.length, 1)
    assert.match(findings[0]!.problem, /has no subject alternative names, so it is valid for no host, not 127\.0\.2\.1/)
  })

  it("refuses the key of another certificate, without showing the key", async () => {
    const key = await pem(pki.server('other').key)
    const findings = await check({key})
    assert.equal(findings.length, 1)
    assert.equal(findings[0]!.file, pki.server('other').key)
    assert.match(findings[0]!.problem, /key .* does not match .*etcd4\.pem \(etcd: `tls: private key does not match public key`\)/)
    assert.ok(!JSON.stringify(findings).includes('PRIVATE KEY'))
  })

  it('refuses a certificate of a foreign CA', async () => {
    const foreignDir = tempDir('etcdplan-foreign-ca-')
    const foreign = await makeCa(foreignDir, 'foreign', 'some other CA')
    const cert = await issueCert(foreignDir, 'etcd4', {commonName: 'etcd4', hosts: ['127.0.2.1'], ca: foreign})
    const findings = await check({cert: await pem(cert.cert), key: await pem(cert.key)})
    assert.equal(findings.length, 1)
    assert.match(findings[0]!.problem, new RegExp(`is not issued by the CA in ${pki.ca} \\(issuer "CN=some other CA"; etcd: \`x509: certificate signed by unknown authority\`\\)`))
  })

  it('accepts a CA file holding a bundle with the issuer after another CA', async () => {
    const foreign = await makeCa(tempDir('etcdplan-bundle-'), 'foreign', 'some other CA')
    const bundle = join(dir, 'bundle.pem')
    await writeFile(bundle, (await readFile(foreign.cert, 'utf8')) + (await readFile(pki.ca, 'utf8')))
    assert.deepEqual(await check({ca: await pem(bundle)}), [])
  })

  it('names a missing file, and one that is not PEM', async () => {
    const missing = await check({cert: {path: '/etc/etcd/pki/etcd4.pem', error: 'no such file'}})
    assert.equal(missing.length, 1)
    assert.equal(missing[0]!.problem, "etcd4's server certificate /etc/etcd/pki/etcd4.pem cannot be read: no such file")
    assert.match(missing[0]!.fix, /put it on etcd4's host/)
    const garbled = await check({key: {path: '/k.pem', text: 'not a key'}, ca: {path: '/ca.pem', text: 'nothing'}})
    assert.deepEqual(garbled.map((f) => f.file), ['/ca.pem', '/k.pem'])
    assert.match(garbled[1]!.problem, /is not a PEM private key/)
  })

  it('warns under 30 days, and refuses an expired certificate', async () => {
    const soon = await issueCert(dir, 'soon', {commonName: 'etcd4', hosts: ['127.0.2.1'], days: 10, ca: {cert: pki.ca, key: pki.caKey}})
    const findings = await check({cert: await pem(soon.cert), key: await pem(soon.key)})
    assert.equal(findings.length, 1, JSON.stringify(findings))
    assert.equal(findings[0]!.severity, 'warning')
    assert.match(findings[0]!.problem, /expires in (9|10) days/)
    const later = new Date(Date.now() + 11 * 86_400_000)
    const expired = await check({cert: await pem(soon.cert), key: await pem(soon.key), now: later})
    assert.equal(expired[0]!.severity, 'error')
    assert.match(expired[0]!.problem, /expired on .* \(etcd: `x509: certificate has expired or is not yet valid`\)/)
    const early = await check({cert: await pem(soon.cert), key: await pem(soon.key), now: new Date(Date.now() - 86_400_000)})
    assert.match(early[0]!.problem, /is not valid yet: valid from /)
  })

  it('refuses a peer certificate without clientAuth when peers check client certificates', async () => {
    const serverOnly = await issueCert(dir, 'server-only', {commonName: 'etcd4', hosts: ['127.0.2.1'], extendedKeyUsage: 'serverAuth', ca: {cert: pki.ca, key: pki.caKey}})
    const peer = {listener: 'peer' as const, urls: ['https://127.0.2.1:2380'], cert: await pem(serverOnly.cert), key: await pem(serverOnly.key)}
    const findings = await check(peer)
    assert.equal(findings.length, 1)
    assert.match(findings[0]!.problem, /does not allow TLS client use \(its extended key usage lacks clientAuth\)/)
    assert.deepEqual(await check({...peer, clientCertAuth: false}), [])
    // No extended key usage at all: Go allows any use.
    const noEku = await issueCert(dir, 'no-eku', {commonName: 'etcd4', hosts: ['127.0.2.1'], extendedKeyUsage: '', ca: {cert: pki.ca, key: pki.caKey}})
    assert.deepEqual(await check({...peer, cert: await pem(noEku.cert), key: await pem(noEku.key)}), [])
  })
})
