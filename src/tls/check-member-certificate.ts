// Checks one member's certificate for one listener (server: client-transport-security, peer:
// peer-transport-security) from the PEM texts etcd will read, before etcdplan changes anything: etcd
// itself finds a bad certificate only when the member starts (after `member add`), or worse, only when
// a peer or client dials it (`x509: certificate is valid for X, not Y`, `certificate signed by unknown
// authority`, `tls: private key does not match public key`), when the member is already counted.
//
// What etcd (Go's crypto/tls and crypto/x509) demands, checked here in the same terms:
// - the files exist, parse, and the key is the certificate's (tls.X509KeyPair);
// - the certificate (with the intermediates that follow it in its file, leaf first) leads to a
//   certificate of the CA file (trusted-ca-file, a bundle may hold several);
// - it is valid now; it expires in under 30 days is a warning (the member would run, for a while);
// - its SANs cover the host of every URL the member advertises on that listener: Go checks the IP or
//   DNS SANs only and never falls back to the subject's CN (Go 1.15+), so neither do we;
// - an extended key usage, when present, allows serverAuth; a peer certificate is also the client
//   certificate the member dials its peers with, so with peer client-cert-auth it needs clientAuth.
//
// Pure: no file is read here (the caller reads them where etcd will, through the node provider).
// Private key text is used only to derive its public key; it never appears in a finding.
import {createPrivateKey, createPublicKey, X509Certificate, type KeyObject} from 'node:crypto'
import {isIP} from 'node:net'

/** A file as read on the host (or on the apply machine): its text, or why it could not be read. */
export type PemFile = {readonly path: string; readonly text: string} | {readonly path: string; readonly error: string}

export type CertificateListener = 'server' | 'peer'

export interface CertificateCheckInput {
  readonly member: string
  readonly listener: CertificateListener
  /** The URLs the member advertises on this listener (its clientURL for the server certificate, its peerURL for the peer one). */
  readonly urls: readonly string[]
  readonly ca?: PemFile
  readonly cert?: PemFile
  readonly key?: PemFile
  /** client-cert-auth (peer-client-cert-auth) on this listener. */
  readonly clientCertAuth: boolean
  readonly now: Date
  /** What to do about a file that cannot be read, when the files are not read on the member's host (distribute: on the apply machine). */
  readonly unreadableFix?: string
}

export interface CertificateFinding {
  readonly severity: 'error' | 'warning'
  readonly member: string
  /** The file the finding is about (a path on the member's host, or on the apply machine for distribute). */
  readonly file: string
  /** What is wrong, naming the member and the file. */
  readonly problem: string
  /** What to do about it. */
  readonly fix: string
}

/** Under this many days left, a certificate is a warning: the member runs, but not for long. */
export const EXPIRY_WARNING_DAYS = 30
const DAY_MS = 86_400_000
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1'
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2'
const ANY_USAGE = '2.5.29.37.0'
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

