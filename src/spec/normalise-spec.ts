// Raw spec (schema and semantic rules passed) → Spec with every default filled in, so the planner
// never has to know a default. Defaults are the ones spec.md documents; paths are kept as written
// (relative paths stay relative to where etcdplan runs), never resolved here.
import {parseDuration} from './duration.js'
import {bareHost, parseMemberUrl} from './member-url.js'
import type {RawMember, RawSpec} from './raw-spec.js'
import type {DnsOptions, MemberSpec, NodesOptions, Spec, TlsFiles} from './types.js'

const DEFAULT_TIMEOUTS = {catchUp: '10m', health: '60s', step: '2m'} as const

export function normaliseSpec(raw: RawSpec): Spec {
  const nodes: NodesOptions = {
    provider: raw.nodes?.provider ?? 'local',
    local: {workDir: raw.nodes?.local?.workDir ?? '.etcdplan/local', etcd: raw.nodes?.local?.etcd ?? 'etcd'},
  }
  const member = (m: RawMember): MemberSpec => normaliseMember(m, nodes)
  return {
    apiVersion: raw.apiVersion,
    kind: raw.kind,
    name: raw.name,
    strategy: raw.strategy ?? 'join',
    cluster: {
      ...(raw.cluster?.token === undefined ? {} : {token: raw.cluster.token}),
      ...(raw.cluster?.tls === undefined ? {} : {tls: copyTls(raw.cluster.tls)}),
      ...(raw.cluster?.peerTLS === undefined ? {} : {peerTLS: copyTls(raw.cluster.peerTLS)}),
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
  }
}

function normaliseMember(m: RawMember, nodes: NodesOptions): MemberSpec {
  const parsed = parseMemberUrl(m.peerURL)
  // Validation has passed, so the URL parses; the fallback only keeps the types honest.
  const host = m.host ?? (parsed.ok ? bareHost(parsed.url.host) : m.peerURL)
  const local = nodes.provider === 'local'
  const workDir = nodes.local.workDir.replace(/\/+$/, '') || '/'
  const under = (leaf: string): string => (workDir === '/' ? `/${m.name}/${leaf}` : `${workDir}/${m.name}/${leaf}`)
  return {
    name: m.name,
    peerURL: m.peerURL,
    clientURL: m.clientURL,
    host,
    dataDir: m.dataDir ?? (local ? under('data') : `/var/lib/etcd/${m.name}`),
    configFile: m.configFile ?? (local ? under('etcd.yaml') : `/etc/etcd/${m.name}.yaml`),
    config: {...(m.config ?? {})},
  }
}

function normaliseDns(dns: NonNullable<RawSpec['dns']>): DnsOptions {
  const via = dns.switch?.via ?? 'manual'
  return {
    name: dns.name,
    switch: {
      via,
      ...(dns.switch?.command === undefined ? {} : {command: [...dns.switch.command]}),
      ...(dns.switch?.file === undefined ? {} : {file: dns.switch.file}),
    },
    verify: dns.verify ?? true,
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
