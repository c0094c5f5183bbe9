// Rules about members' advertised URLs: each is a usable etcd URL, reachable (not 0.0.0.0), uses the
// scheme the TLS settings call for, and no two members share an address — except a kept member, which
// appears in both lists with the same URLs by design.
import type {DiagnosticCollector} from './diagnostic-collector.js'
import {memberLabel, type MemberEntry} from './member-entries.js'
import {isUnspecifiedHost, parseMemberUrl, type MemberUrl} from './member-url.js'
import {isRecord, recordAt, stringAt} from './raw-spec.js'
import type {Strategy} from './types.js'

type UrlField = 'peerURL' | 'clientURL'

interface ParsedUrl {
  readonly entry: MemberEntry
  readonly field: UrlField
  readonly text: string
  readonly url: MemberUrl
}

export function checkMemberUrls(raw: unknown, members: readonly MemberEntry[], strategy: Strategy | undefined, out: DiagnosticCollector): void {
  const cluster = recordAt(raw, 'cluster')
  const parsed: ParsedUrl[] = []
  for (const entry of members) {
    for (const field of ['peerURL', 'clientURL'] as const) {
      const text = stringAt(entry.raw, field)
      if (text === undefined) continue // missing or not a string: a schema error
      const result = parseMemberUrl(text)
      if (!result.ok) {
        out.error({code: 'invalid-url', path: [...entry.path, field], message: `${field} "${text}" of ${memberLabel(entry)} ${result.problem}`, hint: result.hint})
        continue
      }
      parsed.push({entry, field, text, url: result.url})
      checkReachable(parsed[parsed.length - 1]!, out)
    }
  }
  checkSchemes(parsed.filter((p) => p.field === 'peerURL'), 'peerTLS', cluster['peerTLS'], out)
  checkSchemes(parsed.filter((p) => p.field === 'clientURL'), 'tls', cluster['tls'], out)
  checkServerCertificateScheme(parsed.filter((p) => p.field === 'clientURL'), cluster['memberTLS'], out)
  checkUnique(parsed.filter((p) => p.field === 'peerURL'), 'peer', strategy, out)
  checkUnique(parsed.filter((p) => p.field === 'clientURL'), 'client', strategy, out)
  checkPeerNotClient(parsed, out)
}

function checkReachable(p: ParsedUrl, out: DiagnosticCollector): void {
  if (!isUnspecifiedHost(p.url.host)) return
  out.error({
    code: 'unspecified-address',
    path: [...p.entry.path, p.field],
    message: `${p.field} ${p.text} of ${memberLabel(p.entry)} advertises ${p.url.host}, an address nobody can connect to`,
    hint: `advertise an address other members and clients can reach; listen on ${p.url.host} via the member's config listen-${p.field === 'peerURL' ? 'peer' : 'client'}-urls if needed`,
  })
}

/**
 * https iff TLS is configured: cluster.tls (etcdplan's own client certificate) for client URLs; for
 * peer URLs the member's peer certificate, from cluster.peerTLS or its own peerTLS. When every URL
 * disagrees, the cluster setting (or its absence) is the likely mistake: one diagnostic says so
 * instead of one per member.
 */
function checkSchemes(urls: readonly ParsedUrl[], setting: 'tls' | 'peerTLS', value: unknown, out: DiagnosticCollector): void {
  // A TLS block of the wrong type has its own schema error; guessing its intent would only add noise.
  if (value !== undefined && !isRecord(value)) return
  const clusterTls = value !== undefined
  const kind = setting === 'peerTLS' ? 'peer' : 'client'
  // Only a peer certificate can be a member's own; etcdplan's client certificate is one for all.
  const ownTls = (p: ParsedUrl): boolean => setting === 'peerTLS' && isRecord(p.entry.raw['peerTLS'])
  const hasTls = (p: ParsedUrl): boolean => clusterTls || ownTls(p)
  const wrong = urls.filter((p) => hasTls(p) !== (p.url.scheme === 'https'))
  const fix = (tls: boolean): string =>
    tls
      ? `use https:// for every ${kind} URL, or remove cluster.${setting}${setting === 'peerTLS' ? " (and the members' own peerTLS)" : ''}`
      : setting === 'peerTLS'
        ? "set cluster.peerTLS (each member's peer certificate on its host: ca, cert, key; {name} stands for the member's name) or the member's own peerTLS, or use http://"
        : "set cluster.tls (etcdplan's own client identity: ca, and cert and key if members require client certificates), or use http://"
  if (wrong.length > 1 && wrong.length === urls.length && !urls.some(ownTls)) {
    out.error({
      code: 'tls-scheme-mismatch',
      path: clusterTls ? ['cluster', setting] : [...wrong[0]!.entry.path, wrong[0]!.field],
      message: clusterTls ? `cluster.${setting} is set but all ${urls.length} ${kind} URLs use http` : `all ${urls.length} ${kind} URLs use https but cluster.${setting} is not set`,
      hint: fix(clusterTls),
    })
    return
  }
  for (const p of wrong) {
    const tls = hasTls(p)
    const which = ownTls(p) && !clusterTls ? `${memberLabel(p.entry)} has its own peerTLS` : `cluster.${setting} is set`
    out.error({
      code: 'tls-scheme-mismatch',
      path: [...p.entry.path, p.field],
      message: tls
        ? `${p.field} ${p.text} of ${memberLabel(p.entry)} uses http but ${which}`
        : `${p.field} ${p.text} of ${memberLabel(p.entry)} uses https but ${setting === 'peerTLS' ? 'neither cluster.peerTLS nor its own peerTLS is set' : `cluster.${setting} is not set`}`,
      hint: fix(tls),
    })
  }
}

