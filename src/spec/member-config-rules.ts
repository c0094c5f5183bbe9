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
  // etcdplan renders peer-transport-security from cluster.peerTLS; a member value would silently win.
  const peerTls = isRecord(recordAt(raw, 'cluster')['peerTLS'])
  for (const entry of members) {
    const config = entry.raw['config']
    if (!isRecord(config)) continue
    for (const key of Object.keys(config)) {
      const instead = MANAGED_KEYS[key] ?? (peerTls && key === 'peer-transport-security' ? 'it is written from cluster.peerTLS; change that instead' : undefined)
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
