// The etcd versions the tests run, and where each one's binaries are: 3.4 is the system's (Debian
// bookworm's 3.4.23 on PATH), 3.5 is Debian trixie's, unpacked beside it by scripts/ensure-etcd35.sh
// (never installed over the system's). Tests find binaries only through here, never by a hard-coded
// path: the 3.5 directory is what the script itself answers (`--bin-dir`: no network, fails when
// not installed), so its location (ETCDPLAN_CACHE, ETCDPLAN_ETCD35_DIR) is decided in one place.
import {execFileSync} from 'node:child_process'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SCRIPT = join(ROOT, 'scripts', 'ensure-etcd35.sh')

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

export const ETCD_34: EtcdUnderTest = {minor: '3.4', etcd: 'etcd', etcdctl: 'etcdctl', etcdutl: null}

let cached: EtcdUnderTest | null = null

/** etcd 3.5's binaries; throws, saying how to install them, when the script has not run. */
export function etcd35(): EtcdUnderTest {
  if (cached !== null) return cached
  let bin: string
  try {
    bin = execFileSync('bash', [SCRIPT, '--bin-dir'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim()
  } catch (error) {
    const stderr = String((error as {stderr?: string}).stderr ?? '').trim()
    throw new Error(`etcd 3.5 is needed and not installed: run \`bash scripts/ensure-etcd35.sh\` (npm test's pretest does)${stderr === '' ? '' : `\n${stderr}`}`)
  }
  cached = {minor: '3.5', etcd: join(bin, 'etcd'), etcdctl: join(bin, 'etcdctl'), etcdutl: join(bin, 'etcdutl')}
  return cached
}

/** Every version the tests run against, oldest first. */
export function etcdVersionsUnderTest(): EtcdUnderTest[] {
  return [ETCD_34, etcd35()]
}
