// An error the user can fix (bad input, stale plan, wrong cluster): shown as a message and a hint,
// never as a stack trace, and mapped to a non-zero exit code. Anything else that escapes is a bug.
// Each carries a stable `code` that `--json` consumers match on (the README lists them) and, where
// there is more to say than the message, structured `data` (the lock holder, the diagnostics, ...).

export type ErrorCode =
  | 'user-error' // anything without a more specific code
  | 'spec-invalid' // the spec has errors (data: diagnostics)
  | 'spec-unreadable'
  | 'plan-spec-mismatch' // a saved plan and its spec disagree (another spec, changed since, edited)
  | 'plan-not-from-planner' // a saved plan is not what the planner makes of its spec and recorded observation
  | 'plan-unreadable'
  | 'plan-unwritable'
  | 'plan-not-json'
  | 'plan-wrong-kind'
  | 'plan-format-version'
  | 'plan-schema'
  | 'plan-unknown-check' // a step needs a check this version does not know
  | 'plan-hash-mismatch'
  | 'stale-plan' // the live cluster is not the one the plan was made for (data: differences)
  | 'lock-held' // another apply holds the state lock (data: holder)
  | 'lock-stale' // the lock's holder is gone (data: holder, forceUnlock)
  | 'lock-corrupt'
  | 'lock-not-found'
  | 'journal-invalid'
  | 'step-failed' // a step could not be completed (data: stepId, dependents not run)
  | 'cluster-unreachable' // no endpoint answered
  | 'tls-handshake-failed' // the cluster answers, but etcdplan's TLS settings (cluster.tls) do not fit it
  | 'quorum-lost' // some members answer but no quorum: nothing can be planned or changed (data: answering, endpoints)
  | 'dns-switch-failed'
  | 'approval-needed' // apply needs a yes and has no terminal to ask
  | 'cancelled' // the user said no, or Ctrl-C at a question
  | 'invalid-flag'
  | 'state-path-invalid'
  | 'provider-unavailable'
  | 'nothing-to-roll-back' // plan --rollback: no journal of the migration (nothing was applied)
  | 'past-point-of-no-return' // plan --rollback: a step at or past the plan's point of no return ran (data: removed, stopped)
  | 'rollback-not-planned' // plan --rollback of a snapshot migration before its point of no return: the source was never changed
  | 'output-exists' // init: the spec file is there already and --force was not given
  | 'plan-other-migration' // diff: the two plans are of different migrations (data: old, new)

export class UserError extends Error {
  constructor(
    message: string,
    /** What to do about it, in one sentence. */
    readonly hint?: string,
    readonly exitCode = 1,
    readonly code: ErrorCode = 'user-error',
    /** Structured details for --json (merged into the error object). */
    readonly data: Readonly<Record<string, unknown>> = {},
  ) {
    super(message)
    this.name = 'UserError'
  }
}
