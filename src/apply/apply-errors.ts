// Typed failures of an apply, each a UserError (shown as message + hint, no stack trace): the operator
// can act on every one of them, and the journal stays resumable.
import {UserError} from '../user-error.js'

/** A step could not be completed: what etcd (or the host) said, what it means, what to do. */
export class StepFailedError extends UserError {
  /** `reason`: why, without the "step X failed:" prefix. */
  constructor(
    readonly stepId: string,
    readonly reason: string,
    hint: string,
    readonly detail: string | null = null,
    /** The steps that depend on this one and were therefore not run. */
    readonly notRun: readonly string[] = [],
  ) {
    super(`step ${stepId} failed: ${reason}${detail === null || detail === '' ? '' : `\n${detail.split('\n').map((l) => `    | ${l}`).join('\n')}`}`, hint, 1, 'step-failed', {stepId, detail, notRun})
  }
}

/** The live cluster is not the one the plan was made for. */
export class StalePlanError extends UserError {
  constructor(readonly differences: readonly string[], hint: string) {
    super(`Saved plan is stale: the cluster changed since the plan was made:\n${differences.map((d) => `  - ${d}`).join('\n')}`, hint, 1, 'stale-plan', {differences})
  }
}

/** Exit code when apply stopped at a step only the operator can do (a manual DNS switch). */
export const EXIT_WAITING_FOR_OPERATOR = 3
