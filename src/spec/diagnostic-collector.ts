// Collects the diagnostics of one spec file, placing each at its source position. Every check writes
// here instead of returning early, which is what lets `validate` report every problem in one pass.
import type {Diagnostic, Severity} from './diagnostic.js'
import type {SourcePositions} from './source-positions.js'
import type {SpecPath} from './spec-path.js'

export interface Finding {
  readonly code: string
  readonly path: SpecPath
  readonly message: string
  readonly hint?: string
  /** 'key' places the diagnostic on the key of the last path segment (unknown or forbidden keys). */
  readonly at?: 'key' | 'value'
}

export class DiagnosticCollector {
  private readonly found: Diagnostic[] = []

  constructor(
    private readonly file: string,
    private readonly positions: SourcePositions,
  ) {}

  error(finding: Finding): void {
    this.add('error', finding)
  }

  warning(finding: Finding): void {
    this.add('warning', finding)
  }

  /** For diagnostics positioned by other means (YAML parser errors). */
  addAt(severity: Severity, finding: Omit<Finding, 'at'>, line: number, col: number): void {
    this.found.push(build(severity, finding, this.file, line, col))
  }

  hasErrors(): boolean {
    return this.found.some((d) => d.severity === 'error')
  }

  /** Sorted by line, then column; diagnostics at one position keep the order they were found in. */
  sorted(): Diagnostic[] {
    return [...this.found].sort((a, b) => a.line - b.line || a.col - b.col)
  }

  private add(severity: Severity, finding: Finding): void {
    const {line, col} = finding.at === 'key' ? this.positions.locateKey(finding.path) : this.positions.locateValue(finding.path)
    this.found.push(build(severity, finding, this.file, line, col))
  }
}

function build(severity: Severity, finding: Omit<Finding, 'at'>, file: string, line: number, col: number): Diagnostic {
  return {
    severity,
    code: finding.code,
    message: finding.message,
    ...(finding.hint === undefined ? {} : {hint: finding.hint}),
    file,
    line,
    col,
    path: [...finding.path],
  }
}
