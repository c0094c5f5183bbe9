// The rules a schema cannot express: relations between members, strategy requirements, quorum
// warnings, durations. They run on whatever parts of the raw spec are well-formed, so one bad member
// entry never hides the problems of the others; the schema reports the malformed parts.
import type {DiagnosticCollector} from './diagnostic-collector.js'
import {listWords} from './describe-value.js'
import {closestMatch} from './did-you-mean.js'
import {parseDuration} from './duration.js'
import {checkMemberConfig} from './member-config-rules.js'
import {memberEntries, type MemberEntry} from './member-entries.js'
import {checkMemberNames} from './member-name-rules.js'
import {checkRenderedTls, checkTlsPairs} from './member-tls-rules.js'
import {checkMemberUrls} from './member-url-rules.js'
import {checkNodeProvider} from './node-provider-rules.js'
import {checkRfc2136} from './rfc2136-rules.js'
import {isRecord, recordAt, stringAt} from './raw-spec.js'
import type {SourcePositions} from './source-positions.js'
import {checkSupportedFeatures} from './supported-feature-rules.js'
import type {Strategy} from './types.js'

export function checkSemanticRules(raw: unknown, out: DiagnosticCollector, positions: SourcePositions): void {
  const source = memberEntries(raw, 'source')
  const target = memberEntries(raw, 'target')
  const strategy = strategyOf(raw)
  checkMemberCounts(raw, out)
  checkMemberNames(source, target, strategy, out, positions)
  checkMemberUrls(raw, [...source, ...target], strategy, out)
  checkMemberConfig(raw, [...source, ...target], out)
  checkTlsPairs(raw, [...source, ...target], out)
  checkRenderedTls(raw, source, target, strategy, out)
  if (strategy === 'snapshot') checkSnapshotToken(raw, out)
  checkSnapshotFrom(raw, source, out)
  checkDnsSwitch(raw, out)
  checkRfc2136(raw, target, out)
  checkTimeouts(raw, out)
  checkNodeProvider(raw, [...source, ...target], out)
  checkSupportedFeatures(raw, [...source, ...target], out)
}

/** The strategy when it is valid (default join); undefined when the schema reports it as invalid. */
function strategyOf(raw: unknown): Strategy | undefined {
  const value = isRecord(raw) ? raw['strategy'] : undefined
  if (value === undefined) return 'join'
  return value === 'join' || value === 'snapshot' ? value : undefined
}

function checkMemberCounts(raw: unknown, out: DiagnosticCollector): void {
  const members = (list: string): unknown => recordAt(raw, list)['members']
  const source = members('source')
  if (Array.isArray(source) && source.length === 0) {
    out.error({code: 'empty-source', path: ['source', 'members'], message: 'source.members is empty', hint: 'list every member of the running cluster, as `etcdctl member list` shows them'})
  }
  const target = members('target')
  if (!Array.isArray(target)) return
  const size = target.length
  const path = ['target', 'members']
  if (size === 0) {
    out.error({code: 'empty-target', path, message: 'target.members is empty: the cluster needs at least 1 member', hint: 'list the members the cluster should have at the end; 3 or 5 is usual'})
  } else if (size === 1) {
    out.warning({code: 'small-target', path, message: 'the target has 1 member: no fault tolerance, losing it loses the cluster', hint: 'use 3 members (tolerates 1 failure) or 5 (tolerates 2)'})
  } else if (size === 2) {
    out.warning({
      code: 'small-target',
      path,
      message: 'the target has 2 members: no fault tolerance (quorum is 2), and twice the chance of a failure that stops it compared with 1',
      hint: 'use 3 members (tolerates 1 failure) or 5 (tolerates 2)',
    })
  } else if (size % 2 === 0) {
    out.warning({
      code: 'even-target',
      path,
      message: `the target has ${size} members: it tolerates ${plural((size - 2) / 2, 'failure')}, no more than ${size - 1} members do, but needs ${size / 2 + 1} for quorum instead of ${size / 2}`,
      hint: `use an odd number of members, e.g. ${size - 1} or ${size + 1}`,
    })
  }
}

