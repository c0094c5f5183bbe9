// A member etcdplan starts must be able to serve the URLs it advertises: etcd reads its certificate
// and key only when it starts, which is after `member add`, and refuses an https URL without both
// (v3.4.23; the same in 3.5):
// - peer: `cannot listen on TLS for HOST:PORT: KeyFile and CertFile are not presented`
//   (pkg/transport/listener_tls.go), e.g. with a CA-only cluster.peerTLS;
// - client: `TLS key/cert (--cert-file, --key-file) must be provided for client url URL with HTTPS
//   scheme` (embed/etcd.go configureClientListeners).
// The peer certificate comes from cluster.peerTLS (rendered as peer-transport-security); the client
// one only from the member's config extras (client-transport-security) until memberTLS exists
// (docs/spec.md). Only members whose config etcdplan renders are checked: target members that are
// not also source members (strategy snapshot: every target member).
import type {DiagnosticCollector} from './diagnostic-collector.js'
import {memberLabel, type MemberEntry} from './member-entries.js'
import {isRecord, recordAt, stringAt} from './raw-spec.js'
import type {Strategy} from './types.js'

export function checkRenderedTls(raw: unknown, source: readonly MemberEntry[], target: readonly MemberEntry[], strategy: Strategy | undefined, out: DiagnosticCollector): void {
  const sourceNames = new Set(source.map((m) => m.name))
  const rendered = strategy === 'snapshot' ? target : target.filter((m) => !sourceNames.has(m.name))
  const peerTLS = recordAt(raw, 'cluster')['peerTLS']
  // Without cluster.tls an https client URL is a tls-scheme-mismatch already.
  const clientTLS = isRecord(recordAt(raw, 'cluster')['tls'])
  for (const entry of rendered) {
    const peerURL = stringAt(entry.raw, 'peerURL')
    // Without cluster.peerTLS an https peer URL is a tls-scheme-mismatch; with only one of cert and key, incomplete-tls.
    if (peerURL?.startsWith('https://') && isRecord(peerTLS) && peerTLS['cert'] === undefined && peerTLS['key'] === undefined) {
      out.error({
        code: 'tls-missing-certificate',
        path: [...entry.path, 'peerURL'],
        message: `peerURL ${peerURL} of ${memberLabel(entry)} uses https, but cluster.peerTLS has no cert and key, so the config etcdplan writes for it has none: etcd would refuse to start it, after it was added (\`cannot listen on TLS for ${hostPort(peerURL)}: KeyFile and CertFile are not presented\`)`,
        hint: "add cert and key to cluster.peerTLS: the member's peer certificate and its private key (PEM files on the member's host)",
      })
    }
    const clientURL = stringAt(entry.raw, 'clientURL')
    if (clientURL?.startsWith('https://') && clientTLS && !hasCertAndKey(recordAt(entry.raw, 'config')['client-transport-security'])) {
      out.error({
        code: 'tls-missing-certificate',
        path: [...entry.path, 'clientURL'],
        message: `clientURL ${clientURL} of ${memberLabel(entry)} uses https, but its config has no client-transport-security with cert-file and key-file: etcd would refuse to start it, after it was added (\`TLS key/cert (--cert-file, --key-file) must be provided for client url ${clientURL} with HTTPS scheme\`)`,
        hint: `add the member's server certificate to its config (paths on its host), e.g. config: {client-transport-security: {cert-file: /etc/etcd/pki/${entry.name ?? 'member'}.pem, key-file: /etc/etcd/pki/${entry.name ?? 'member'}-key.pem}}`,
      })
    }
  }
}

function hasCertAndKey(section: unknown): boolean {
  return isRecord(section) && typeof section['cert-file'] === 'string' && section['cert-file'] !== '' && typeof section['key-file'] === 'string' && section['key-file'] !== ''
}

function hostPort(url: string): string {
  try {
    const {hostname, port} = new URL(url)
    return `${hostname}:${port || '443'}`
  } catch {
    return url
  }
}
