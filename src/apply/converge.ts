// The loop every step runs: observe the cluster, decide (already done / not yet / act), and observe
// again after acting — never trusting a reply alone, since a membership call that times out may have
// been applied (etcd-facts.md, "Ambiguous results"). "Not yet" conditions are re-checked with a short
// backoff until the step's deadline; a wait that knows when it can end (etcd's 5-s health window,
// predicted from when the last member started) sleeps until then and is re-checked tightly from
// there, and one that ends any moment (a member starting) is re-checked tightly at once: the next
// step must start the moment etcd allows it, not up to one backoff later.
import {setTimeout as sleep} from 'node:timers/promises'
import type {LiveCluster} from '../cluster/live-cluster.js'
import {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import {classifyEtcdError} from '../cluster/etcd-failure.js'
import {StepFailedError} from './apply-errors.js'
import {explainEtcdError} from './explain-etcd-error.js'
import {failpoint, ReplyLostError} from './failpoint.js'
import type {StepContext} from './step-context.js'
import type {Progress} from './catch-up-progress.js'
import {progressEveryMs, StillWaitingClock} from './progress-interval.js'

export type Attempt =
  | {readonly done: string}
  /**
   * Not yet: observe again after a pause. `waitingFor` ("etcd6 to catch up") and `progress` feed the
   * still-waiting report. `soon`: it ends any moment (a started member publishing its name): re-check
   * every TIGHT_PAUSE_MS instead of backing off. `notBefore` (epoch ms): it cannot end before then;
   * sleep until then, then re-check every TIGHT_PAUSE_MS.
   */
  | {readonly wait: string; readonly waitingFor?: string; readonly progress?: Progress; readonly soon?: boolean; readonly notBefore?: number}
  /** Acted: observe again at once to verify. */
  | {readonly acted: string}
  /** The request was sent but its reply never came: observe again after a pause to learn whether it took effect. */
  | {readonly uncertain: string}

/** "waiting for etcd4 to publish its name" → "etcd4 to publish its name"; any other reason as it is. */
function waitingForOf(reason: string): string {
  return reason.replace(/^waiting (up to [^)]*\) )?for /, '')
}

/** What an attempt says, whichever kind it is. */
export function reasonOf(attempt: Attempt): string {
  return 'done' in attempt ? attempt.done : 'wait' in attempt ? attempt.wait : 'acted' in attempt ? attempt.acted : attempt.uncertain
}

/** Whether an attempt is etcd's `unhealthy cluster` refusal, as act() reports it. */
export function isHealthWindowWait(attempt: Attempt): attempt is Attempt & {readonly wait: string} {
  return 'wait' in attempt && attempt.wait.endsWith(HEALTH_WINDOW_WAIT)
}

export const HEALTH_WINDOW_WAIT = "waiting for etcd's 5-s health window (the member receiving the request must have been connected to every voter for 5 s)"

/**
 * The backoff of a wait that says nothing about its end: an observation costs ~10–15 ms (Status of
 * each member, the member list, alarms), so re-checking a few times a second costs little, while
 * every millisecond of pause past the moment the condition holds is added to the migration.
 */
export const FIRST_PAUSE_MS = 50
export const MAX_PAUSE_MS = 250
/** The pause of a wait that ends any moment, or whose predicted end has come. */
export const TIGHT_PAUSE_MS = 25

/**
 * How long a converge loop may take: timeoutMs from its start, which a step may lengthen once while
 * it runs when it learns the wait is a longer kind (a member receiving the leader's whole database).
 */
export class StepDeadline {
  private readonly startedAt = Date.now()

  constructor(private limitMs: number) {}

  get timeoutMs(): number {
    return this.limitMs
  }

  get at(): number {
    return this.startedAt + this.limitMs
  }

  /** At least `limitMs` from the start (never shortened). */
  extendTo(limitMs: number): void {
    this.limitMs = Math.max(this.limitMs, limitMs)
  }
}

