// Canonical JSON (object keys sorted, no whitespace) and its sha256: the basis of every hash etcdplan
// writes (spec hash, observation fingerprint, plan content hash), so that the same input always
// gives the same bytes whatever order the keys were built in.
import {createHash} from 'node:crypto'

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key]
      if (field !== undefined) sorted[key] = sortKeys(field)
    }
    return sorted
  }
  return value
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** `sha256:<hex>` of the canonical JSON of a value. */
export function hashOf(value: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(value))}`
}
