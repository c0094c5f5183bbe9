// Writes a migration spec (the user-facing YAML of docs/spec.md) for a lab run: members
// on the loopback hosts of loopback-hosts.ts, the local node provider working under `<dir>/nodes`.
// Tests, the demo and the benchmark go through the same file and loader as a user, so what they
// start is exactly what `etcdplan plan`/`apply` would read.
import {mkdir, writeFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {Document, isMap, isSeq} from 'yaml'
import type {Strategy} from '../src/spec/types.js'
import type {RawSpec} from '../src/spec/raw-spec.js'
import {CLIENT_PORT, PEER_PORT} from './loopback-hosts.js'

export interface LabMember {
  readonly name: string
  /** The address in its URLs. */
  readonly host: string
  /** Ports; default the loopback lab's PEER_PORT and CLIENT_PORT (one address per member). */
  readonly peerPort?: number
  readonly clientPort?: number
  /** The member's `host` key (where the node provider acts), when it is not the URLs' address. */
  readonly nodeHost?: string
  /** The member's own etcd binary (its `etcd:` key), e.g. a newer release than nodes.local.etcd: upgrading while migrating. */
  readonly etcd?: string
  /** Extra etcd config-file keys (the member's `config:`), e.g. {'snapshot-count': 200}. */
  readonly config?: Readonly<Record<string, unknown>>
}

export interface MigrationSpecOptions {
  /** The migration's name ([a-z0-9-]+); also the file name `<name>.yaml` unless `fileName` is given. */
  readonly name: string
  /** Where the spec is written; members' configs, data, logs and pids go under `<dir>/nodes`. */
  readonly dir: string
  /** The running cluster. A member listed in both source and target (same name and host) is kept. */
  readonly source: readonly LabMember[]
  readonly target: readonly LabMember[]
  /** cluster.token; default `<name>-token`. */
  readonly token?: string
  readonly strategy?: Strategy
  readonly join?: RawSpec['join']
  readonly snapshot?: RawSpec['snapshot']
  /** The spec's dns block, written as given. */
  readonly dns?: Readonly<Record<string, unknown>>
  /** Go-style durations, e.g. {health: '20s'}. */
  readonly timeouts?: {readonly catchUp?: string; readonly health?: string; readonly step?: string}
  /** The etcd binary nodes.local runs; default `etcd` (from PATH). */
  readonly etcd?: string
  /** The spec's nodes block, written as given; default provider local under `<dir>/nodes`. */
  readonly nodes?: Readonly<Record<string, unknown>>
  readonly fileName?: string
  /**
   * TLS everywhere: https client and peer URLs, client-cert-auth and peer-client-cert-auth, the
   * certificates of lab/test-pki.ts in `dir` (cluster.tls for etcdplan, memberTLS and peerTLS with
   * {name} templates). Extra cluster keys (e.g. distribute) may be added.
   */
  readonly tls?: {
    readonly pkiDir: string
    /** Where the members find their files on their hosts; default pkiDir (one machine). */
    readonly memberDir?: string
    readonly cluster?: Readonly<Record<string, unknown>>
  }
}

export interface WrittenSpec {
  /** Absolute path of the spec file. */
  readonly path: string
  readonly text: string
}

/** `namedMembers('etcd', hosts, 4)` → etcd4, etcd5, ... on those hosts. */
export function namedMembers(prefix: string, hosts: readonly string[], first = 1): LabMember[] {
  return hosts.map((host, i) => ({name: `${prefix}${first + i}`, host}))
}

export async function writeMigrationSpec(options: MigrationSpecOptions): Promise<WrittenSpec> {
  const dir = resolve(options.dir)
  const scheme = options.tls === undefined ? 'http' : 'https'
  const value: Record<string, unknown> = {
    apiVersion: 'etcdplan/v1',
    kind: 'Migration',
    name: options.name,
    ...(options.strategy === undefined ? {} : {strategy: options.strategy}),
    cluster: {token: options.token ?? `${options.name}-token`, ...(options.tls === undefined ? {} : tlsSettings(options.tls.pkiDir, options.tls.memberDir, options.tls.cluster))},
    source: {members: options.source.map((m) => memberEntry(m, scheme))},
    target: {members: options.target.map((m) => memberEntry(m, scheme))},
    ...(options.join === undefined ? {} : {join: {...options.join}}),
    ...(options.snapshot === undefined ? {} : {snapshot: {...options.snapshot}}),
    ...(options.dns === undefined ? {} : {dns: options.dns}),
    nodes: options.nodes ?? {provider: 'local', local: {workDir: join(dir, 'nodes'), etcd: options.etcd ?? 'etcd'}},
    ...(options.timeouts === undefined ? {} : {timeouts: {...options.timeouts}}),
  }
  const doc = new Document(value)
  // One member per line, as in plans/runbook.yaml.
  for (const side of ['source', 'target']) {
    const list = doc.getIn([side, 'members'], true)
    if (isSeq(list)) for (const item of list.items) if (isMap(item)) item.flow = true
  }
  doc.commentBefore = ' Written by lab/migration-spec.ts for a local lab run (etcdplan validate FILE checks it).'
  const text = doc.toString({lineWidth: 0})
  await mkdir(dir, {recursive: true})
  const path = join(dir, options.fileName ?? `${options.name}.yaml`)
  await writeFile(path, text)
  return {path, text}
}

/**
 * The spec's TLS sections for the file names of lab/test-pki.ts: etcdplan's own in pkiDir on this
 * machine, the members' in memberDir on their hosts (default: the same directory).
 */
export function tlsSettings(pkiDir: string, memberDir: string = pkiDir, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const own = resolve(pkiDir)
  const dir = resolve(memberDir)
  return {
    tls: {ca: join(own, 'ca.pem'), cert: join(own, 'etcdplan.pem'), key: join(own, 'etcdplan-key.pem')},
    memberTLS: {ca: join(dir, 'ca.pem'), cert: join(dir, '{name}.pem'), key: join(dir, '{name}-key.pem'), clientCertAuth: true},
    peerTLS: {ca: join(dir, 'ca.pem'), cert: join(dir, '{name}-peer.pem'), key: join(dir, '{name}-peer-key.pem'), clientCertAuth: true},
    ...extra,
  }
}

function memberEntry(member: LabMember, scheme: 'http' | 'https'): Record<string, unknown> {
  return {
    name: member.name,
    peerURL: `${scheme}://${member.host}:${member.peerPort ?? PEER_PORT}`,
    clientURL: `${scheme}://${member.host}:${member.clientPort ?? CLIENT_PORT}`,
    ...(member.nodeHost === undefined ? {} : {host: member.nodeHost}),
    ...(member.etcd === undefined ? {} : {etcd: member.etcd}),
    ...(member.config === undefined ? {} : {config: {...member.config}}),
  }
}
