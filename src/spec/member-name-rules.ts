// Rules about member names: unique within each list; a name in both lists is a kept member and must
// keep its URLs (changing them is `member update`, a different operation), unless the strategy is
// snapshot, which builds a new cluster and so may keep nothing.
import type {DiagnosticCollector} from './diagnostic-collector.js'
import type {MemberEntry} from './member-entries.js'
import {parseMemberUrl} from './member-url.js'
import {stringAt} from './raw-spec.js'
import type {SourcePositions} from './source-positions.js'
import type {Strategy} from './types.js'

export function checkMemberNames(
  source: readonly MemberEntry[],
  target: readonly MemberEntry[],
  strategy: Strategy | undefined,
  out: DiagnosticCollector,
  positions: SourcePositions,
): void {
  for (const entries of [source, target]) checkUniqueNames(entries, out, positions)
  const sourceByName = new Map<string, MemberEntry>()
  for (const entry of source) if (entry.name !== undefined && !sourceByName.has(entry.name)) sourceByName.set(entry.name, entry)
  const seen = new Set<string>()
  for (const entry of target) {
    if (entry.name === undefined || seen.has(entry.name)) continue
    seen.add(entry.name)
    const kept = sourceByName.get(entry.name)
    if (kept === undefined) continue
    if (strategy === 'snapshot') {
      out.error({
        code: 'snapshot-overlap',
        path: [...entry.path, 'name'],
        message: `target member "${entry.name}" is also a source member; strategy snapshot restores into a new cluster, so every target member must be new`,
        hint: 'give the target members new names and URLs, or use strategy: join to keep members',
      })
    } else if (strategy === 'join') {
      for (const field of ['peerURL', 'clientURL'] as const) checkKeptUrl(kept, entry, field, out)
    }
  }
}

function checkUniqueNames(entries: readonly MemberEntry[], out: DiagnosticCollector, positions: SourcePositions): void {
  const first = new Map<string, MemberEntry>()
  for (const entry of entries) {
    if (entry.name === undefined) continue
    const earlier = first.get(entry.name)
    if (earlier === undefined) {
      first.set(entry.name, entry)
      continue
    }
    const {line} = positions.locateValue([...earlier.path, 'name'])
    out.error({
      code: 'duplicate-name',
      path: [...entry.path, 'name'],
      message: `member name "${entry.name}" is used twice in ${entry.list}.members`,
      hint: `give each member its own name (the first "${entry.name}" is on line ${line})`,
    })
  }
}

function checkKeptUrl(kept: MemberEntry, entry: MemberEntry, field: 'peerURL' | 'clientURL', out: DiagnosticCollector): void {
  const before = stringAt(kept.raw, field)
  const after = stringAt(entry.raw, field)
  if (before === undefined || after === undefined) return
  const canonicalBefore = canonicalUrl(before)
  const canonicalAfter = canonicalUrl(after)
  // Compare only URLs that parse: a malformed one has its own invalid-url diagnostic.
  if (canonicalBefore === undefined || canonicalAfter === undefined || canonicalBefore === canonicalAfter) return
  out.error({
    code: 'kept-member-url-changed',
    path: [...entry.path, field],
    message: `kept member "${entry.name}" has ${field} ${after} in target but ${before} in source`,
    hint: `changing a kept member's URLs is a different operation (member update); give it a new name to replace it, or keep ${field}: ${before}`,
  })
}

function canonicalUrl(text: string): string | undefined {
  const parsed = parseMemberUrl(text)
  return parsed.ok ? parsed.url.canonical : undefined
}
