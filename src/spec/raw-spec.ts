// The spec as written in YAML, before defaults: every field optional and, until the schema has passed,
// of unknown type. Semantic rules read it through the guards below so that a malformed part (a member
// that is a string, a URL that is a number) is skipped there and reported by the schema instead.
import type {DistributeOptions, DnsVia, ExecNodes, FinalState, JoinOrder, MemberTlsTemplate, NodeProviderName, SshService, Strategy, TlsFiles} from './types.js'

export interface RawMember {
  readonly name: string
  readonly peerURL: string
  readonly clientURL: string
  readonly host?: string
  readonly dataDir?: string
  readonly configFile?: string
  readonly config?: Record<string, unknown>
  readonly etcd?: string
  readonly tls?: MemberTlsTemplate
  readonly peerTLS?: MemberTlsTemplate
}

export interface RawSshNodes {
  readonly config?: string
  readonly user?: string
  readonly port?: number
  readonly identityFile?: string
  readonly knownHosts?: string
  readonly sudo?: boolean
  readonly service?: SshService
  readonly unit?: string
  readonly etcd?: string
  readonly dataDir?: string
  readonly configFile?: string
  readonly runDir?: string
  readonly snapshotDir?: string
}

/** The shape the schema guarantees once it has passed. */
export interface RawSpec {
  readonly apiVersion: 'etcdplan/v1'
  readonly kind: 'Migration'
  readonly name: string
  readonly strategy?: Strategy
  readonly cluster?: {
    readonly token?: string
    readonly tls?: TlsFiles
    readonly memberTLS?: MemberTlsTemplate
    readonly peerTLS?: MemberTlsTemplate
    readonly distribute?: DistributeOptions
  }
  readonly source: {readonly members: readonly RawMember[]}
  readonly target: {readonly members: readonly RawMember[]}
  readonly join?: {
    readonly learner?: boolean
    readonly order?: JoinOrder
    readonly finalState?: FinalState
    readonly rollingRestart?: boolean
    readonly catchUpTolerance?: number
  }
  readonly snapshot?: {readonly from?: string; readonly dir?: string}
  readonly dns?: {
    readonly name: string
    readonly switch?: {
      readonly via: DnsVia
      readonly command?: readonly string[]
      readonly file?: string
      readonly rfc2136?: {readonly server: string; readonly zone: string; readonly keyFile: string; readonly ttl?: number}
    }
    readonly verify?: boolean
    readonly resolver?: string
  }
  readonly nodes?: {
    readonly provider?: NodeProviderName
    readonly local?: {readonly workDir?: string; readonly etcd?: string}
    readonly ssh?: RawSshNodes
    readonly exec?: ExecNodes
    readonly manual?: Record<string, never>
  }
  readonly timeouts?: {readonly catchUp?: string; readonly health?: string; readonly step?: string}
  readonly estimates?: {readonly transferRate?: string}
}

export type RawRecord = Readonly<Record<string, unknown>>

export function isRecord(value: unknown): value is RawRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The mapping at `key` of `value`, or an empty one when it is absent or not a mapping. */
export function recordAt(value: unknown, key: string): RawRecord {
  const field = isRecord(value) ? value[key] : undefined
  return isRecord(field) ? field : {}
}

export function stringAt(value: unknown, key: string): string | undefined {
  const field = isRecord(value) ? value[key] : undefined
  return typeof field === 'string' ? field : undefined
}

export function listAt(value: unknown, key: string): readonly unknown[] {
  const field = isRecord(value) ? value[key] : undefined
  return Array.isArray(field) ? field : []
}
