// Raw spec (schema and semantic rules passed) → Spec with every default filled in, so the planner
// never has to know a default. Defaults are the ones spec.md documents; paths are kept as written
// (relative paths stay relative to where etcdplan runs), never resolved here.
import {parseDuration} from './duration.js'
import {fillTemplate} from './name-template.js'
import {bareHost, parseMemberUrl} from './member-url.js'
import type {RawMember, RawSpec} from './raw-spec.js'
import {effectiveMemberTls} from './member-tls.js'
import type {DnsOptions, ExecNodes, MemberSpec, MemberTlsTemplate, NodesOptions, Spec, SshNodes, TlsFiles} from './types.js'

const DEFAULT_TIMEOUTS = {catchUp: '10m', health: '60s', step: '2m'} as const

export function normaliseSpec(raw: RawSpec): Spec {
  const provider = raw.nodes?.provider ?? 'local'
  const nodes: NodesOptions = {
    provider,
    local: {workDir: raw.nodes?.local?.workDir ?? '.etcdplan/local', etcd: raw.nodes?.local?.etcd ?? 'etcd'},
    ...(provider === 'ssh' ? {ssh: normaliseSsh(raw.nodes?.ssh ?? {})} : {}),
    ...(provider === 'exec' && raw.nodes?.exec !== undefined ? {exec: copyExec(raw.nodes.exec)} : {}),
  }
  const member = (m: RawMember): MemberSpec => normaliseMember(m, nodes, raw.cluster ?? {})
  return {
    apiVersion: raw.apiVersion,
    kind: raw.kind,
    name: raw.name,
    strategy: raw.strategy ?? 'join',
    cluster: {
      ...(raw.cluster?.token === undefined ? {} : {token: raw.cluster.token}),
      ...(raw.cluster?.tls === undefined ? {} : {tls: copyTls(raw.cluster.tls)}),
      ...(raw.cluster?.memberTLS === undefined ? {} : {memberTLS: {...raw.cluster.memberTLS}}),
      ...(raw.cluster?.peerTLS === undefined ? {} : {peerTLS: {...raw.cluster.peerTLS}}),
      ...(raw.cluster?.distribute === undefined ? {} : {distribute: {from: raw.cluster.distribute.from}}),
    },
    source: {members: raw.source.members.map(member)},
    target: {members: raw.target.members.map(member)},
    join: {
      learner: raw.join?.learner ?? true,
      order: raw.join?.order ?? 'add-first',
      finalState: raw.join?.finalState ?? 'existing',
      rollingRestart: raw.join?.rollingRestart ?? true,
      catchUpTolerance: raw.join?.catchUpTolerance ?? 100,
    },
    snapshot: {from: raw.snapshot?.from ?? 'auto', dir: raw.snapshot?.dir ?? `.etcdplan/${raw.name}/snapshots`},
    ...(raw.dns === undefined ? {} : {dns: normaliseDns(raw.dns)}),
    nodes,
    timeouts: {
      catchUpMs: durationMs(raw.timeouts?.catchUp ?? DEFAULT_TIMEOUTS.catchUp),
      healthMs: durationMs(raw.timeouts?.health ?? DEFAULT_TIMEOUTS.health),
      stepMs: durationMs(raw.timeouts?.step ?? DEFAULT_TIMEOUTS.step),
    },
    ...(raw.estimates?.transferRate === undefined ? {} : {estimates: {transferRate: raw.estimates.transferRate}}),
  }
}

