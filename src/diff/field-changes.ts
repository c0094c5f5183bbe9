// The fields that differ between two JSON values, by path: objects are walked key by key, arrays and
// scalars compared whole (a list of voters or dependencies reads best as `[a, b] → [a, c]`).
import {canonicalJson} from '../canonical-json.js'
import type {FieldChange} from './plan-diff.js'

export function fieldChanges(oldValue: unknown, newValue: unknown, prefix = '', skip: ReadonlySet<string> = new Set()): FieldChange[] {
  if (isRecord(oldValue) && isRecord(newValue)) {
    const keys = [...new Set([...Object.keys(oldValue), ...Object.keys(newValue)])]
    return keys.filter((key) => !skip.has(key)).flatMap((key) => fieldChanges(oldValue[key], newValue[key], prefix === '' ? key : `${prefix}.${key}`))
  }
  return sameValue(oldValue, newValue) ? [] : [{field: prefix, old: oldValue ?? null, new: newValue ?? null}]
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