/**
 * A server certificate (cluster.memberTLS or a member's tls) serves https only: with an http clientURL
 * etcd would never use it. When every client URL is http, cluster.memberTLS is the likely mistake.
 */
function checkServerCertificateScheme(urls: readonly ParsedUrl[], memberTls: unknown, out: DiagnosticCollector): void {
  const own = (p: ParsedUrl): boolean => isRecord(p.entry.raw['tls'])
  const wrong = urls.filter((p) => p.url.scheme !== 'https' && (own(p) || isRecord(memberTls)))
  if (wrong.length > 1 && wrong.length === urls.length && !urls.some(own)) {
    out.error({
      code: 'tls-scheme-mismatch',
      path: ['cluster', 'memberTLS'],
      message: `cluster.memberTLS is set but all ${urls.length} client URLs use http`,
      hint: 'use https:// for every client URL (with cluster.tls, etcdplan\'s own client identity), or remove cluster.memberTLS',
    })
    return
  }
  for (const p of wrong) {
    out.error({
      code: 'tls-scheme-mismatch',
      path: own(p) ? [...p.entry.path, 'tls'] : [...p.entry.path, 'clientURL'],
      message: `${memberLabel(p.entry)} has a server certificate (${own(p) ? 'its own tls' : 'cluster.memberTLS'}) but its clientURL ${p.text} uses http`,
      hint: own(p) ? 'use https:// for its clientURL, or remove its tls' : 'use https:// for every client URL (with cluster.tls), or remove cluster.memberTLS',
    })
  }
}

function checkUnique(urls: readonly ParsedUrl[], kind: 'peer' | 'client', strategy: Strategy | undefined, out: DiagnosticCollector): void {
  const byAddress = new Map<string, ParsedUrl[]>()
  for (const p of urls) {
    const earlier = byAddress.get(p.url.address) ?? []
    byAddress.set(p.url.address, [...earlier, p])
    // The same member listed in source and target is one member, not two sharing an address.
    const clash = earlier.find((e) => !(e.entry.list !== p.entry.list && e.entry.name !== undefined && e.entry.name === p.entry.name))
    if (clash === undefined) continue
    const same = clash.url.canonical === p.url.canonical ? '' : ` (same host and port as ${clash.text})`
    const where = `${memberLabel(clash.entry)} in ${clash.entry.list}.members[${clash.entry.index}]`
    if (strategy === 'snapshot' && clash.entry.list !== p.entry.list) {
      out.error({
        code: 'snapshot-overlap',
        path: [...p.entry.path, p.field],
        message: `${kind} URL ${p.text} of target member ${memberLabel(p.entry)} is also used by source member ${memberLabel(clash.entry)}${same}`,
        hint: 'strategy snapshot starts a new cluster next to the old one: give the target members addresses of their own',
      })
      continue
    }
    out.error({
      code: kind === 'peer' ? 'duplicate-peer-url' : 'duplicate-client-url',
      path: [...p.entry.path, p.field],
      message: `${kind} URL ${p.text} of ${memberLabel(p.entry)} is already used by ${where}${same}`,
      hint:
        clash.entry.list !== p.entry.list
          ? `every member needs its own ${kind} URL; to keep a member, list it under the same name in source and target`
          : `every member needs its own ${kind} URL (host and port)`,
    })
  }
}

/** A peer URL that is also a client URL (of any member) would make two listeners share one port. */
function checkPeerNotClient(urls: readonly ParsedUrl[], out: DiagnosticCollector): void {
  const clients = new Map<string, ParsedUrl>()
  for (const p of urls) if (p.field === 'clientURL' && !clients.has(p.url.address)) clients.set(p.url.address, p)
  const reported = new Set<string>()
  for (const p of urls) {
    if (p.field !== 'peerURL') continue
    const client = clients.get(p.url.address)
    if (client === undefined) continue
    // A kept member is listed twice; one diagnostic per member and address is enough.
    const key = `${p.entry.name ?? `${p.entry.list}#${p.entry.index}`}@${p.url.address}`
    if (reported.has(key)) continue
    reported.add(key)
    const owner = client.entry.name !== undefined && client.entry.name === p.entry.name ? 'its own clientURL' : `the clientURL of ${memberLabel(client.entry)}`
    out.error({
      code: 'peer-equals-client',
      path: [...p.entry.path, 'peerURL'],
      message: `peerURL ${p.text} of ${memberLabel(p.entry)} is the same address as ${owner} (${client.text})`,
      hint: 'peer and client traffic need different ports; etcd uses 2380 for peers and 2379 for clients',
    })
  }
}
