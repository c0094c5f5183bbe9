// A problem found in a user's input (spec file, plan file), located precisely enough for an editor
// to jump to it: FILE:LINE:COL, 1-based, as compilers print them.

export type Severity = 'error' | 'warning'

export interface Diagnostic {
  readonly severity: Severity
  /** Stable machine-readable code, e.g. 'yaml-syntax', 'unknown-key', 'duplicate-peer-url'. */
  readonly code: string
  readonly message: string
  /** What to do about it, e.g. 'did you mean "peerURL"?'. */
  readonly hint?: string
  readonly file: string
  /** 1-based line and column of the offending node (the key for unknown keys, the value otherwise). */
  readonly line: number
  readonly col: number
  /** JSON path of the offending value inside the document, e.g. ['target', 'members', 0, 'peerURL']. */
  readonly path: readonly (string | number)[]
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error')
}
