// Every file a member's rendered etcd config names: the value of each key ending in `-file`, at any
// depth (peer-transport-security and client-transport-security hold cert-file, key-file,
// trusted-ca-file, crl-file; extras may add more). etcd opens each of them when it starts and exits if
// one cannot be read — after the member was added — so the preflight checks them on the member's
// host first. Pure: the YAML text the plan writes, in and out.
import {parseEtcdConfig} from './parse-etcd-config.js'

/** The paths, in the order the config names them, each once; [] for a config that is not YAML. */
export function filesNamedByConfig(content: string): string[] {
  const values = parseEtcdConfig(content)
  if (values === null) return []
  const files: string[] = []
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item)
      return
    }
    if (node === null || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node)) {
      if (key.endsWith('-file') && typeof value === 'string' && value !== '') {
        if (!files.includes(value)) files.push(value)
      } else {
        walk(value)
      }
    }
  }
  walk(values)
  return files
}
