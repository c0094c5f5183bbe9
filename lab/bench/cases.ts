// The benchmark's cases: a kind of migration (join, or snapshot: the runbook's approach 1 or 2) on a
// database of a given shape, on one etcd version; each names the contenders raced on it and how many
// rounds the default run gives it (chosen so that the default cases finish in under 10 minutes on a
// 2-core machine; the 1 GB cases only with --large).
import {ETCD_34, etcd35, type EtcdMinor, type EtcdUnderTest} from '../etcd-versions.js'

export type CaseKind = 'join' | 'snapshot'
/** `runbook`: scripts/runbook-etcdctl.sh; `expert`: scripts/expert-etcdctl.sh; `by-hand`: runbook-etcdctl.sh --snapshot. */
export type Contender = 'runbook' | 'expert' | 'etcdplan' | 'by-hand' | 'etcdplan-snapshot'

export const LABEL: Record<Contender, string> = {
  runbook: 'runbook script (etcdctl)',
  expert: "expert's script (etcdctl)",
  etcdplan: 'etcdplan apply',
  'by-hand': 'approach 2 by hand (etcdctl, unverified)',
  'etcdplan-snapshot': 'etcdplan apply (strategy snapshot)',
}

export interface DataShape {
  /** In case names: 20k, 300m, 1g. */
  readonly id: string
  readonly keys: number
  readonly valueBytes: number
  readonly large: boolean
}

export const SHAPES: readonly DataShape[] = [
  {id: '20k', keys: 20_000, valueBytes: 1024, large: false},
  // 4,600 × 64 KiB = 301 MB; 16,000 × 64 KiB = 1.05 GB (etcd's default quota is 2 GiB).
  {id: '300m', keys: 4600, valueBytes: 64 * 1024, large: false},
  {id: '1g', keys: 16_000, valueBytes: 64 * 1024, large: true},
]

export interface BenchCase {
  /** e.g. join-20k-3.4 */
  readonly id: string
  readonly kind: CaseKind
  readonly shape: DataShape
  readonly minor: EtcdMinor
  readonly contenders: readonly Contender[]
  /** Rounds in a run without --rounds. */
  readonly defaultRounds: number
}

const CONTENDERS: Record<CaseKind, readonly Contender[]> = {join: ['runbook', 'expert', 'etcdplan'], snapshot: ['by-hand', 'etcdplan-snapshot']}

/** Every case there is, in the order they run. */
export function allCases(): BenchCase[] {
  const cases: BenchCase[] = []
  for (const shape of SHAPES) {
    for (const kind of ['join', 'snapshot'] as const) {
      for (const minor of ['3.4', '3.5'] as const) {
        // One round each: the 8 default cases take about 9 minutes on 2 cores (runs of 15-25 s each,
        // with the 6-s source age, loading and verifying); --rounds N for more.
        cases.push({id: `${kind}-${shape.id}-${minor}`, kind, shape, minor, contenders: CONTENDERS[kind], defaultRounds: 1})
      }
    }
  }
  return cases
}

/**
 * The cases a run takes: those named in `filter` (comma-separated ids, any shape), or else every case
 * that is not large unless `large`. Throws naming the unknown ids and the known ones.
 */
export function selectCases(filter: string | null, large: boolean): BenchCase[] {
  const cases = allCases()
  if (filter === null) return cases.filter((c) => large || !c.shape.large)
  const wanted = filter.split(',').map((s) => s.trim()).filter((s) => s !== '')
  const unknown = wanted.filter((id) => !cases.some((c) => c.id === id))
  if (unknown.length > 0) throw new Error(`--cases: no case ${unknown.join(', ')}; the cases are ${cases.map((c) => c.id).join(', ')}`)
  if (wanted.length === 0) throw new Error(`--cases needs at least one case id, e.g. --cases join-20k-3.4`)
  return cases.filter((c) => wanted.includes(c.id))
}

export function etcdOf(minor: EtcdMinor): EtcdUnderTest {
  return minor === '3.4' ? ETCD_34 : etcd35()
}
