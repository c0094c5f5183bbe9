// Named points in the applier where a test can inject a fault, after etcd's own failpoints (gofail):
// a crash between an etcd call and the journal write, a reply lost after the request was sent, a
// leader change in the middle of a step. Nothing happens unless ETCDPLAN_FAILPOINT_HOOK names a
// program; it is then run synchronously at each point (so a SIGKILL it sends lands exactly there)
// with the point and the step's id as arguments. Its exit status picks the fault:
//   0  carry on
//   75 (after-action only) the reply is lost: the call took effect, but the applier gets a connection
//      error instead of the answer (etcd-facts.md, "Ambiguous results"); for a node action (onHost in
//      step-context.ts) the step fails as on a dropped connection, and the next apply resumes it
// Any other status is ignored, so a broken hook cannot change what the applier does.
import {spawnSync} from 'node:child_process'

export const FAILPOINT_HOOK_ENV = 'ETCDPLAN_FAILPOINT_HOOK'

export type Failpoint =
  /** A step boundary: the previous step is journaled, this one not yet started. */
  | 'before-step'
  /** The journal says the step is running; it has not observed or acted yet. */
  | 'step-running'
  /** An etcd call returned or a node action finished; the step has not verified or journaled it. */
  | 'after-action'
  /** The step verified its result; the journal does not record it as done yet. */
  | 'before-journal'
  /** Inside a journal write: the new content is in the temp file, the rename has not happened. */
  | 'journal-write'

export type FailpointFault = 'none' | 'lose-reply'

const LOSE_REPLY_STATUS = 75

export function failpoint(point: Failpoint, stepId = ''): FailpointFault {
  const hook = process.env[FAILPOINT_HOOK_ENV]
  if (hook === undefined || hook === '') return 'none'
  const result = spawnSync(hook, [point, stepId], {stdio: ['ignore', 'ignore', 'inherit']})
  return result.status === LOSE_REPLY_STATUS ? 'lose-reply' : 'none'
}

/** What the applier sees when a failpoint loses a reply: the error a dropped connection gives. */
export class ReplyLostError extends Error {
  constructor(description: string) {
    super(`Connection dropped after the request was sent (${description}; failpoint: reply lost)`)
    this.name = 'ReplyLostError'
  }
}
