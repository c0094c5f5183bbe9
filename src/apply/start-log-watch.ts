// While a step waits for a member it (re)started to serve, the member's log is read, about once a
// second, for the line that says why etcd cannot start (etcd-start-failure.ts): the step then stops
// with etcd's own words at once, instead of waiting out its timeout to say only that it was not done.
// Only the lines of the latest start count (the provider's start mark, src/nodes/start-mark.ts).
import type {MemberSpec} from '../spec/types.js'
import {sinceLastStart} from '../nodes/start-mark.js'
import {findStartFailure, type StartFailure} from './etcd-start-failure.js'
import type {StepContext} from './step-context.js'

/** How much of the log is read: more than etcd writes at start-up before it either serves or fails. */
const LOG_LINES = 300
/** How many of the latest start's lines an error shows. */
const DETAIL_LINES = 20
/** Reads at most this often; a process found gone is read at once. */
const READ_EVERY_MS = 1000

export interface FoundStartFailure {
  readonly failure: StartFailure
  /** The last lines of the latest start, for the error's detail. */
  readonly tail: string
}

/** The failure in what a log tail holds of the latest start; null when etcd has not said it cannot start. */
export function startFailureIn(tail: string): FoundStartFailure | null {
  const lines = sinceLastStart(tail)
  const failure = findStartFailure(lines)
  return failure === null ? null : {failure, tail: lines.trimEnd().split('\n').slice(-DETAIL_LINES).join('\n')}
}

export class StartLogWatch {
  private lastRead = Number.NEGATIVE_INFINITY

  constructor(
    private readonly ctx: StepContext,
    private readonly member: MemberSpec,
  ) {}

  /** What etcd said about why this start fails; reads the log only when a second has passed since the last read, or `now`. */
  async failure(now: boolean): Promise<FoundStartFailure | null> {
    if (!now && Date.now() - this.lastRead < READ_EVERY_MS) return null
    this.lastRead = Date.now()
    return startFailureIn(await this.ctx.provider.logTail(this.member, LOG_LINES))
  }
}
