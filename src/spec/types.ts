// The migration spec as etcdplan works with it: validated and with every default filled in.
// The user-facing contract (field names, defaults) is docs/spec.md; the JSON Schema in
// schemas/spec.schema.json describes the raw YAML. Everything here is readonly: a Spec is never mutated.

export type Strategy = 'join' | 'snapshot'
export type JoinOrder = 'add-first' | 'one-for-one'
export type FinalState = 'existing' | 'new'
export type DnsVia = 'manual' | 'exec' | 'hosts-file' | 'rfc2136'
export type NodeProviderName = 'local' | 'ssh' | 'exec' | 'manual'

/** Paths to PEM files; etcdplan never holds key material itself. */
export interface TlsFiles {
  readonly ca?: string
  readonly cert?: string
  readonly key?: string
}

export interface MemberSpec {
  readonly name: string
  readonly peerURL: string
  readonly clientURL: string
  /** Where the node provider acts; defaults to the peerURL's host. */
  readonly host: string
  /** Data directory; provider default when the spec leaves it out. */
  readonly dataDir: string
  /** etcd --config-file path; provider default when the spec leaves it out. */
  readonly configFile: string
  /** Extra etcd config-file keys, passed through verbatim (may override listen-*-urls). */
  readonly config: Readonly<Record<string, unknown>>
}

export interface JoinOptions {
  readonly learner: boolean
  readonly order: JoinOrder
  readonly finalState: FinalState
  readonly rollingRestart: boolean
  /** Raft entries a member may lag behind the leader and still count as caught up. */
  readonly catchUpTolerance: number
}

export interface SnapshotOptions {
  /** A source member name, or 'auto' (the leader at apply time). */
  readonly from: string
  readonly dir: string
}

export interface DnsSwitch {
  readonly via: DnsVia
  /** via: exec — argv array; the target client URLs are passed in the environment. */
  readonly command?: readonly string[]
  /** via: hosts-file — the hosts-format file whose entries for dns.name are rewritten. */
  readonly file?: string
}

export interface DnsOptions {
  readonly name: string
  readonly switch: DnsSwitch
  readonly verify: boolean
}

export interface LocalNodes {
  readonly workDir: string
  readonly etcd: string
}

export interface NodesOptions {
  readonly provider: NodeProviderName
  readonly local: LocalNodes
}

/** Timeouts in milliseconds (parsed from Go-style durations such as "10m", "60s", "1m30s"). */
export interface Timeouts {
  readonly catchUpMs: number
  readonly healthMs: number
  readonly stepMs: number
}

export interface Spec {
  readonly apiVersion: 'etcdplan/v1'
  readonly kind: 'Migration'
  readonly name: string
  readonly strategy: Strategy
  readonly cluster: {
    readonly token?: string
    readonly tls?: TlsFiles
    readonly peerTLS?: TlsFiles
  }
  readonly source: {readonly members: readonly MemberSpec[]}
  readonly target: {readonly members: readonly MemberSpec[]}
  readonly join: JoinOptions
  readonly snapshot: SnapshotOptions
  readonly dns?: DnsOptions
  readonly nodes: NodesOptions
  readonly timeouts: Timeouts
}
