// How a plan describes the switch-dns step's method, for reviewers: what is sent where, and (with
// rfc2136) that the step then waits out the old records' TTL before the old members are removed. The
// TTL is read at the server when the step runs (a plan made offline cannot know it), so the plan says
// where it comes from and its bound rather than a number.
import type {DnsOptions} from '../spec/types.js'

/** `via X` plus what X does, e.g. "via rfc2136 (a TSIG-signed dynamic update at 10.0.0.53:53, zone example.internal, TTL 30 s)". */
export function dnsMethod(dns: DnsOptions): string {
  const rfc2136 = dns.switch.rfc2136
  if (dns.switch.via !== 'rfc2136' || rfc2136 === undefined) return `via ${dns.switch.via}`
  return `via rfc2136 (a TSIG-signed dynamic update at ${rfc2136.server}, zone ${rfc2136.zone}, TTL ${rfc2136.ttl} s)`
}

/** ", then resolve it[ at SERVER] to verify" (empty without dns.verify). */
export function dnsVerifyNote(dns: DnsOptions): string {
  if (!dns.verify) return ''
  const server = dns.resolver ?? (dns.switch.via === 'rfc2136' ? dns.switch.rfc2136?.server : undefined)
  return `, then resolve it${server === undefined ? '' : ` at ${server}`} to verify`
}

/** What the step waits for after the switch (empty for the methods that do not wait). */
export function dnsWaitNote(dns: DnsOptions): string {
  if (dns.switch.via !== 'rfc2136') return ''
  return ", then wait out the old A/AAAA records' TTL (read at the server when the step runs, at most timeouts.step) so that clients have dropped the old members' addresses before the steps after it"
}
