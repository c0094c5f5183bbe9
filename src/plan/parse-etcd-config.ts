// A rendered (or found) etcd --config-file read as etcd reads it: a YAML mapping of flag names to
// values. One parser for everything that looks into a config (the files and URLs it names, whether two
// configs say the same). Pure.
import {parse} from 'yaml'

/** The config's settings; null when the text is not YAML or not a mapping. */
export function parseEtcdConfig(content: string): Record<string, unknown> | null {
  let value: unknown
  try {
    value = parse(content)
  } catch {
    return null
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  return value as Record<string, unknown>
}
