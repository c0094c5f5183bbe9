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
  ['server-not-trusted', 'is not signed by cluster.tls.ca'],
  ['server-name-mismatch', "x509: the member's certificate is valid for"],
  ['server-name-mismatch', "the member's certificate does not name the host"],
  ['server-certificate-expired', "the member's certificate has expired"],
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
  if (alert === '42' || alert === '116' || alert === '48' || /alert (bad certificate|certificate required|unknown ca)/i.test(text)) {
    return {
      kind: 'client-certificate-refused',
      message: `the member refused etcdplan's client certificate (TLS alert ${alert ?? '?'}: ${alertName(alert)}): with client-cert-auth it needs cluster.tls.cert and key, signed by a CA the member trusts (its trusted-ca-file)`,
    }
  }
  if (/certificate has expired|CERT_HAS_EXPIRED/i.test(text)) return {kind: 'server-certificate-expired', message: "the member's certificate has expired"}
  const altnames = /Hostname\/IP does not match certificate's altnames: (?:IP|Host): ([^ ]+?)\.? is not (?:in the cert's list|in the cert's altnames): ?(.*)$/m.exec(text)
  if (altnames !== null) {
    const valid = altnames[2]!.replace(/IP Address:|DNS:/g, '').trim()
    // Go's words, which the operator may know from etcd's own logs and etcdctl.
    return {kind: 'server-name-mismatch', message: `x509: the member's certificate is valid for ${valid || 'no host'}, not ${altnames[1]}`}
  }
  if (/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/i.test(text)) return {kind: 'server-name-mismatch', message: "the member's certificate does not name the host in its client URL"}
  if (/unable to verify the first certificate|unable to get local issuer certificate|self[- ]signed certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|certificate signature failure/i.test(text)) {
    return {kind: 'server-not-trusted', message: "the member's certificate is not signed by cluster.tls.ca (x509: certificate signed by unknown authority)"}
  }
  if (/wrong version number|packet length too long|http request/i.test(text)) return {kind: 'not-tls', message: 'the member does not speak TLS at this URL (plain http?)'}
  return null
}

function alertName(alert: string | undefined): string {
  switch (alert) {
    case '42':
      return 'bad certificate'
    case '48':
      return 'unknown certificate authority'
    case '116':
      return 'certificate required'
    default:
      return 'refused'
  }
}

/** What to do about a kind of TLS failure: the spec's setting to change. */
export function tlsFailureHint(kind: TlsFailureKind): string {
  switch (kind) {
    case 'client-certificate-refused':
      return "set cluster.tls.cert and cluster.tls.key to a client certificate signed by the CA in the members' trusted-ca-file (etcdctl's --cert and --key that work against this cluster)"
    case 'server-not-trusted':
      return "set cluster.tls.ca to the CA that signed the members' server certificates (etcdctl's --cacert)"
    case 'server-name-mismatch':
      return "use the host the member's certificate names in its clientURL, or reissue the certificate with a SAN for the host in the URL"
    case 'server-certificate-expired':
      return "renew the member's server certificate; etcd reads it again when it restarts"
    case 'not-tls':
      return 'use http:// for this member and leave cluster.tls out, or check that the URL is its TLS client URL'
  }
}
