// What the applier reports while it works. The core never prints: the apply command renders these as
// one line per step (text) or as JSON lines (--json), the way the CDK toolkit's IO host does.

import type {Progress} from './catch-up-progress.js'

export type ApplyEvent =
  | {readonly type: 'apply-start'; readonly plan: string; readonly steps: number; readonly done: number; readonly journal: string}
  | {readonly type: 'journal-superseded'; readonly previous: string; readonly movedTo: string}
  | {readonly type: 'step-skip'; readonly id: string; readonly index: number; readonly total: number}
  | {readonly type: 'step-start'; readonly id: string; readonly index: number; readonly total: number; readonly attempt: number}
  | {readonly type: 'step-wait'; readonly id: string; readonly reason: string}
  /** Something the step could not check (the node provider cannot observe it), and what it relies on instead. */
  | {readonly type: 'step-warning'; readonly id: string; readonly warning: string}
  | {readonly type: 'catch-up'; readonly id: string; readonly member: string; readonly applied: number; readonly leader: number; readonly entriesPerSecond: number | null; readonly memberDbSize?: number | null; readonly leaderDbSize?: number | null}
  /**
   * Every 10 s (ETCDPLAN_PROGRESS_EVERY_MS in tests) while a step waits: what for, since when, and how
   * far (catch-up: the member's DB size against the leader's, or raft entries), with the time left at
   * the rate seen so far.
   */
  | {readonly type: 'still-waiting'; readonly id: string; readonly waitingFor: string; readonly elapsedMs: number; readonly progress: Progress | null}
  /** `estimatedMs`: the plan's estimate of the step (null: the operator's, unknown; absent: a plan without estimates). */
  | {readonly type: 'step-done'; readonly id: string; readonly index: number; readonly total: number; readonly elapsedMs: number; readonly outcome: string; readonly estimatedMs?: number | null}
  | {readonly type: 'step-failed'; readonly id: string; readonly index: number; readonly total: number; readonly elapsedMs: number; readonly error: string}
  /** Steps that depend on a failed one, directly or not: not run. */
  | {readonly type: 'upstream-failed'; readonly failed: string; readonly notRun: readonly string[]}
  | {readonly type: 'operator-needed'; readonly id: string; readonly instructions: string}
  /** `ran` = steps run in this apply (0 when the journal already recorded every step done). */
  | {readonly type: 'apply-done'; readonly elapsedMs: number; readonly steps: number; readonly ran: number}

export type EmitEvent = (event: ApplyEvent) => void