function normaliseMember(m: RawMember, nodes: NodesOptions, cluster: {readonly memberTLS?: MemberTlsTemplate; readonly peerTLS?: MemberTlsTemplate}): MemberSpec {
  const parsed = parseMemberUrl(m.peerURL)
  // Validation has passed, so the URL parses; the fallback only keeps the types honest.
  const host = m.host ?? (parsed.ok ? bareHost(parsed.url.host) : m.peerURL)
  const local = nodes.provider === 'local'
  const workDir = nodes.local.workDir.replace(/\/+$/, '') || '/'
  const under = (leaf: string): string => (workDir === '/' ? `/${m.name}/${leaf}` : `${workDir}/${m.name}/${leaf}`)
  // On real hosts the defaults are the provider's templates (nodes.ssh) or the usual Linux paths.
  const remoteDataDir = fillTemplate(nodes.ssh?.dataDir ?? REMOTE_DEFAULTS.dataDir, m.name)
  const remoteConfigFile = fillTemplate(nodes.ssh?.configFile ?? REMOTE_DEFAULTS.configFile, m.name)
  return {
    name: m.name,
    peerURL: m.peerURL,
    clientURL: m.clientURL,
    host,
    dataDir: m.dataDir ?? (local ? under('data') : remoteDataDir),
    configFile: m.configFile ?? (local ? under('etcd.yaml') : remoteConfigFile),
    config: {...(m.config ?? {})},
    ...(m.etcd === undefined ? {} : {etcd: m.etcd}),
    ...optional('tls', effectiveMemberTls(cluster.memberTLS, m.tls, m.name)),
    ...optional('peerTLS', effectiveMemberTls(cluster.peerTLS, m.peerTLS, m.name)),
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): {[k in K]?: V} {
  return (value === undefined ? {} : {[key]: value}) as {[k in K]?: V}
}

const REMOTE_DEFAULTS = {
  dataDir: '/var/lib/etcd/{name}',
  configFile: '/etc/etcd/{name}.yaml',
  runDir: '/var/lib/etcdplan/{name}',
  snapshotDir: '/var/lib/etcdplan/snapshots',
  unit: 'etcd-{name}.service',
} as const

function normaliseSsh(ssh: NonNullable<NonNullable<RawSpec['nodes']>['ssh']>): SshNodes {
  return {
    ...(ssh.config === undefined ? {} : {config: ssh.config}),
    ...(ssh.user === undefined ? {} : {user: ssh.user}),
    ...(ssh.port === undefined ? {} : {port: ssh.port}),
    ...(ssh.identityFile === undefined ? {} : {identityFile: ssh.identityFile}),
    ...(ssh.knownHosts === undefined ? {} : {knownHosts: ssh.knownHosts}),
    sudo: ssh.sudo ?? false,
    service: ssh.service ?? 'process',
    unit: ssh.unit ?? REMOTE_DEFAULTS.unit,
    etcd: ssh.etcd ?? 'etcd',
    dataDir: ssh.dataDir ?? REMOTE_DEFAULTS.dataDir,
    configFile: ssh.configFile ?? REMOTE_DEFAULTS.configFile,
    runDir: ssh.runDir ?? REMOTE_DEFAULTS.runDir,
    snapshotDir: ssh.snapshotDir ?? REMOTE_DEFAULTS.snapshotDir,
  }
}

function copyExec(exec: ExecNodes): ExecNodes {
  const copy: Record<string, readonly string[]> = {}
  for (const [key, argv] of Object.entries(exec)) if (argv !== undefined) copy[key] = [...(argv as readonly string[])]
  return copy as unknown as ExecNodes
}

function normaliseDns(dns: NonNullable<RawSpec['dns']>): DnsOptions {
  const via = dns.switch?.via ?? 'manual'
  return {
    name: dns.name,
    switch: {
      via,
      ...(dns.switch?.command === undefined ? {} : {command: [...dns.switch.command]}),
      ...(dns.switch?.file === undefined ? {} : {file: dns.switch.file}),
      ...(dns.switch?.rfc2136 === undefined ? {} : {rfc2136: {...dns.switch.rfc2136, ttl: dns.switch.rfc2136.ttl ?? 30}}),
    },
    verify: dns.verify ?? true,
    ...(dns.resolver === undefined ? {} : {resolver: dns.resolver}),
  }
}

function copyTls(tls: TlsFiles): TlsFiles {
  return {
    ...(tls.ca === undefined ? {} : {ca: tls.ca}),
    ...(tls.cert === undefined ? {} : {cert: tls.cert}),
    ...(tls.key === undefined ? {} : {key: tls.key}),
  }
}

/** Whole milliseconds, rounded up so that a sub-millisecond duration never becomes 0. */
function durationMs(text: string): number {
  const parsed = parseDuration(text)
  if (!parsed.ok) throw new Error(`normaliseSpec: duration "${text}" was not validated`)
  return Math.ceil(parsed.ms)
}
