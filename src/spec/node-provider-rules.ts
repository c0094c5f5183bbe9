// Rules about nodes.provider and its settings that the schema cannot express: the provider's own
// section must be there (exec has no default commands), another provider's section has no effect,
// the snapshot strategy needs a way to restore on the host, and paths on remote hosts are absolute
// (a relative path over ssh is taken from the login's home directory, which is not what anyone means
// for a data dir). Member values reach hosts only as quoted arguments or environment variables, never
// a command line; the member name and host patterns in the schema keep them plain as well.
import type {DiagnosticCollector} from './diagnostic-collector.js'
import {memberLabel, type MemberEntry} from './member-entries.js'
import {isRecord, recordAt, stringAt} from './raw-spec.js'

const PROVIDER_SECTIONS = ['local', 'ssh', 'exec', 'manual'] as const

export function checkNodeProvider(raw: unknown, members: readonly MemberEntry[], out: DiagnosticCollector): void {
  const nodes = recordAt(raw, 'nodes')
  const provider = nodes['provider'] === undefined ? 'local' : stringAt(nodes, 'provider')
  // Not one of the schema's values: the schema reports it.
  if (provider === undefined || !(PROVIDER_SECTIONS as readonly string[]).includes(provider)) return
  for (const section of PROVIDER_SECTIONS) {
    if (section === provider || nodes[section] === undefined) continue
    out.warning({
      code: 'unused-setting',
      path: ['nodes', section],
      message: `nodes.${section} is ignored: nodes.provider is ${provider}`,
      hint: `remove nodes.${section}, or set nodes.provider: ${section}`,
      at: 'key',
    })
  }
  if (provider === 'exec' && !isRecord(nodes['exec'])) {
    out.error({
      code: 'provider-missing-setting',
      path: nodes['provider'] === undefined ? ['nodes'] : ['nodes', 'provider'],
      message: 'nodes.provider exec needs nodes.exec: the commands that write a config and start, stop and check a member',
      hint: 'add nodes.exec with writeConfig, start, stop and isRunning (argv lists, e.g. start: [systemctl, start, etcd]); values reach them in ETCDPLAN_* environment variables',
    })
  }
  const strategy = stringAt(raw, 'strategy')
  if (provider === 'exec' && strategy === 'snapshot' && isRecord(nodes['exec']) && nodes['exec']['restore'] === undefined) {
    out.error({
      code: 'provider-missing-setting',
      path: ['nodes', 'exec'],
      message: 'strategy snapshot with nodes.provider exec needs nodes.exec.restore: the command that restores the snapshot on a new member\'s host',
      hint: 'add restore: [your-restore-command]; it gets the snapshot file in ETCDPLAN_SNAPSHOT and the data dir, initial cluster and token in ETCDPLAN_* variables',
    })
  }
  if (provider === 'ssh') checkRemotePaths(nodes, members, out)
}

/** With ssh, every path names a file on the member's host: relative ones would land in the login's home directory. */
function checkRemotePaths(nodes: Readonly<Record<string, unknown>>, members: readonly MemberEntry[], out: DiagnosticCollector): void {
  const ssh = recordAt(nodes, 'ssh')
  for (const key of ['dataDir', 'configFile', 'runDir', 'snapshotDir', 'etcd']) {
    const value = stringAt(ssh, key)
    // etcd may be a bare name looked up in the host's PATH.
    if (value === undefined || value.startsWith('/') || (key === 'etcd' && !value.includes('/'))) continue
    out.error({code: 'relative-remote-path', path: ['nodes', 'ssh', key], message: `nodes.ssh.${key} "${value}" is not an absolute path: it names a path on each member's host`, hint: `write the full path on the hosts, e.g. ${defaultOf(key)}`})
  }
  for (const entry of members) {
    for (const key of ['dataDir', 'configFile', 'etcd']) {
      const value = stringAt(entry.raw, key)
      if (value === undefined || value.startsWith('/')) continue
      out.error({code: 'relative-remote-path', path: [...entry.path, key], message: `${key} "${value}" of ${entry.list} member ${memberLabel(entry)} is not an absolute path: with nodes.provider ssh it names a path on the member's host`, hint: `write the full path on the host, e.g. ${defaultOf(key).replace('{name}', entry.name ?? 'NAME')}`})
    }
  }
}

function defaultOf(key: string): string {
  const defaults: Record<string, string> = {dataDir: '/var/lib/etcd/{name}', configFile: '/etc/etcd/{name}.yaml', runDir: '/var/lib/etcdplan/{name}', snapshotDir: '/var/lib/etcdplan/snapshots', etcd: '/usr/bin/etcd'}
  return defaults[key] ?? '/'
}
