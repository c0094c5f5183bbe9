// How far a catching-up member is, in the unit that means most: bytes (its DB size against the
// leader's, both from Status) while it is still receiving the data, raft entries (applied index
// against the leader's committed index) when bytes say nothing (sizes unknown, or the member's DB is
// already as big: compaction and defragmentation make sizes differ). The ETA is the rate observed
// since the first sample, extrapolated.

export interface ProgressSample {
  readonly at: number
  readonly applied: number
  readonly leaderIndex: number
  readonly memberDbSize: number | null
  readonly leaderDbSize: number | null
}

export interface Progress {
  readonly unit: 'bytes' | 'entries'
  readonly done: number
  readonly total: number
  /** null until two samples show progress. */
  readonly etaMs: number | null
}

export class CatchUpProgress {
  private first: ProgressSample | null = null

  /** The progress after `sample`. */
  update(sample: ProgressSample): Progress {
    const first = this.first ?? sample
    this.first = first
    const bytes = sample.memberDbSize !== null && sample.leaderDbSize !== null && sample.leaderDbSize > 0 && sample.memberDbSize < sample.leaderDbSize
    const [done, total, startDone] = bytes
      ? [sample.memberDbSize!, sample.leaderDbSize!, first.memberDbSize ?? 0]
      : [sample.applied, sample.leaderIndex, first.applied]
    return {unit: bytes ? 'bytes' : 'entries', done, total, etaMs: etaOf(done - startDone, sample.at - first.at, total - done)}
  }
}

function etaOf(progressed: number, elapsedMs: number, left: number): number | null {
  if (left <= 0) return 0
  if (progressed <= 0 || elapsedMs <= 0) return null
  return Math.round((left * elapsedMs) / progressed)
}
