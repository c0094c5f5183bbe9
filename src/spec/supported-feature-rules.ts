// Refuses what this version of etcdplan cannot carry out (the list is src/spec/supported-features.ts):
// a provider or DNS method that is only planned, a member key nothing reads, a TLS setting the
// connection code cannot use. Errors here rather than at apply, which would stop half-way: an rfc2136
// switch failed only after every learner had been added and promoted.
import type {DiagnosticCollector} from './diagnostic-collector.js'
import {listWords} from './describe-value.js'
import {memberLabel, type MemberEntry} from './member-entries.js'
import {isRecord, recordAt} from './raw-spec.js'
import {formatPath, type SpecPath} from './spec-path.js'
import {CHECKED_SETTINGS, IGNORED_MEMBER_KEYS, supportedValues, type SettingValues} from './supported-features.js'

export function checkSupportedFeatures(raw: unknown, members: readonly MemberEntry[], out: DiagnosticCollector): void {
  for (const setting of CHECKED_SETTINGS) checkSettingValue(raw, setting, out)
  const provider = recordAt(raw, 'nodes')['provider']
  if (provider === undefined || provider === 'local') checkIgnoredMemberKeys(members, out)
  checkClientTlsCa(raw, out)
  checkDistributeProvider(raw, provider, out)
}

/**
 * cluster.distribute copies files to the hosts (putFile): the exec provider runs only the commands
 * nodes.exec configures, none of which copies a file, so the copy would fail at apply, after the
 * preflight. Refused here instead.
 */
function checkDistributeProvider(raw: unknown, provider: unknown, out: DiagnosticCollector): void {
  if (provider !== 'exec' || !isRecord(recordAt(raw, 'cluster')['distribute'])) return
  out.error({
    code: 'not-supported',
    path: ['cluster', 'distribute'],
    message: 'cluster.distribute copies certificates to the new members\' hosts, which nodes.provider exec cannot do: nodes.exec has no command that copies a file',
    hint: "remove cluster.distribute and put each new member's certificate files on its host yourself (the preflight checks them there, or says it could not), or use nodes.provider ssh, local or manual",
    at: 'key',
  })
}

function checkSettingValue(raw: unknown, setting: SettingValues<string>, out: DiagnosticCollector): void {
  const value = valueAt(raw, setting.path)
  // Absent (the default is supported) or not one of the schema's values (the schema reports it).
  if (typeof value !== 'string' || !Object.hasOwn(setting.values, value) || setting.values[value] !== 'planned') return
  const supported = supportedValues(setting)
  out.error({
    code: 'not-supported',
    path: setting.path,
    message: `${formatPath(setting.path)} "${value}" is not available in this version of etcdplan: supported ${supported.length === 1 ? 'is' : 'are'} ${listWords(supported, 'and')}`,
    hint: setting.instead(value),
  })
}

function checkIgnoredMemberKeys(members: readonly MemberEntry[], out: DiagnosticCollector): void {
  for (const entry of members) {
    for (const [key, {why, instead}] of Object.entries(IGNORED_MEMBER_KEYS)) {
      // A value of the wrong type is a schema error already; one diagnostic is enough.
      if (typeof entry.raw[key] !== 'string') continue
      out.error({
        code: 'not-supported',
        path: [...entry.path, key],
        message: `${key} of ${entry.list} member ${memberLabel(entry)} has no effect: ${why}`,
        hint: instead,
        at: 'key',
      })
    }
  }
}

/**
 * etcdplan's own connections (src/cluster/etcd-endpoint.ts) check the members' certificates against
 * cluster.tls.ca and nothing else; without it every connection would fail at plan or apply time.
 */
function checkClientTlsCa(raw: unknown, out: DiagnosticCollector): void {
  const tls = recordAt(raw, 'cluster')['tls']
  if (!isRecord(tls) || tls['ca'] !== undefined) return
  out.error({
    code: 'not-supported',
    path: ['cluster', 'tls'],
    message: "cluster.tls has no ca: this version of etcdplan checks the members' certificates against cluster.tls.ca only (never the system's CAs), so it could not connect to them",
    hint: 'add ca: the PEM file of that CA, e.g. ca: certs/ca.pem',
  })
}

function valueAt(raw: unknown, path: SpecPath): unknown {
  let node = raw
  for (const segment of path) node = isRecord(node) ? node[String(segment)] : undefined
  return node
}