function checkSnapshotToken(raw: unknown, out: DiagnosticCollector): void {
  // A token of the wrong type is already a schema error; only a missing one is reported here.
  if (recordAt(raw, 'cluster')['token'] !== undefined) return
  const name = stringAt(raw, 'name') ?? ''
  out.error({
    code: 'snapshot-needs-token',
    path: ['strategy'],
    message: "strategy snapshot needs cluster.token (the new cluster's initial-cluster-token)",
    hint: `add cluster.token, different from the source cluster's, e.g. token: ${/^[a-z0-9-]+$/.test(name) ? name : 'etcd'}-restored`,
  })
}

function checkSnapshotFrom(raw: unknown, source: readonly MemberEntry[], out: DiagnosticCollector): void {
  const from = stringAt(recordAt(raw, 'snapshot'), 'from')
  if (from === undefined || from === 'auto') return
  const names = source.flatMap((m) => (m.name === undefined ? [] : [m.name]))
  if (names.includes(from)) return
  const suggestion = closestMatch(from, names)
  out.error({
    code: 'unknown-member',
    path: ['snapshot', 'from'],
    message: `snapshot.from "${from}" is not a source member`,
    hint: suggestion !== undefined ? `did you mean "${suggestion}"?` : `use auto (the leader) or one of ${listWords(names.map((n) => `"${n}"`))}`,
  })
}

function checkDnsSwitch(raw: unknown, out: DiagnosticCollector): void {
  const dnsSwitch = recordAt(recordAt(raw, 'dns'), 'switch')
  const via = stringAt(dnsSwitch, 'via')
  const path = ['dns', 'switch']
  const command = dnsSwitch['command']
  const file = dnsSwitch['file']
  // A command of the wrong type is a schema error; only a missing or empty one is reported here.
  if (via === 'exec' && (command === undefined || (Array.isArray(command) && command.length === 0))) {
    out.error({
      code: 'dns-missing-setting',
      path: command === undefined ? [...path, 'via'] : [...path, 'command'],
      message: 'dns.switch via exec needs a command to run',
      hint: 'add command: the program and its arguments as a list, e.g. command: ["./switch-dns.sh"]',
    })
  }
  if (via === 'hosts-file' && file === undefined) {
    out.error({code: 'dns-missing-setting', path: [...path, 'via'], message: 'dns.switch via hosts-file needs the file to rewrite', hint: 'add file: the hosts-format file, e.g. file: /etc/hosts'})
  }
  const rfc2136 = dnsSwitch['rfc2136']
  if (via === 'rfc2136' && rfc2136 === undefined) {
    out.error({
      code: 'dns-missing-setting',
      path: [...path, 'via'],
      message: 'dns.switch via rfc2136 needs the server, zone and TSIG key to update the name with',
      hint: 'add rfc2136: {server: 10.0.0.53:53, zone: example.internal, keyFile: /etc/etcdplan/tsig.key} (the key file in nsupdate -k format)',
    })
  }
  if (via === undefined) return
  if (rfc2136 !== undefined && via !== 'rfc2136') {
    out.warning({code: 'unused-setting', path: [...path, 'rfc2136'], message: `dns.switch.rfc2136 is ignored with via ${via}`, hint: 'remove it, or set via: rfc2136', at: 'key'})
  }
  if (command !== undefined && via !== 'exec') {
    out.warning({code: 'unused-setting', path: [...path, 'command'], message: `dns.switch.command is ignored with via ${via}`, hint: 'remove it, or set via: exec', at: 'key'})
  }
  if (file !== undefined && via !== 'hosts-file') {
    out.warning({code: 'unused-setting', path: [...path, 'file'], message: `dns.switch.file is ignored with via ${via}`, hint: 'remove it, or set via: hosts-file', at: 'key'})
  }
}

function checkTimeouts(raw: unknown, out: DiagnosticCollector): void {
  const timeouts = recordAt(raw, 'timeouts')
  for (const key of ['catchUp', 'health', 'step']) {
    const text = timeouts[key]
    if (typeof text !== 'string') continue // absent (default) or a type error
    const parsed = parseDuration(text)
    if (parsed.ok) continue
    out.error({
      code: 'invalid-duration',
      path: ['timeouts', key],
      message: `timeouts.${key} "${text}" is not a duration: ${parsed.reason}`,
      hint: 'write a number and a unit (h, m, s, ms), e.g. "90s", "10m" or "1m30s"',
    })
  }
}


function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
