// The addresses a DNS name must lead to after the switch: the hosts of the target client URLs. Both
// sides of every comparison (what the URLs say, what a resolver or hosts file says) go through
// normaliseAddress so that "FD00:0::1" and "fd00::1" are the same address.
import {isIP, isIPv4} from 'node:net'
import {bareHost, parseMemberUrl} from '../spec/member-url.js'
import {DnsSwitchError} from './dns-switch-error.js'

/** Hosts of the client URLs (IPv6 without brackets), deduplicated and sorted. */
export function expectedAddresses(clientURLs: readonly string[]): readonly string[] {
  const hosts = clientURLs.map((url) => {
    const parsed = parseMemberUrl(url)
    if (!parsed.ok) throw new DnsSwitchError(`target client URL "${url}" ${parsed.problem}`, `fix the client URL in the spec and plan again (${parsed.hint})`)
    return normaliseAddress(bareHost(parsed.url.host))
  })
  return sortAddresses(hosts)
}

/** One spelling per address: IPv6 compressed and lowercased, host names lowercased. */
export function normaliseAddress(address: string): string {
  if (isIP(address) === 6) {
    try {
      return new URL(`http://[${address}]/`).hostname.slice(1, -1)
    } catch {
      return address.toLowerCase()
    }
  }
  return address.toLowerCase()
}

/** Deduplicated; IPv4 in numeric order first, then everything else in text order. */
export function sortAddresses(addresses: readonly string[]): readonly string[] {
  return [...new Set(addresses)].sort(compareAddresses)
}

export function sameAddresses(a: readonly string[], b: readonly string[]): boolean {
  const left = sortAddresses(a)
  const right = sortAddresses(b)
  return left.length === right.length && left.every((address, i) => address === right[i])
}

function compareAddresses(a: string, b: string): number {
  const a4 = isIPv4(a)
  const b4 = isIPv4(b)
  if (a4 && b4) {
    const x = a.split('.').map(Number)
    const y = b.split('.').map(Number)
    for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i]! - y[i]!
    return 0
  }
  if (a4 !== b4) return a4 ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}
