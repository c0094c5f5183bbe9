// What a dynamic DNS update (dns.switch.via rfc2136) needs and the schema cannot say: the name is in
// the zone the update is sent for (a server answers NOTZONE otherwise, after every learner was added),
// each target client URL's host is an address (an A/AAAA record holds addresses; a host name copied
// as an address would go stale silently), and the TTL written can be waited out within one step (a
// rerun of switch-dns waits the current record's TTL, since it cannot know when the name changed).
import type {DiagnosticCollector} from './diagnostic-collector.js'
import {parseDuration} from './duration.js'
import {isIP} from 'node:net'
import {memberLabel, type MemberEntry} from './member-entries.js'
import {bareHost, parseMemberUrl} from './member-url.js'
import {isRecord, recordAt, stringAt} from './raw-spec.js'

const DEFAULT_STEP_TIMEOUT_MS = 120_000
const DEFAULT_TTL_S = 30

export function checkRfc2136(raw: unknown, target: readonly MemberEntry[], out: DiagnosticCollector): void {
  const dns = recordAt(raw, 'dns')
  const dnsSwitch = recordAt(dns, 'switch')
  if (stringAt(dnsSwitch, 'via') !== 'rfc2136' || !isRecord(dnsSwitch['rfc2136'])) return
  const rfc2136 = dnsSwitch['rfc2136']
  const path = ['dns', 'switch', 'rfc2136']
  const name = stringAt(dns, 'name')
  const zone = stringAt(rfc2136, 'zone')
  if (name !== undefined && zone !== undefined && !inZone(name, zone)) {
    out.error({code: 'dns-name-outside-zone', path: [...path, 'zone'], message: `dns.name "${name}" is not in the zone "${zone}": the server would refuse the update (NOTZONE)`, hint: `set zone to the zone that holds ${name} (e.g. ${parentOf(name)})`})
  }
  for (const entry of target) {
    const url = stringAt(entry.raw, 'clientURL')
    if (url === undefined) continue
    const parsed = parseMemberUrl(url)
    if (!parsed.ok || isIP(bareHost(parsed.url.host)) !== 0) continue
    out.error({
      code: 'rfc2136-needs-address',
      path: [...entry.path, 'clientURL'],
      message: `the clientURL of target member ${memberLabel(entry)} has the host name ${parsed.url.host}: an RFC 2136 update writes A/AAAA records, which hold addresses`,
      hint: 'use the member\'s IP address in its clientURL, or switch the name with via: exec (e.g. a CNAME update) or via: manual',
    })
  }
  const ttl = typeof rfc2136['ttl'] === 'number' ? rfc2136['ttl'] : DEFAULT_TTL_S
  const stepText = stringAt(recordAt(raw, 'timeouts'), 'step')
  const step = stepText === undefined ? {ok: true as const, ms: DEFAULT_STEP_TIMEOUT_MS} : parseDuration(stepText)
  if (step.ok && ttl * 1000 > step.ms) {
    out.error({
      code: 'dns-ttl-too-long',
      path: [...path, 'ttl'],
      message: `dns.switch.rfc2136.ttl ${ttl} s is longer than timeouts.step (${step.ms / 1000} s): switch-dns waits out the record's TTL before the old members are removed, within one step`,
      hint: `lower ttl (30 s is usual during a migration), or raise timeouts.step above ${ttl} s`,
    })
  }
}

function inZone(name: string, zone: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '')
  const z = zone.toLowerCase().replace(/\.$/, '')
  return n === z || n.endsWith(`.${z}`)
}

function parentOf(name: string): string {
  const labels = name.replace(/\.$/, '').split('.')
  return labels.length > 1 ? labels.slice(1).join('.') : name
}