export function checkMemberCertificate(input: CertificateCheckInput): CertificateFinding[] {
  const findings: CertificateFinding[] = []
  const {member} = input
  const what = input.listener === 'server' ? 'server certificate' : 'peer certificate'
  const section = input.listener === 'server' ? 'cluster.memberTLS (or its tls)' : 'cluster.peerTLS (or its peerTLS)'
  const error = (file: string, problem: string, fix: string): void => void findings.push({severity: 'error', member, file, problem, fix})
  /** The file's text; null (and a finding) when it could not be read. */
  const textOf = (role: string, file: PemFile | undefined): string | null => {
    if (file === undefined) return null
    if ('text' in file) return file.text
    error(file.path, `${member}'s ${role} ${file.path} cannot be read: ${file.error}`, input.unreadableFix ?? `put it on ${member}'s host, readable by the user etcd runs as, or correct the path in ${section} and plan again`)
    return null
  }

  // The CA file: every certificate it holds is trusted (a bundle: roots and intermediates alike, as Go's CertPool).
  let cas: X509Certificate[] | null = null
  const caText = textOf(`CA file (${input.listener === 'server' ? 'trusted-ca-file' : 'peer trusted-ca-file'})`, input.ca)
  if (input.ca !== undefined && caText !== null) {
    cas = parseCertificates(caText)
    if (cas === null) error(input.ca.path, `${member}'s CA file ${input.ca.path} holds no PEM certificate (etcd: \`failed to append certificates\`)`, `put the CA certificate (PEM, -----BEGIN CERTIFICATE-----) there`)
  }

  let chain: X509Certificate[] | null = null
  const certText = textOf(what, input.cert)
  if (input.cert !== undefined && certText !== null) {
    chain = parseCertificates(certText)
    if (chain === null) error(input.cert.path, `${member}'s ${what} ${input.cert.path} holds no PEM certificate`, `put ${member}'s ${what} there (PEM, leaf first, then any intermediates)`)
  }

  let key: KeyObject | null = null
  const keyText = textOf(`${what} key`, input.key)
  if (input.key !== undefined && keyText !== null) {
    key = privateKeyOf(keyText)
    // Never the key's text, nor the parser's message about it: only that it is not a key.
    if (key === null) error(input.key.path, `${member}'s ${what} key ${input.key.path} is not a PEM private key`, `put the private key of ${input.cert?.path ?? `${member}'s ${what}`} there (PEM, unencrypted: etcd cannot ask for a passphrase)`)
  }

  if (chain === null || input.cert === undefined) return findings
  const certPath = input.cert.path
  const leaf = chain[0]!

  if (key !== null && input.key !== undefined && !samePublicKey(createPublicKey(key), leaf.publicKey)) {
    error(input.key.path, `${member}'s ${what} key ${input.key.path} does not match ${certPath} (etcd: \`tls: private key does not match public key\`)`, `put the key ${certPath} was issued for at ${input.key.path}, or reissue the certificate for this key`)
  }

  const notBefore = new Date(leaf.validFrom)
  const notAfter = new Date(leaf.validTo)
  if (input.now.getTime() < notBefore.getTime()) {
    error(certPath, `${member}'s ${what} ${certPath} is not valid yet: valid from ${notBefore.toISOString()} (etcd: \`x509: certificate has expired or is not yet valid\`)`, `check the clock of the machine that issued it and of ${member}'s host, or reissue it`)
  } else if (input.now.getTime() > notAfter.getTime()) {
    error(certPath, `${member}'s ${what} ${certPath} expired on ${notAfter.toISOString()} (etcd: \`x509: certificate has expired or is not yet valid\`)`, `reissue it, then plan again`)
  } else {
    const days = Math.floor((notAfter.getTime() - input.now.getTime()) / DAY_MS)
    if (days < EXPIRY_WARNING_DAYS) {
      findings.push({severity: 'warning', member, file: certPath, problem: `${member}'s ${what} ${certPath} expires in ${days} ${days === 1 ? 'day' : 'days'}, on ${notAfter.toISOString()}`, fix: `reissue it soon: once it expires, ${input.listener === 'server' ? 'clients' : 'its peers'} cannot connect to ${member}`})
    }
  }

  if (cas !== null && input.ca !== undefined && !leadsTo(chain, cas)) {
    error(certPath, `${member}'s ${what} ${certPath} is not issued by the CA in ${input.ca.path} (issuer ${JSON.stringify(leaf.issuer.replace(/\n/g, ', '))}; etcd: \`x509: certificate signed by unknown authority\`)`, `reissue it with the CA in ${input.ca.path}, put the intermediates after it in ${certPath}, or point the CA file at the CA that issued it`)
  }

  for (const url of input.urls) {
    const host = hostOf(url)
    if (host === null || covers(leaf, host)) continue
    const valid = sanList(leaf)
    const urlName = input.listener === 'server' ? 'clientURL' : 'peerURL'
    error(
      certPath,
      valid === ''
        ? `${member}'s ${what} ${certPath} has no subject alternative names, so it is valid for no host, not ${host} (the host of its ${urlName} ${url}; etcd ignores the common name)`
        : `${member}'s ${what} ${certPath} is valid for ${valid}, not ${host} (the host of its ${urlName} ${url})`,
      `reissue it with a SAN for ${host}`,
    )
  }

  const usages = extendedKeyUsages(leaf)
  if (usages !== null && !usages.includes(ANY_USAGE)) {
    if (!usages.includes(SERVER_AUTH)) {
      error(certPath, `${member}'s ${what} ${certPath} does not allow TLS server use (its extended key usage lacks serverAuth; etcd: \`x509: certificate specifies an incompatible key usage\`)`, `reissue it with extendedKeyUsage serverAuth${input.listener === 'peer' ? ', clientAuth' : ''}`)
    }
    if (input.listener === 'peer' && input.clientCertAuth && !usages.includes(CLIENT_AUTH)) {
      // A member dials its peers with its peer certificate; with peer-client-cert-auth they check it as a client certificate.
      error(certPath, `${member}'s peer certificate ${certPath} does not allow TLS client use (its extended key usage lacks clientAuth), but with peer client-cert-auth its peers check it as the client certificate ${member} dials them with (etcd: \`tls: bad certificate\`)`, `reissue it with extendedKeyUsage serverAuth, clientAuth`)
    }
  }
  return findings
}

/** The certificates of a PEM text, in order; null when it holds none or one does not parse. */
function parseCertificates(text: string): X509Certificate[] | null {
  const blocks = text.match(PEM_CERT) ?? []
  if (blocks.length === 0) return null
  try {
    return blocks.map((b) => new X509Certificate(b))
  } catch {
    return null
  }
}

function privateKeyOf(text: string): KeyObject | null {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return null
  try {
    return createPrivateKey({key: text, format: 'pem'})
  } catch {
    return null
  }
}

function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return a.export({type: 'spki', format: 'der'}).equals(b.export({type: 'spki', format: 'der'}))
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey)
}

/** Whether the leaf, through the intermediates after it in its file, was issued by a certificate of the CA file. */
function leadsTo(chain: readonly X509Certificate[], cas: readonly X509Certificate[]): boolean {
  let current = chain[0]!
  const intermediates = chain.slice(1)
  for (let hop = 0; hop <= intermediates.length; hop++) {
    if (cas.some((ca) => ca.raw.equals(current.raw) || issuedBy(current, ca))) return true
    const next = intermediates.find((i) => issuedBy(current, i))
    if (next === undefined) return false
    current = next
  }
  return false
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1')
  } catch {
    return null
  }
}

function covers(cert: X509Certificate, host: string): boolean {
  // subject 'never': Go verifies against the SANs only (no CN fallback since Go 1.15).
  return isIP(host) !== 0 ? cert.checkIP(host) !== undefined : cert.checkHost(host, {subject: 'never'}) !== undefined
}

/** The SANs as Go lists them in `certificate is valid for ...`: DNS names, then IP addresses. */
function sanList(cert: X509Certificate): string {
  const entries = (cert.subjectAltName ?? '').split(', ').filter((e) => e !== '')
  const dns = entries.filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4))
  const ips = entries.filter((e) => e.startsWith('IP Address:')).map((e) => e.slice('IP Address:'.length))
  return [...dns, ...ips].join(', ')
}

/** The extended key usage OIDs; null when the certificate has no such extension (then any use is allowed). */
function extendedKeyUsages(cert: X509Certificate): string[] | null {
  const usages = cert.keyUsage as string[] | undefined
  return usages === undefined || usages.length === 0 ? null : usages
}
