// What this version of etcdplan can carry out, in one place. The JSON Schema and docs/spec.md keep the
// contract of the coming versions (providers ssh, exec and manual, DNS updates by rfc2136, TLS per
// member), so that editors and specs stay stable; validation refuses whatever this file does not mark
// as supported, so that `validate` and `plan` never say yes to a spec that `apply` would refuse half-way.
// When a feature ships, mark it here and drop its refusal test.
import type {DnsVia, NodeProviderName} from './types.js'
import type {SpecPath} from './spec-path.js'

export type Availability = 'supported' | 'planned'

/**
 * Every value of a setting the schema allows, and whether this version carries it out. A Record over
 * the type, so that a value added to types.ts cannot be forgotten here.
 */
export interface SettingValues<V extends string> {
  readonly path: SpecPath
  readonly values: Readonly<Record<V, Availability>>
  /** What to do instead of a planned value. (A method, so that the list below can hold every setting.) */
  instead(value: V): string
}

export const NODE_PROVIDERS: SettingValues<NodeProviderName> = {
  path: ['nodes', 'provider'],
  values: {local: 'supported', ssh: 'supported', exec: 'supported', manual: 'supported'},
  instead: (value) =>
    `use nodes.provider: local (etcd runs as processes on this machine, settings in nodes.local), or leave nodes.provider out; provider ${value} is planned for a later version (docs/spec.md)`,
}

export const DNS_METHODS: SettingValues<DnsVia> = {
  path: ['dns', 'switch', 'via'],
  values: {manual: 'supported', exec: 'supported', 'hosts-file': 'supported', rfc2136: 'supported'},
  instead: (value) =>
    value === 'rfc2136'
      ? "use via: exec with a command that runs nsupdate, e.g. command: [sh, -c, '... | nsupdate -k /path/to/key'] building the update from $ETCDPLAN_DNS_NAME and $ETCDPLAN_TARGET_ADDRESSES; or via: manual"
      : 'use via: manual, exec or hosts-file',
}

/** The settings whose values are checked against what this version supports. */
export const CHECKED_SETTINGS: readonly SettingValues<string>[] = [NODE_PROVIDERS, DNS_METHODS]

export function supportedValues<V extends string>(setting: SettingValues<V>): V[] {
  return (Object.keys(setting.values) as V[]).filter((value) => setting.values[value] === 'supported')
}

/**
 * Member keys that nothing reads with provider local (every member runs on this machine): key → why it
 * has no effect, what to do. The other providers read them.
 */
export const IGNORED_MEMBER_KEYS: Readonly<Record<string, {readonly why: string; readonly instead: string}>> = {
  host: {
    why: 'provider local runs every member on this machine',
    instead: 'remove host, or set nodes.provider: ssh (or exec, manual) to act on the member\'s own host',
  },
}

/** Whether `key` at `parentPath` is in IGNORED_MEMBER_KEYS (a member key provider local does not read). */
export function isIgnoredKey(parentPath: SpecPath, key: string): boolean {
  return parentPath.length === 3 && parentPath[1] === 'members' && Object.hasOwn(IGNORED_MEMBER_KEYS, key)
}

/**
 * Keys docs/spec.md documents for a later version that the schema does not have yet, by dotted path
 * ("members[]" stands for an entry of source.members or target.members) → what they belong to. They
 * are refused like any unknown key, but in these words rather than "unknown key".
 */
export const PLANNED_KEYS: Readonly<Record<string, string>> = {
}

/** What a key at `parentPath` belongs to when docs/spec.md plans it for a later version; undefined otherwise. */
export function plannedKey(parentPath: SpecPath, key: string): string | undefined {
  const dotted = [...parentPath, key].map((segment) => (typeof segment === 'number' ? '[]' : segment)).join('.').replace(/\.\[\]/g, '[]')
  return PLANNED_KEYS[dotted.replace(/^(source|target)\.members\[\]/, 'members[]')]
}
