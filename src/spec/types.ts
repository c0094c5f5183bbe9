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

/**
 * A member's certificate for one of its listeners, as etcd reads it on the member's host: the
 * cluster's memberTLS / peerTLS with the member's own tls / peerTLS laid over it field by field, and
 * `{name}` filled in. Rendered into client-transport-security / peer-transport-security.
 */
export interface MemberTls {
  /** trusted-ca-file: the CA that clients' (peers') certificates are checked against. */
  readonly ca?: string
  readonly cert?: string
  readonly key?: string
  /** client-cert-auth: refuse clients (peers) without a certificate from ca. Default: true when ca is set. */
  readonly clientCertAuth: boolean
}

/** cluster.memberTLS / cluster.peerTLS as written: paths may hold `{name}`, clientCertAuth may be left out. */
export interface MemberTlsTemplate {
  readonly ca?: string
  readonly cert?: string
  readonly key?: string
  readonly clientCertAuth?: boolean
}

/** cluster.distribute: copy each new member's certificate files to its host before it is added. */
export interface DistributeOptions {
  /**
   * Directory on the apply machine holding the files by the base names of their paths on the hosts
   * (ca.pem, etcd4.pem, etcd4-key.pem, etcd4-peer.pem, ...).
   */
  readonly from: string
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
  /** This member's etcd binary on its host, when the spec names one (else the provider's). */
  readonly etcd?: string
  /** Its server certificate (client-transport-security), when cluster.memberTLS or its own tls sets one. */
  readonly tls?: MemberTls
  /** Its peer certificate (peer-transport-security), when cluster.peerTLS or its own peerTLS sets one. */
  readonly peerTLS?: MemberTls
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

/** via: rfc2136 — a dynamic update (RFC 2136) of dns.name, sent by nsupdate with a TSIG key. */
export interface Rfc2136Options {
  /** The primary that accepts updates: `host` or `host:port` (port 53 when left out; `[v6]:port` for IPv6). */
  readonly server: string
  /** The zone the name is in (nsupdate's `zone`). */
  readonly zone: string
  /** The TSIG key file on the apply machine, in nsupdate -k format (a path, never the secret). */
  readonly keyFile: string
  /** TTL in seconds of the records written. Default 30. */
  readonly ttl: number
}

export interface DnsSwitch {
  readonly via: DnsVia
  /** via: exec — argv array; the target client URLs are passed in the environment. */
  readonly command?: readonly string[]
  /** via: hosts-file — the hosts-format file whose entries for dns.name are rewritten. */
  readonly file?: string
  /** via: rfc2136. */
  readonly rfc2136?: Rfc2136Options
}

export interface DnsOptions {
  readonly name: string
  readonly switch: DnsSwitch
  readonly verify: boolean
  /**
   * The DNS server (`host` or `host:port`) that dns.verify asks; default: dns.switch.rfc2136.server
   * with via rfc2136, otherwise this machine's resolver (getaddrinfo).
   */
  readonly resolver?: string
}

export interface LocalNodes {
  readonly workDir: string
  readonly etcd: string
}

export type SshService = 'process' | 'systemd'

/** nodes.ssh, defaults filled in; `{name}` templates are kept as written and filled per member by the provider. */
export interface SshNodes {
  /** ssh_config file (ssh -F); absent: the user's own. */
  readonly config?: string
  readonly user?: string
  readonly port?: number
  readonly identityFile?: string
  /** known_hosts file (UserKnownHostsFile); absent: the user's own. Host keys are always verified. */
  readonly knownHosts?: string
  /** Run the remote helper with `sudo -n`. */
  readonly sudo: boolean
  readonly service: SshService
  /** systemd unit per member (service: systemd). Default "etcd-{name}.service". */
  readonly unit: string
  /** etcd binary on the hosts (PATH lookup on the host). Default etcd. */
  readonly etcd: string
  /** A member's data dir when it sets none (template). Default /var/lib/etcd/{name}. */
  readonly dataDir: string
  /** A member's config file when it sets none (template). Default /etc/etcd/{name}.yaml. */
  readonly configFile: string
  /** Where the provider keeps a member's pid file, log and start marks on its host (service: process). Default /var/lib/etcdplan/{name}. */
  readonly runDir: string
  /** Where snapshots are put on a member's host before a restore. Default /var/lib/etcdplan/snapshots. */
  readonly snapshotDir: string
}

/** nodes.exec: an argv per operation, run on the apply machine with the values in ETCDPLAN_* variables. */
export interface ExecNodes {
  readonly writeConfig: readonly string[]
  readonly start: readonly string[]
  readonly stop: readonly string[]
  readonly restart?: readonly string[]
  readonly isRunning: readonly string[]
  readonly restore?: readonly string[]
  readonly logTail?: readonly string[]
  /** Prints the member's config file on stdout, exits 3 when it does not exist. */
  readonly readConfig?: readonly string[]
  /** Moves a removed member's files ($ETCDPLAN_FENCE_PATHS, one a line) aside to `<path>$ETCDPLAN_FENCE_SUFFIX`, never deleting them. */
  readonly fence?: readonly string[]
}

export interface NodesOptions {
  readonly provider: NodeProviderName
  readonly local: LocalNodes
  /** Present when provider is ssh. */
  readonly ssh?: SshNodes
  /** Present when provider is exec. */
  readonly exec?: ExecNodes
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
    /** etcdplan's own client identity: files on the apply machine. */
    readonly tls?: TlsFiles
    /** Members' server certificates, as written (templates); each member's effective one is MemberSpec.tls. */
    readonly memberTLS?: MemberTlsTemplate
    /** Members' peer certificates, as written (templates); each member's effective one is MemberSpec.peerTLS. */
    readonly peerTLS?: MemberTlsTemplate
    readonly distribute?: DistributeOptions
  }
  readonly source: {readonly members: readonly MemberSpec[]}
  readonly target: {readonly members: readonly MemberSpec[]}
  readonly join: JoinOptions
  readonly snapshot: SnapshotOptions
  readonly dns?: DnsOptions
  readonly nodes: NodesOptions
  readonly timeouts: Timeouts
  /** What the plan's estimates assume instead of the measured defaults (src/estimate). */
  readonly estimates?: {readonly transferRate?: string}
}
