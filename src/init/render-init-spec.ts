// The text of the spec `etcdplan init` writes: comments that say what was found and what to edit,
// `source` exactly as the cluster lists it, `target` as a commented stub, the node provider's section
// with its documented defaults (docs/spec.md), and TLS sections when the members use https.
//
// The target stub: `members:` holds commented entries only, one per line (the source members to keep,
// and new members with <placeholders>). Removing the "# " in front of the lines one wants gives a list;
// placeholders are not URLs or hosts, so `etcdplan validate` points at any left unfilled. Until then
// validate reports target.members as missing, at its line, which is where the user must edit.
import {stringify} from 'yaml'
import type {NodeProviderName, TlsFiles} from '../spec/types.js'
import type {FoundCluster, FoundMember} from './read-live-source.js'
import {urlHost} from './default-provider.js'

export interface InitSpecInput {
  readonly cluster: FoundCluster
  readonly name: string
  readonly provider: NodeProviderName
  /** etcdplan's client identity (absolute paths), when the members' client URLs are https. */
  readonly tls?: TlsFiles
  /** The first line (src/init/schema-line.ts). */
  readonly schemaLine: string
  /** The spec file as the user named it, for the commands in the comments. */
  readonly file: string
}

/**
 * The members a spec can list: started ones (an unstarted member has no name yet), by name in natural
 * order (etcd2 before etcd10) as people read them; etcd's own list is ordered by member ID.
 */
export function listableMembers(cluster: FoundCluster): FoundMember[] {
  return cluster.members.filter((m) => m.started && m.name !== '').sort((a, b) => a.name.localeCompare(b.name, 'en', {numeric: true}))
}

export function renderInitSpec(input: InitSpecInput): string {
  const {cluster, provider} = input
  const members = listableMembers(cluster)
  const unstarted = cluster.members.filter((m) => !m.started || m.name === '')
  const httpsPeers = cluster.members.some((m) => m.peerURLs[0]?.startsWith('https://') === true)
  const httpsClients = cluster.members.some((m) => m.clientURLs[0]?.startsWith('https://') === true)
  const out: string[] = [input.schemaLine, '#']
  out.push(`# Written by \`etcdplan init\` from the running cluster ${cluster.clusterIdHex} (read at ${cluster.answeredBy}).`)
  out.push(`# Cluster version: ${cluster.clusterVersion ?? 'unknown (no member told its version)'}${cluster.clusterVersion === null ? '' : " (the lowest member version: etcd's leader sets it so)"}; ${versionSummary(members)}${unstarted.length === 0 ? '' : `, and ${unstarted.length} added but never started (see below)`}.`)
  out.push('#', '# Next: edit `target` below (the cluster you want), check the provider section, then')
  out.push(`#   etcdplan validate ${input.file}`, `#   etcdplan plan ${input.file} -o plans/${input.name}.plan.json`, '# Every key is described in docs/spec.md and in the schema named on the first line.')
  out.push('apiVersion: etcdplan/v1', 'kind: Migration')
  out.push(`name: ${scalar(input.name)}${pad(input.name)}# [a-z0-9-]+; names the plan, the state (.etcdplan/<name>/) and the lock`)
  out.push('strategy: join            # join: add the new members to the running cluster, then remove the old (no downtime) | snapshot', '')
  out.push(...clusterSection(input, httpsPeers, httpsClients), '')
  out.push('# What runs today, as the cluster lists it. A spec member has one peerURL and one clientURL (the first')
  out.push("# the cluster lists); dataDir and configFile are not visible through etcd's API, so the provider's")
  out.push('# defaults apply: set them on a member whose files are elsewhere.')
  out.push('source:', '  members:')
  for (const m of members) out.push(...sourceEntry(m, provider))
  if (members.length === 0) out.push('    []  # no started member: see the notes on unstarted members above target')
  if (unstarted.length > 0) out.push(...unstartedNotes(unstarted))
  out.push('', ...targetStub(members, provider, httpsPeers, httpsClients), '', ...nodesSection(provider))
  return `${out.join('\n')}\n`
}

