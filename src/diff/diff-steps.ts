// The steps of two plans compared by id (the journal's key, `<kind>/<member>`): added, removed,
// moved (their order relative to the steps both plans share changed) and changed (a field or a
// precondition differs). A step whose config text changed is listed here and diffed in diff-configs.ts.
import type {Precondition, Step} from '../plan/types.js'
import {fieldChanges, sameValue} from './field-changes.js'
import type {FieldChange, PreconditionsDiff, StepChange, StepsDiff} from './plan-diff.js'

/** Config texts are diffed line by line in the Configs section; here they are named only. */
const CONTENT_FIELDS = new Set(['config', 'previous'])

export function diffSteps(oldSteps: readonly Step[], newSteps: readonly Step[]): StepsDiff {
  const oldPositions = positions(oldSteps)
  const newPositions = positions(newSteps)
  const added = newSteps.filter((s) => !oldPositions.has(s.id)).map((s) => ({id: s.id, position: newPositions.get(s.id)!}))
  const removed = oldSteps.filter((s) => !newPositions.has(s.id)).map((s) => ({id: s.id, position: oldPositions.get(s.id)!}))
  const commonOld = oldSteps.map((s) => s.id).filter((id) => newPositions.has(id))
  const commonNew = newSteps.map((s) => s.id).filter((id) => oldPositions.has(id))
  const kept = new Set(longestCommonSubsequence(commonOld, commonNew))
  const moved = commonNew.filter((id) => !kept.has(id)).map((id) => ({id, oldPosition: oldPositions.get(id)!, newPosition: newPositions.get(id)!}))
  const oldById = new Map(oldSteps.map((s) => [s.id, s]))
  const changed = newSteps.flatMap((step): StepChange[] => {
    const before = oldById.get(step.id)
    if (before === undefined || sameValue(before, step)) return []
    const skip = new Set(['id', 'preconditions', ...CONTENT_FIELDS])
    const fields = [...fieldChanges(before, step, '', skip), ...contentChanges(before, step)]
    return [{id: step.id, oldPosition: oldPositions.get(step.id)!, newPosition: newPositions.get(step.id)!, fields, preconditions: diffPreconditions(before.preconditions, step.preconditions)}]
  })
  return {added, removed, moved, changed}
}

/** `config` / `previous`: the path compared as a field, the text only said to differ (its diff is in Configs). */
function contentChanges(before: Step, after: Step): StepChange['fields'] {
  return [...CONTENT_FIELDS].flatMap((field): FieldChange[] => {
    const a = (before as unknown as Record<string, {path: string; content: string} | undefined>)[field]
    const b = (after as unknown as Record<string, {path: string; content: string} | undefined>)[field]
    if (sameValue(a, b)) return []
    if (a === undefined || b === undefined) return [{field, old: a ?? null, new: b ?? null}]
    return [...(a.path === b.path ? [] : [{field: `${field}.path`, old: a.path, new: b.path}]), ...(a.content === b.content ? [] : [{field: `${field}.content`, old: `${lineCount(a.content)} lines`, new: `${lineCount(b.content)} lines`}])]
  })
}

/**
 * Preconditions are matched by check and member (a preflight names the same check once per new
 * member); the n-th occurrence of a pair matches the n-th, so a repeated check is not lost.
 */
export function diffPreconditions(before: readonly Precondition[], after: readonly Precondition[]): PreconditionsDiff {
  const oldKeyed = keyed(before)
  const newKeyed = keyed(after)
  const added = [...newKeyed].filter(([key]) => !oldKeyed.has(key)).map(([, p]) => p)
  const removed = [...oldKeyed].filter(([key]) => !newKeyed.has(key)).map(([, p]) => p)
  const changed = [...newKeyed].flatMap(([key, p]) => {
    const was = oldKeyed.get(key)
    return was === undefined || was.description === p.description ? [] : [{check: p.check, member: p.member ?? null, old: was.description, new: p.description}]
  })
  return {added, removed, changed}
}

function keyed(preconditions: readonly Precondition[]): Map<string, Precondition> {
  const seen = new Map<string, number>()
  const out = new Map<string, Precondition>()
  for (const p of preconditions) {
    const base = `${p.check}\u0000${p.member ?? ''}`
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    out.set(`${base}\u0000${n}`, p)
  }
  return out
}

function positions(steps: readonly Step[]): Map<string, number> {
  return new Map(steps.map((s, i) => [s.id, i + 1]))
}

function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
}

/** The longest order both lists share (plans have tens of steps: the quadratic table is small). */
export function longestCommonSubsequence(a: readonly string[], b: readonly string[]): string[] {
  const table = Array.from({length: a.length + 1}, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!)
  }
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]!)
      i++
      j++
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++
    else j++
  }
  return out
}
