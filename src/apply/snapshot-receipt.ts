// What a joining member too far behind for the leader's raft log shows while it catches up: it
// answers no Status while it receives the leader's whole database as a snapshot (docs/etcd-facts.md,
// "Catch-up"), so the bytes of the file it receives into, read on its host, are the progress.
import type {LiveCluster} from '../cluster/live-cluster.js'
import {leaderStatus} from '../cluster/live-cluster.js'
import {NotObservableError} from '../nodes/not-observable.js'
import {CatchUpProgress} from './catch-up-progress.js'
import type {Attempt} from './converge.js'
import {requireMemberSpec, type StepContext} from './step-context.js'

/**
 * A member too far behind for the leader's raft log answers no Status while it receives the leader's
 * whole database as a snapshot (docs/etcd-facts.md, "Caught up"): the only progress there is then is
 * the size of the file it receives into, which the provider reads on its host — at most once a second
 * (over ssh each look is a round trip), and not at all once a provider has said it cannot look. The
 * progress is only for the operator's eyes: a look that fails or is slow (the host cut off: the step's
 * own checks tell) is no progress, never a failure of the step, and the next look waits longer.
 */
export class SnapshotReceipt {
  private readonly tracker = new CatchUpProgress()
  private nextLookAt = 0
  private last: Attempt | null = null
  private observable = true

  constructor(
    private readonly ctx: StepContext,
    private readonly memberName: string,
  ) {}

  async sample(cluster: LiveCluster): Promise<Attempt | null> {
    const now = Date.now()
    if (!this.observable) return null
    if (now < this.nextLookAt) return this.last
    this.nextLookAt = now + LOOK_EVERY_MS
    const member = requireMemberSpec(this.ctx, this.memberName)
    let bytes: number | null
    try {
      bytes = await withinMs(this.ctx.provider.receivingSnapshotBytes(member), LOOK_TIMEOUT_MS)
    } catch (error) {
      if (error instanceof NotObservableError) {
        this.observable = false
      } else {
        this.nextLookAt = Date.now() + LOOK_AFTER_FAILURE_MS
      }
      return (this.last = null)
    }
    const leaderDbSize = leaderStatus(cluster)?.dbSize ?? null
    if (bytes === null || leaderDbSize === null) return (this.last = null)
    const progress = this.tracker.update({at: now, applied: 0, leaderIndex: 0, memberDbSize: bytes, leaderDbSize})
    // The reason stays the same while the bytes grow (a new reason is a new step-wait event); the bytes are the progress.
    this.last = {wait: `${this.memberName} is receiving the leader's snapshot (its whole database) and answers no Status until it has`, waitingFor: `${this.memberName} to receive the leader's snapshot`, progress}
    return this.last
  }
}

const LOOK_EVERY_MS = 1000
/** A look that takes longer is given up (its answer, when it comes, is dropped): the wait loop goes on. */
const LOOK_TIMEOUT_MS = 2000
const LOOK_AFTER_FAILURE_MS = 10_000

class LookTimedOut extends Error {}

/** `promise`, or a rejection after `ms`; the promise's own later rejection is handled (dropped). */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => {})
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LookTimedOut(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