function versionSummary(members: readonly FoundMember[]): string {
  const versions = [...new Set(members.map((m) => m.version).filter((v): v is string => v !== null))]
  const silent = members.filter((m) => m.version === null).length
  const found = `${members.length} member${members.length === 1 ? '' : 's'} found`
  const said = versions.length === 1 && silent === 0 ? `, all etcd ${versions[0]}` : versions.length > 0 ? `, etcd ${versions.join(', ')}` : ''
  return `${found}${said}${silent > 0 ? `, ${silent} did not tell its version (see its comment)` : ''}`
}

function clusterSection(input: InitSpecInput, httpsPeers: boolean, httpsClients: boolean): string[] {
  const lines = ['cluster:']
  lines.push("  # token: TOKEN            # the cluster's initial-cluster-token: etcd's API does not show it; required for strategy snapshot")
  if (input.tls !== undefined && httpsClients) {
    lines.push('  tls:                      # etcdplan\'s own client identity: files on the machine that runs etcdplan (from --cacert, --cert, --key)')
    for (const key of ['ca', 'cert', 'key'] as const) if (input.tls[key] !== undefined) lines.push(`    ${key}: ${scalar(input.tls[key])}`)
  }
  if (httpsClients || httpsPeers) {
    lines.push("  # CHECK: init cannot see where the members' certificates are on their hosts. These are the documented")
    lines.push('  # defaults (docs/spec.md, "TLS per member"); {name} is each member\'s name. They go into the configs of')
    lines.push('  # the members etcdplan starts.')
  }
  if (httpsClients) {
    lines.push('  memberTLS:                # each member\'s server certificate: paths on its host')
    lines.push(...tlsDefaults('', input.tls?.cert !== undefined, '# client-cert-auth: true because the cluster was read with a client certificate'))
  }
  if (httpsPeers) {
    lines.push('  peerTLS:                  # each member\'s peer certificate: paths on its host')
    lines.push(...tlsDefaults('-peer', true, '# peer-client-cert-auth'))
  }
  // A `cluster:` with only comments under it would be null, which the schema refuses.
  if (lines.length === 2) return ['# cluster:', ...lines.slice(1).map((l) => l.replace(/^ {2}# /, '#   '))]
  return lines
}

function tlsDefaults(suffix: string, clientCertAuth: boolean, why: string): string[] {
  return [
    '    ca: /etc/etcd/pki/ca.pem',
    `    cert: ${scalar(`/etc/etcd/pki/{name}${suffix}.pem`)}`,
    `    key: ${scalar(`/etc/etcd/pki/{name}${suffix}-key.pem`)}`,
    `    clientCertAuth: ${clientCertAuth}${clientCertAuth ? `    ${why}` : '   # the cluster was read without a client certificate'}`,
  ]
}

function sourceEntry(m: FoundMember, provider: NodeProviderName): string[] {
  const facts = [`ID ${m.hexId}`, m.version === null ? `did not answer Status (${m.statusError ?? 'no answer'})` : `etcd ${m.version}`]
  if (m.isLeader) facts.push('leader')
  const lines = [`    # ${facts.join(', ')}`]
  if (m.isLearner) {
    lines.push(`    # A LEARNER: not a voter yet (it counts toward no quorum). Promote it once it has caught up`)
    lines.push(`    # (etcdctl member promote ${m.hexId}) or remove it (etcdctl member remove ${m.hexId}) before migrating.`)
  }
  if (m.peerURLs.length > 1) lines.push(`    # more peer URLs it advertises: ${m.peerURLs.slice(1).join(', ')}`)
  if (m.clientURLs.length > 1) lines.push(`    # more client URLs it advertises: ${m.clientURLs.slice(1).join(', ')}`)
  lines.push(`    - name: ${scalar(m.name)}`, `      peerURL: ${scalar(m.peerURLs[0] ?? '')}`)
  if (m.clientURLs[0] === undefined) lines.push('      clientURL: <none>      # it advertises no client URL: write the one it serves on')
  else lines.push(`      clientURL: ${scalar(m.clientURLs[0])}`)
  if (provider !== 'local') lines.push(`      host: ${scalar(hostOf(m.peerURLs[0] ?? ''))}${' '.repeat(Math.max(1, 22 - hostOf(m.peerURLs[0] ?? '').length))}# where the provider acts (its peer URL's host); an ssh alias or user@host works too`)
  return lines
}

function unstartedNotes(unstarted: readonly FoundMember[]): string[] {
  const lines = ['    # NOT LISTED: members the cluster has added but that never started. A member publishes its name when']
  lines.push('    # it first starts, so these have none, and a spec member needs one:')
  for (const m of unstarted) lines.push(`    #   ID ${m.hexId}, peer URL ${m.peerURLs.join(', ') || '(none)'}${m.isLearner ? ' (learner)' : ''}`)
  lines.push("    # Start it (etcd with --initial-cluster-state existing and the cluster's other members in")
  lines.push('    # --initial-cluster) or remove it (etcdctl member remove ID); then run etcdplan init --force again.')
  lines.push('    # While it stays, it counts toward the quorum and etcd refuses to add members (unhealthy cluster).')
  return lines
}

function targetStub(members: readonly FoundMember[], provider: NodeProviderName, httpsPeers: boolean, httpsClients: boolean): string[] {
  const lines = ['# EDIT: the cluster you want at the end. Remove the "# " in front of each line you want:']
  lines.push('#   - a member listed with a source member\'s name (and its URLs) is kept; a source member left out is removed;')
  lines.push('#   - a new name is added to the cluster: fill in its <placeholders> (validate refuses them as they are).')
  lines.push('# Use an odd number of members (3 or 5) for fault tolerance.')
  lines.push('target:', '  members:')
  for (const m of members) lines.push(`    # - ${flowEntry(m.name, m.peerURLs[0] ?? '', m.clientURLs[0] ?? '', provider === 'local' ? undefined : hostOf(m.peerURLs[0] ?? ''))}    # keep`)
  const peerPort = portOf(members[0]?.peerURLs[0], 2380)
  const clientPort = portOf(members[0]?.clientURLs[0], 2379)
  newNames(members.map((m) => m.name), Math.max(1, members.length)).forEach((name, i) => {
    const host = `<host-of-${name}>`
    lines.push(`    # - ${flowEntry(name, `${httpsPeers ? 'https' : 'http'}://${host}:${peerPort}`, `${httpsClients ? 'https' : 'http'}://${host}:${clientPort}`, provider === 'local' ? undefined : host)}${i === 0 ? '    # new' : ''}`)
  })
  return lines
}

function nodesSection(provider: NodeProviderName): string[] {
  const lines = ['# How etcdplan acts on a member\'s host (write its config, start, stop, restart). Values shown commented', '# are the defaults (docs/spec.md, "Node providers on real hosts").', 'nodes:', `  provider: ${provider}${' '.repeat(Math.max(1, 32 - provider.length))}# local | ssh | exec | manual`]
  if (provider === 'local') {
    lines.push('  local:                            # etcd as processes on this machine')
    lines.push('    workDir: .etcdplan/local        # data dirs, configs, logs and pids of the members it starts (relative to where etcdplan runs)')
    lines.push('    etcd: etcd                      # the etcd binary it runs')
  } else if (provider === 'ssh') {
    lines.push('  ssh:                              # CHECK these against your hosts')
    lines.push('    # user: root                    # default: from your ssh config')
    lines.push('    # sudo: false                   # run the remote commands with sudo -n')
    lines.push('    service: process                # process: etcdplan runs etcd detached with a pid file | systemd (a unit per member)')
    lines.push('    # unit: "etcd-{name}.service"   # with service: systemd; it must run etcd --config-file <the member\'s configFile>')
    lines.push('    # etcd: etcd                    # the etcd binary on the hosts (PATH lookup on the host)')
    lines.push('    # dataDir: /var/lib/etcd/{name}   # a member\'s data dir when it sets none; {name} = the member\'s name')
    lines.push('    # configFile: /etc/etcd/{name}.yaml   # a member\'s config file when it sets none')
  } else if (provider === 'exec') {
    lines.push('  exec:                             # EDIT: your own commands (argv, no shell), run on this machine; values reach')
    lines.push('                                    # them in ETCDPLAN_* variables (docs/spec.md). The edit-me-* names are')
    lines.push('                                    # placeholders: validate accepts them, apply would fail to run them.')
    lines.push('    writeConfig: [edit-me-write-config]   # writes stdin to $ETCDPLAN_CONFIG_FILE on $ETCDPLAN_HOST, atomically')
    lines.push('    start: [edit-me-start]                # starts etcd --config-file $ETCDPLAN_CONFIG_FILE, detached; a no-op when it runs')
    lines.push('    stop: [edit-me-stop]                  # stops it within $ETCDPLAN_TIMEOUT_MS; a no-op when stopped')
    lines.push('    isRunning: [edit-me-is-running]       # exit 0: runs, 1: does not')
    lines.push('    # restart: [...]                      # default: stop, then start')
    lines.push('    # readConfig: [...]                   # prints the config file; exit 3 when it does not exist')
    lines.push('    # restore: [...]                      # required with strategy snapshot')
  } else {
    lines.push('  manual: {}                        # apply prints what to run on each host, stops (exit 3), goes on with --confirm STEP_ID')
  }
  return lines
}

/** `{name: x, peerURL: ..., clientURL: ..., host: ...}` with every value quoted as YAML needs it in a flow mapping. */
function flowEntry(name: string, peerURL: string, clientURL: string, host: string | undefined): string {
  const entries: [string, string][] = [['name', name], ['peerURL', peerURL], ['clientURL', clientURL]]
  if (host !== undefined) entries.push(['host', host])
  return `{${entries.map(([k, v]) => `${k}: ${flowScalar(v)}`).join(', ')}}`
}

/** New names that continue the source's numbering (etcd1..3 → etcd4..6), or new1.. otherwise. */
export function newNames(existing: readonly string[], count: number): string[] {
  const numbered = existing.map((n) => /^(.*?)(\d+)$/.exec(n))
  const prefixes = new Set(numbered.map((m) => m?.[1]))
  const prefix = numbered.every((m) => m !== null) && prefixes.size === 1 ? (numbered[0]?.[1] ?? 'new') : 'new'
  const taken = new Set(existing)
  let next = prefix === 'new' ? 1 : Math.max(0, ...numbered.map((m) => Number(m?.[2] ?? 0))) + 1
  const names: string[] = []
  while (names.length < count) {
    const name = `${prefix}${next++}`
    if (!taken.has(name)) names.push(name)
  }
  return names
}

function hostOf(url: string): string {
  const host = urlHost(url)
  return host.includes(':') ? `[${host}]` : host
}

function portOf(url: string | undefined, fallback: number): number {
  if (url === undefined) return fallback
  const match = /:(\d+)$/.exec(url)
  return match === null ? fallback : Number(match[1])
}

/** A block-context YAML scalar for a string (quoted only when YAML needs it). */
function scalar(value: string | undefined): string {
  return stringify(value ?? '', {lineWidth: 0}).trimEnd()
}

/** A scalar inside a flow mapping: quoted when it holds a flow indicator or would not stay a plain string. */
function flowScalar(value: string): string {
  if (/[,{}[\]]/.test(value) || value.includes(': ') || value.includes(' #')) return JSON.stringify(value)
  return scalar(value)
}

function pad(text: string): string {
  return ' '.repeat(Math.max(1, 24 - text.length))
}
