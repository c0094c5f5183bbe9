// The members of source and target as one list with their paths, the unit most rules iterate over.
// Entries that are not mappings are left out: the schema reports them, the rules check the rest.
import {isRecord, listAt, recordAt, stringAt, type RawRecord} from './raw-spec.js'
import type {SpecPath} from './spec-path.js'

export type MemberList = 'source' | 'target'

export interface MemberEntry {
  readonly list: MemberList
  readonly index: number
  readonly path: SpecPath
  /** undefined when the name is missing or not a string (a schema error). */
  readonly name: string | undefined
  readonly raw: RawRecord
}

export function memberEntries(raw: unknown, list: MemberList): MemberEntry[] {
  const entries: MemberEntry[] = []
  listAt(recordAt(raw, list), 'members').forEach((member, index) => {
    if (isRecord(member)) entries.push({list, index, path: [list, 'members', index], name: stringAt(member, 'name'), raw: member})
  })
  return entries
}

/** "etcd4" for messages; the list position when the member has no usable name. */
export function memberLabel(entry: MemberEntry): string {
  return entry.name !== undefined ? `"${entry.name}"` : `${entry.list}.members[${entry.index}]`
}
