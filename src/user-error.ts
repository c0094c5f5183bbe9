// An error the user can fix (bad input, stale plan, wrong cluster): shown as a message and a hint,
// never as a stack trace, and mapped to a non-zero exit code. Anything else that escapes is a bug.

export class UserError extends Error {
  constructor(
    message: string,
    /** What to do about it, in one sentence. */
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message)
    this.name = 'UserError'
  }
}
