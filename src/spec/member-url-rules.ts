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
 * https iff TLS is configured: cluster.tls for client URLs, cluster.peerTLS for peer URLs. When every
 * URL disagrees, the setting (or its absence) is the likely mistake: one diagnostic says so instead
 * of one per member.
 */
function checkSchemes(urls: readonly ParsedUrl[], setting: 'tls' | 'peerTLS', value: unknown, out: DiagnosticCollector): void {
  // A TLS block of the wrong type has its own schema error; guessing its intent would only add noise.
  if (value !== undefined && !isRecord(value)) return
  const tls = value !== undefined
  const kind = setting === 'peerTLS' ? 'peer' : 'client'
  const wrong = urls.filter((p) => tls !== (p.url.scheme === 'https'))
  const fix = tls
    ? `use https:// for every ${kind} URL, or remove cluster.${setting}`
    : `set cluster.${setting} (ca, and cert and key if members require client certificates), or use http://`
  if (wrong.length > 1 && wrong.length === urls.length) {
    out.error({
      code: 'tls-scheme-mismatch',
      path: tls ? ['cluster', setting] : [...wrong[0]!.entry.path, wrong[0]!.field],
      message: tls ? `cluster.${setting} is set but all ${urls.length} ${kind} URLs use http` : `all ${urls.length} ${kind} URLs use https but cluster.${setting} is not set`,
      hint: fix,
    })
    return
  }
  for (const p of wrong) {
    out.error({
      code: 'tls-scheme-mismatch',
      path: [...p.entry.path, p.field],
      message: tls
        ? `${p.field} ${p.text} of ${memberLabel(p.entry)} uses http but cluster.${setting} is set`
        : `${p.field} ${p.text} of ${memberLabel(p.entry)} uses https but cluster.${setting} is not set`,
      hint: fix,
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
