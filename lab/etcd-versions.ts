// The etcd versions the tests run, and where each one's binaries are: 3.4 is the system's (Debian
// bookworm's 3.4.23 on PATH), 3.5 is Debian trixie's, unpacked beside it by scripts/ensure-etcd35.sh
// (never installed over the system's). Tests and the demo find binaries only through here, never by
// a hard-coded path, so the cache location is decided in one place (the script's defaults, repeated
// below; ETCDPLAN_ETCD35_DIR overrides both).
import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

export type EtcdMinor = '3.4' | '3.5'

export interface EtcdUnderTest {
  /** "3.4" or "3.5": the major.minor the binaries report. */
  readonly minor: EtcdMinor
  /** The etcd binary (a bare name means: from PATH). */
  readonly etcd: string
  readonly etcdctl: string
  /** etcdutl, which 3.5 ships (snapshot restore/status); null for 3.4, which has none. */
  readonly etcdutl: string | null
}

/** Where scripts/ensure-etcd35.sh unpacks Debian trixie's etcd-server and etcd-client. */
export function etcd35BinDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.ETCDPLAN_ETCD35_DIR ?? join(env.ETCDPLAN_CACHE ?? join(homedir(), '.cache', 'etcdplan'), 'etcd-3.5')
  return join(root, 'usr', 'bin')
}

export const ETCD_34: EtcdUnderTest = {minor: '3.4', etcd: 'etcd', etcdctl: 'etcdctl', etcdutl: null}

/** etcd 3.5's binaries; throws, saying how to install them, when the script has not run. */
export function etcd35(): EtcdUnderTest {
  const bin = etcd35BinDir()
  const etcd = join(bin, 'etcd')
  if (!existsSync(etcd)) throw new Error(`etcd 3.5 is not installed at ${bin}: run \`bash scripts/ensure-etcd35.sh\` (npm test's pretest does)`)
  return {minor: '3.5', etcd, etcdctl: join(bin, 'etcdctl'), etcdutl: join(bin, 'etcdutl')}
}

/** Every version the tests run against, oldest first. */
export function etcdVersionsUnderTest(): EtcdUnderTest[] {
  return [ETCD_34, etcd35()]
}
