// Whether a config found on a host says what a rendered one says, to etcd: the same settings, whatever
// their order and comments, with initial-cluster compared as a set of name=URL pairs (the order the
// members were listed in is the order they happened to join, which etcd does not care about). A file
// that does not parse as YAML, or is not a mapping, is different.
import {parse} from 'yaml'
import {canonicalJson} from '../canonical-json.js'

export function sameEtcdConfig(found: string, rendered: string): boolean {
  const a = settingsOf(found)
  const b = settingsOf(rendered)
  return a !== null && b !== null && canonicalJson(a) === canonicalJson(b)
}

function settingsOf(text: string): Record<string, unknown> | null {
  let value: unknown
  try {
    value = parse(text)
  } catch {
    return null
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const settings = {...(value as Record<string, unknown>)}
  const cluster = settings['initial-cluster']
  if (typeof cluster === 'string') settings['initial-cluster'] = cluster.split(',').map((entry) => entry.trim()).sort().join(',')
  return settings
}
