// Whether a config found on a host says what a rendered one says, to etcd: the same settings, whatever
// their order and comments, with initial-cluster compared as a set of name=URL pairs (the order the
// members were listed in is the order they happened to join, which etcd does not care about). A file
// that does not parse as YAML, or is not a mapping, is different.
import {canonicalJson} from '../canonical-json.js'
import {parseEtcdConfig} from './parse-etcd-config.js'

export function sameEtcdConfig(found: string, rendered: string): boolean {
  const a = settingsOf(found)
  const b = settingsOf(rendered)
  return a !== null && b !== null && canonicalJson(a) === canonicalJson(b)
}

function settingsOf(text: string): Record<string, unknown> | null {
  const parsed = parseEtcdConfig(text)
  if (parsed === null) return null
  const settings = {...parsed}
  const cluster = settings['initial-cluster']
  if (typeof cluster === 'string') settings['initial-cluster'] = cluster.split(',').map((entry) => entry.trim()).sort().join(',')
  return settings
}
