// Which program checks and restores snapshots for an etcd binary: etcdutl when it is beside the binary
// (3.5 ships it, and deprecates etcdctl's `snapshot status|restore`; 3.6 removes them), otherwise
// etcdctl (3.4, which has no etcdutl) — etcd-facts.md, "Versions". Beside, because the tool must be
// the member's own release: a restore by another release's tool writes a data dir in that release's
// format. A bare binary name (`etcd`) is looked up on PATH first, as the shell would.
import {constants} from 'node:fs'
import {access} from 'node:fs/promises'
import {delimiter, dirname, isAbsolute, join, resolve} from 'node:path'
import {etcdctlBeside} from './etcdctl-path.js'

export interface SnapshotTool {
  readonly name: 'etcdutl' | 'etcdctl'
  /** What to run: a path, or `etcdctl` to find on PATH. */
  readonly path: string
}

export async function findSnapshotTool(etcd: string, searchPath = process.env.PATH ?? ''): Promise<SnapshotTool> {
  const binary = await locateBinary(etcd, searchPath)
  if (binary !== null) {
    const etcdutl = join(dirname(binary), 'etcdutl')
    if (await isExecutable(etcdutl)) return {name: 'etcdutl', path: etcdutl}
  }
  return {name: 'etcdctl', path: etcdctlBeside(etcd)}
}

/** The environment to run the tool in: etcdctl 3.4 is told the v3 API explicitly (etcdutl ignores it). */
export function snapshotToolEnv(): NodeJS.ProcessEnv {
  return {...process.env, ETCDCTL_API: '3'}
}

/** The binary's path: as given when it names a path, else the first executable of that name on PATH; null when not found. */
export async function locateBinary(etcd: string, searchPath: string): Promise<string | null> {
  if (etcd.includes('/')) return isAbsolute(etcd) ? etcd : resolve(etcd)
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, etcd)
    if (await isExecutable(candidate)) return candidate
  }
  return null
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
