// How often a step that is still waiting says so ("Still waiting for etcd6 to catch up… [00m20s
// elapsed, ...]"): every 10 s, like terraform. ETCDPLAN_PROGRESS_EVERY_MS shortens it for tests only
// (a test cannot wait 10 s per line); it is documented in DEVELOPERS.md, not offered to users.

export const PROGRESS_EVERY_MS = 10_000

export function progressEveryMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.ETCDPLAN_PROGRESS_EVERY_MS)
  return Number.isInteger(value) && value > 0 ? value : PROGRESS_EVERY_MS
}

/** Whether a "still waiting" report is due: one every `everyMs` since the step began waiting. */
export class StillWaitingClock {
  private next: number
  constructor(private readonly everyMs: number, startedAt: number) {
    this.next = startedAt + everyMs
  }

  due(now: number): boolean {
    if (now < this.next) return false
    while (this.next <= now) this.next += this.everyMs
    return true
  }
}
