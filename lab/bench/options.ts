// The benchmark's command line (npm run bench -- FLAGS).
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

export interface Options {
  /** Rounds per case; null: each case's default. */
  readonly rounds: number | null
  readonly out: string
  readonly cases: string | null
  readonly large: boolean
  readonly keepFailed: boolean
  readonly help: boolean
}

export const USAGE = `usage: npm run bench -- [--cases ID,ID,...] [--large] [--rounds N] [--out FILE] [--keep-failed]

Races etcdplan apply against etcdctl scripts on fresh local etcd clusters (loopback), one markdown
table per case. A case is KIND-SIZE-VERSION:
  KIND     join (the runbook's approach 1: runbook script, expert's script, etcdplan apply) or
           snapshot (approach 2: by hand with etcdctl/etcdutl, etcdplan apply with strategy snapshot)
  SIZE     20k (20,000 × 1 KiB), 300m (4,600 × 64 KiB, ~300 MB), 1g (16,000 × 64 KiB, ~1 GB)
  VERSION  3.4 (the system's etcd) or 3.5 (scripts/ensure-etcd35.sh)

  --cases ID,...  only these cases, e.g. --cases join-20k-3.4,snapshot-300m-3.5
  --large         also the 1g cases (without --cases: every case; slow, several minutes each)
  --rounds N      rounds per case (default 1: the default cases take about 9 minutes on 2 cores);
                  contenders alternate their order from round to round
  --out FILE      raw results as JSON (default: a file in ${tmpdir()}); each run's log beside it in
                  FILE-logs/
  --keep-failed   keep a failed run's work dir (its members stopped) to look at
  --help          this text`

export function parseArgs(argv: readonly string[]): Options {
  let rounds: number | null = null
  let out = join(tmpdir(), `etcdplan-bench-migration-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  let cases: string | null = null
  let large = false
  let keepFailed = false
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value\n${USAGE}`)
      return v
    }
    if (arg === '--rounds') rounds = positive(arg, value())
    else if (arg === '--out') out = resolve(value())
    else if (arg === '--cases') cases = value()
    else if (arg === '--large') large = true
    else if (arg === '--keep-failed') keepFailed = true
    else if (arg === '--help' || arg === '-h') help = true
    else throw new Error(`unknown argument ${arg}\n${USAGE}`)
  }
  return {rounds, out, cases, large, keepFailed, help}
}

function positive(flag: string, text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number ≥ 1, not ${text}`)
  return n
}

/** Where each run's contender output goes: beside the results file. */
export function logsDirOf(out: string): string {
  return out.replace(/\.json$/, '') + '-logs'
}
