// Raised when a spec cannot be migrated safely: the planner refuses instead of producing a plan that
// could lose quorum or data. Each reason says why and what to change in the spec.

export interface UnsafeReason {
  readonly code: string
  readonly message: string
  readonly hint: string
  /** Where in the spec the user should look, as a JSON path. */
  readonly path: readonly (string | number)[]
}

export class UnsafePlanError extends Error {
  constructor(readonly reasons: readonly UnsafeReason[]) {
    super(`the migration cannot be planned safely: ${reasons.map((r) => r.message).join('; ')}`)
    this.name = 'UnsafePlanError'
  }
}
