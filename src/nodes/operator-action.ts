// The manual provider's answer to every node operation (write a config, start, stop, restart,
// restore): not done, here is exactly what the operator must do. The step being run turns it into
// the operator result (src/apply/step-result.ts: apply stops with exit code 3 and these
// instructions) unless the operator has confirmed that step (`apply --confirm STEP_ID`): then the
// action counts as done and `confirmedResult` is what the provider method answers (onHost in
// src/apply/step-context.ts). What can be observed afterwards is still verified by the step.
export class OperatorActionNeeded extends Error {
  constructor(
    /** The provider operation, e.g. "start". */
    readonly operation: string,
    readonly member: string,
    /** Complete, copy-pasteable instructions: the commands to run and the files in full. */
    readonly instructions: string,
    /** What the provider method resolves to once the operator confirmed it ('restored' for restore). */
    readonly confirmedResult: unknown = undefined,
  ) {
    super(`${operation} of ${member} is the operator's to do (nodes.provider manual)`)
  }
}
