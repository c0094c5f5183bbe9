// member.config passes etcd config-file keys through verbatim, except the keys etcdplan writes itself
// for every step (identity, data dir, cluster bootstrap settings): letting a user value win there
// would make the rendered config disagree with the plan.
import type {DiagnosticCollector} from './diagnostic-collector.js'
import {memberLabel, type MemberEntry} from './member-entries.js'
import {isRecord, recordAt} from './raw-spec.js'

/** Managed key → what to set instead. listen-peer-urls and listen-client-urls are NOT here: they may be overridden. */
const MANAGED_KEYS: Readonly<Record<string, string>> = {
  name: "the member's name comes from its name field",
  'data-dir': 'set the member\'s dataDir instead',
  'initial-cluster': 'etcdplan computes it for every step from the members that exist at that point',
  'initial-cluster-state': 'etcdplan sets it (existing while joining; join.finalState at the end)',
  'initial-cluster-token': 'set cluster.token instead',
  'initial-advertise-peer-urls': "set the member's peerURL instead",
  'advertise-client-urls': "set the member's clientURL instead",
}

export function checkMemberConfig(raw: unknown, members: readonly MemberEntry[], out: DiagnosticCollector): void {
  // etcdplan renders the transport-security sections from the TLS settings; a member value would
  // silently win over them.
  const cluster = recordAt(raw, 'cluster')
  for (const entry of members) {
    const config = entry.raw['config']
    if (!isRecord(config)) continue
    const rendered: Record<string, string | undefined> = {
      'peer-transport-security': renderedFrom(cluster['peerTLS'], entry.raw['peerTLS'], 'cluster.peerTLS', 'peerTLS'),
      'client-transport-security': renderedFrom(cluster['memberTLS'], entry.raw['tls'], 'cluster.memberTLS', 'tls'),
    }
    for (const key of Object.keys(config)) {
      const instead = MANAGED_KEYS[key] ?? rendered[key]
      if (instead === undefined) continue
      out.error({
        code: 'managed-config-key',
        path: [...entry.path, 'config', key],
        message: `config key "${key}" of ${memberLabel(entry)} is written by etcdplan and cannot be set here`,
        hint: `remove it; ${instead}`,
        at: 'key',
      })
    }
  }
}

function renderedFrom(cluster: unknown, own: unknown, clusterName: string, ownName: string): string | undefined {
  if (isRecord(own)) return `it is written from the member's ${ownName}${isRecord(cluster) ? ` over ${clusterName}` : ''}; change that instead`
  if (isRecord(cluster)) return `it is written from ${clusterName}; change that instead (or give the member its own ${ownName})`
  return undefined
}