export async function converge(ctx: StepContext, timeout: number | StepDeadline, attempt: (cluster: LiveCluster) => Promise<Attempt>, observe: () => Promise<LiveCluster> = ctx.observe): Promise<string> {
  const deadline = typeof timeout === 'number' ? new StepDeadline(timeout) : timeout
  let pause = FIRST_PAUSE_MS
  let lastReason = ''
  const started = Date.now()
  const stillWaiting = new StillWaitingClock(progressEveryMs(), started)
  for (;;) {
    let result: Attempt
    try {
      result = await attempt(await observe())
    } catch (error) {
      if (!(error instanceof ClusterUnreachableError)) throw error
      result = {wait: `no member answers (${error.errors[0] ?? 'unreachable'})`}
    }
    if ('done' in result) return result.done
    const reason = reasonOf(result)
    if (reason !== lastReason) ctx.emit({type: 'step-wait', id: ctx.step.id, reason})
    lastReason = reason
    if ('wait' in result && stillWaiting.due(Date.now())) {
      ctx.emit({type: 'still-waiting', id: ctx.step.id, waitingFor: result.waitingFor ?? waitingForOf(reason), elapsedMs: Date.now() - started, progress: result.progress ?? null})
    }
    if (Date.now() >= deadline.at) {
      throw notDoneWithin(ctx, deadline.timeoutMs, reason)
    }
    if ('acted' in result) continue
    const now = Date.now()
    const next = nextPause(result, pause, now)
    await sleep(Math.min(next.pauseMs, Math.max(0, deadline.at - now)))
    pause = next.backoffMs
  }
}

/** A step whose condition did not come within its time: resumable, with the last reason it waited for. */
function notDoneWithin(ctx: StepContext, timeoutMs: number, reason: string): StepFailedError {
  return new StepFailedError(ctx.step.id, `not done within ${Math.round(timeoutMs / 1000)} s: ${reason}`, 'fix the cause, then run the same apply again: it resumes at this step (raise the spec\'s timeouts if the cluster is just slow)')
}

/**
 * The pause after a "not yet" (`backoffMs`: the backoff now reached) and the backoff after it: until
 * a wait's predicted end, tightly once that has come or when it ends any moment (neither grows the
 * backoff), else the backoff, which grows by half up to MAX_PAUSE_MS.
 */
export function nextPause(result: Attempt, backoffMs: number, now: number): {readonly pauseMs: number; readonly backoffMs: number} {
  const grown = Math.min(MAX_PAUSE_MS, backoffMs * 1.5)
  if (!('wait' in result)) return {pauseMs: backoffMs, backoffMs: grown}
  if (result.notBefore !== undefined) return {pauseMs: Math.max(TIGHT_PAUSE_MS, result.notBefore - now), backoffMs}
  if (result.soon === true) return {pauseMs: TIGHT_PAUSE_MS, backoffMs}
  return {pauseMs: backoffMs, backoffMs: grown}
}

/**
 * Runs one etcd call. A "not yet" becomes a wait; an ambiguous failure (no reply) becomes uncertain:
 * the next observation tells whether it happened, and the step decides from that, never by sending
 * the request again blindly. A refusal that waiting cannot fix stops the step with etcd's words and
 * what they mean.
 */
export async function act(ctx: StepContext, description: string, call: () => Promise<unknown>): Promise<Attempt> {
  try {
    await call()
    if (failpoint('after-action', ctx.step.id) === 'lose-reply') throw new ReplyLostError(description)
    return {acted: `${description}: sent, verifying`}
  } catch (error) {
    const failure = classifyEtcdError(error)
    if (failure.kind === 'refused') {
      const explained = explainEtcdError(failure.message)
      throw new StepFailedError(ctx.step.id, `${description}: etcd refused: ${failure.message}`, `${explained.meaning} ${explained.action}`.trim())
    }
    if (failure.kind === 'ambiguous') return {uncertain: `${description}: no reply (${failure.message}); observing whether it took effect`}
    // etcd's 5-s rule (3.4, 3.5 < 3.5.30): `member add` waits until the receiving member's peer
    // streams have been up for 5 s after any member start (etcd-facts.md, "Membership gates").
    if (failure.message.includes('etcdserver: unhealthy cluster')) return {wait: `${description}: ${failure.message}: ${HEALTH_WINDOW_WAIT}`, waitingFor: "etcd's 5-s health window"}
    return {wait: `${description}: ${failure.message}`}
  }
}
