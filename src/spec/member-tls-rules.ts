// A member etcdplan starts must be able to serve the URLs it advertises: etcd reads its certificate
// and key only when it starts, which is after `member add`, and refuses an https URL without both
// (v3.4.23; the same in 3.5):
// - peer: `cannot listen on TLS for HOST:PORT: KeyFile and CertFile are not presented`
//   (pkg/transport/listener_tls.go), e.g. with a CA-only cluster.peerTLS;
// - client: `TLS key/cert (--cert-file, --key-file) must be provided for client url URL with HTTPS
//   scheme` (embed/etcd.go configureClientListeners).
// The peer certificate comes from cluster.peerTLS with the member's own peerTLS over it (rendered as
// peer-transport-security); the server certificate from cluster.memberTLS with the member's own tls
// over it (client-transport-security), or from the member's config extras when neither is set
// (docs/spec.md). Only members whose config etcdplan renders are checked: target members that are
// not also source members (strategy snapshot: every target member).
import type {DiagnosticCollector} from './diagnostic-collector.js'
import {memberLabel, type MemberEntry} from './member-entries.js'
import {isRecord, recordAt, stringAt, type RawRecord} from './raw-spec.js'
import type {SpecPath} from './spec-path.js'
import type {Strategy} from './types.js'

export function checkRenderedTls(raw: unknown, source: readonly MemberEntry[], target: readonly MemberEntry[], strategy: Strategy | undefined, out: DiagnosticCollector): void {
  const sourceNames = new Set(source.map((m) => m.name))
  const rendered = strategy === 'snapshot' ? target : target.filter((m) => !sourceNames.has(m.name))
  const cluster = recordAt(raw, 'cluster')
  // Without cluster.tls an https client URL is a tls-scheme-mismatch already.
  const clientTLS = isRecord(cluster['tls'])
  for (const entry of rendered) {
    const peerURL = stringAt(entry.raw, 'peerURL')
    const peer = mergedSection(cluster['peerTLS'], entry.raw['peerTLS'])
    // Without any peer certificate an https peer URL is a tls-scheme-mismatch; with only one of cert and key, incomplete-tls.
    if (peerURL?.startsWith('https://') && peer !== undefined && peer['cert'] === undefined && peer['key'] === undefined) {
      out.error({
        code: 'tls-missing-certificate',
        path: [...entry.path, 'peerURL'],
        message: `peerURL ${peerURL} of ${memberLabel(entry)} uses https, but its peer TLS (cluster.peerTLS${isRecord(entry.raw['peerTLS']) ? ' and its own peerTLS' : ''}) has no cert and key, so the config etcdplan writes for it has none: etcd would refuse to start it, after it was added (\`cannot listen on TLS for ${hostPort(peerURL)}: KeyFile and CertFile are not presented\`)`,
        hint: "add cert and key to cluster.peerTLS ({name} stands for the member's name) or to the member's own peerTLS: its peer certificate and private key (PEM files on the member's host)",
      })
    }
    const clientURL = stringAt(entry.raw, 'clientURL')
    const server = mergedSection(cluster['memberTLS'], entry.raw['tls'])
    const serverHasPair = server !== undefined ? server['cert'] !== undefined && server['key'] !== undefined : hasCertAndKey(recordAt(entry.raw, 'config')['client-transport-security'])
    // A pair with one half missing is incomplete-tls; here only the case of neither.
    const serverHasAny = server !== undefined && (server['cert'] !== undefined || server['key'] !== undefined)
    if (clientURL?.startsWith('https://') && clientTLS && !serverHasPair && !serverHasAny) {
      out.error({
        code: 'tls-missing-certificate',
        path: [...entry.path, 'clientURL'],
        message: `clientURL ${clientURL} of ${memberLabel(entry)} uses https, but it has no server certificate (cluster.memberTLS, its own tls) with cert and key, so the config etcdplan writes for it has none: etcd would refuse to start it, after it was added (\`TLS key/cert (--cert-file, --key-file) must be provided for client url ${clientURL} with HTTPS scheme\`)`,
        hint: "set cluster.memberTLS: each member's server certificate on its host, e.g. {ca: /etc/etcd/pki/ca.pem, cert: /etc/etcd/pki/{name}.pem, key: /etc/etcd/pki/{name}-key.pem} ({name} stands for the member's name), or give the member its own tls",
      })
    }
  }
}

/**
 * cert and key go together, in every TLS section; a member's own section may take the other half
 * from the cluster's (they are laid over each other field by field, src/spec/member-tls.ts).
 */
export function checkTlsPairs(raw: unknown, members: readonly MemberEntry[], out: DiagnosticCollector): void {
  const cluster = recordAt(raw, 'cluster')
  for (const setting of ['tls', 'memberTLS', 'peerTLS']) {
    const section = cluster[setting]
    if (isRecord(section)) reportHalfPair(section, ['cluster', setting], `cluster.${setting}`, out)
  }
  for (const entry of members) {
    for (const [own, clusterSetting] of [['tls', 'memberTLS'], ['peerTLS', 'peerTLS']] as const) {
      const section = entry.raw[own]
      if (!isRecord(section)) continue
      const merged = mergedSection(cluster[clusterSetting], section)!
      // The cluster's own half-pair is reported at the cluster's section.
      if ((merged['cert'] === undefined) === (merged['key'] === undefined)) continue
      reportHalfPair(section, [...entry.path, own], `the ${own} of ${memberLabel(entry)}`, out)
    }
  }
}

function reportHalfPair(section: RawRecord, path: SpecPath, label: string, out: DiagnosticCollector): void {
  const hasCert = section['cert'] !== undefined
  const hasKey = section['key'] !== undefined
  if (hasCert === hasKey) return
  const [present, missing] = hasCert ? ['cert', 'key'] : ['key', 'cert']
  out.error({
    code: 'incomplete-tls',
    path: [...path, present],
    message: `${label} has ${present} but no ${missing}`,
    hint: `cert and key go together: add ${missing} (the PEM file of the ${missing === 'key' ? "certificate's private key" : 'certificate for this key'}) or remove ${present}`,
  })
}

/** The cluster's section with the member's over it, as the normaliser does; undefined when neither is a mapping. */
function mergedSection(cluster: unknown, own: unknown): RawRecord | undefined {
  if (!isRecord(cluster) && !isRecord(own)) return undefined
  return {...(isRecord(cluster) ? cluster : {}), ...(isRecord(own) ? own : {})}
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
