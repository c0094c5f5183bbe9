// What a failed TLS handshake with a member means, in the words of the spec. Node's TLS (through
// grpc-js) reports OpenSSL's internals — `...:ssl3_read_bytes:sslv3 alert bad certificate:...:SSL
// alert number 42` — which says neither who refused whom nor which file to fix. The alerts a member
// sends come from Go's crypto/tls on etcd's side (RFC 8446 §6.2): with client-cert-auth, a missing
// client certificate is `certificate required` (116, TLS 1.3) or `bad certificate` (42, TLS 1.2 and
// Go's answer to a certificate it cannot verify), an unknown issuer `unknown certificate authority`
// (48). The rest are node's own checks of the member's certificate against cluster.tls.ca.

export type TlsFailureKind =
  /** The member refused etcdplan's client certificate (or its absence). */
  | 'client-certificate-refused'
  /** The member's certificate is not signed by cluster.tls.ca. */
  | 'server-not-trusted'
  /** The member's certificate does not name the host etcdplan dialled. */
  | 'server-name-mismatch'
  | 'server-certificate-expired'
  /** TLS spoken to a member that serves plain http. */
  | 'not-tls'

export interface TlsFailure {
  readonly kind: TlsFailureKind
  /** One sentence for the operator, without OpenSSL's internals. */
  readonly message: string
}

const ALERT = /alert number (\d+)/i

/** A phrase only each kind's own message holds. */
const OWN_WORDS: ReadonlyArray<readonly [TlsFailureKind, string]> = [
  ['client-certificate-refused', "the member refused etcdplan's client certificate"],
  ['server-not-trusted', 'is not signed by the CA etcdplan was given'],
  ['server-name-mismatch', "x509: the member's certificate is valid for"],
  ['server-name-mismatch', "the member's certificate does not name the host"],
  ['server-certificate-expired', "the member's certificate has expired"],
  ['server-certificate-expired', "the member's certificate is not valid yet"],
  ['not-tls', 'the member does not speak TLS at this URL'],
]

/**
 * The TLS failure in an error text, or null when it is not one. Idempotent: the message of a failure
 * is recognised as the same failure, so a text already explained (by messageOf) keeps its kind.
 */
export function tlsFailureOf(text: string): TlsFailure | null {
  const ours = OWN_WORDS.find(([, words]) => text.includes(words))
  if (ours !== undefined) return {kind: ours[0], message: text.replace(/^TLS: /, '')}
  const alert = ALERT.exec(text)?.[1]
  if (alert === '40' || alert === '42' || alert === '46' || alert === '48' || alert === '116' || /alert (bad certificate|certificate required|unknown ca|certificate unknown|handshake failure)/i.test(text)) {
    return {
      kind: 'client-certificate-refused',
      message: `the member refused etcdplan's client certificate (TLS alert ${alert ?? '?'}: ${alertName(alert)}): with client-cert-auth it requires one signed by a CA it trusts (its trusted-ca-file)`,
    }
  }
  if (/certificate has expired|CERT_HAS_EXPIRED/i.test(text)) return {kind: 'server-certificate-expired', message: "the member's certificate has expired"}
  if (/certificate is not yet valid|CERT_NOT_YET_VALID/i.test(text)) return {kind: 'server-certificate-expired', message: "the member's certificate is not valid yet (check this machine's clock)"}
  const altnames = /Hostname\/IP does not match certificate's altnames: (?:IP|Host): ([^ ]+?)\.? is not (?:in the cert's list|in the cert's altnames): ?(.*)$/m.exec(text)
  if (altnames !== null) {
    const valid = altnames[2]!.replace(/IP Address:|DNS:/g, '').trim()
    // Go's words, which the operator may know from etcd's own logs and etcdctl.
    return {kind: 'server-name-mismatch', message: `x509: the member's certificate is valid for ${valid || 'no host'}, not ${altnames[1]}`}
  }
  if (/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/i.test(text)) return {kind: 'server-name-mismatch', message: "the member's certificate does not name the host in its client URL"}
  if (/unable to verify the first certificate|unable to get local issuer certificate|self[- ]signed certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|certificate signature failure/i.test(text)) {
    return {kind: 'server-not-trusted', message: "the member's certificate is not signed by the CA etcdplan was given (x509: certificate signed by unknown authority)"}
  }
  if (/wrong version number|packet length too long|http request/i.test(text)) return {kind: 'not-tls', message: 'the member does not speak TLS at this URL (plain http?)'}
  return null
}

function alertName(alert: string | undefined): string {
  switch (alert) {
    case '40':
      return 'handshake failure'
    case '42':
      return 'bad certificate'
    case '46':
      return 'certificate unknown'
    case '48':
      return 'unknown certificate authority'
    case '116':
      return 'certificate required'
    default:
      return 'refused'
  }
}

/** Where the user sets etcdplan's TLS client identity: the spec's settings, or etcdctl-like flags. */
export interface TlsSettingNames {
  readonly ca: string
  readonly certAndKey: string
}

export const SPEC_TLS_SETTINGS: TlsSettingNames = {ca: 'cluster.tls.ca', certAndKey: 'cluster.tls.cert and cluster.tls.key'}
export const ETCDCTL_TLS_FLAGS: TlsSettingNames = {ca: '--cacert', certAndKey: '--cert and --key'}

/** What to do about a kind of TLS failure, naming the setting to change. */
export function tlsFailureHint(kind: TlsFailureKind, names: TlsSettingNames = SPEC_TLS_SETTINGS, clientCertificateGiven = true): string {
  switch (kind) {
    case 'client-certificate-refused':
      return clientCertificateGiven
        ? `set ${names.certAndKey} to a client certificate signed by the CA in the members' trusted-ca-file, with extended key usage clientAuth (the ones etcdctl uses against this cluster)`
        : `the members require a client certificate (client-cert-auth) and none was given: set ${names.certAndKey} to one signed by the CA in their trusted-ca-file`
    case 'server-not-trusted':
      return `set ${names.ca} to the CA that signed the members' server certificates (their cert-file)`
    case 'server-name-mismatch':
      return "use the host the member's certificate names in its client URL, or reissue the certificate with a SAN for the host in the URL"
    case 'server-certificate-expired':
      return "renew the member's server certificate (or check this machine's clock); etcd reads it again when it restarts"
    case 'not-tls':
      return `use http:// for this member and leave ${names.ca} out, or check that the URL is its TLS client URL`
  }
}
