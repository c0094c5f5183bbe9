// Diagnostics the way compilers print them, so editors and terminals can jump to FILE:LINE:COL:
//
//   plans/runbook.yaml:3:5: error: unknown key "peerUrl"
//     3 |     peerUrl: http://10.0.1.1:2380
//       |     ^
//     hint: did you mean "peerURL"?
//
// and a count line at the end. Diagnostics are shown in source order (file, line, column), whatever
// order the validator found them in.
import {hasErrors, type Diagnostic} from '../spec/diagnostic.js'
import {styles, type Styles} from './colour.js'
import {pluralize} from './pluralize.js'

export interface RenderDiagnosticsOptions {
  readonly colour: boolean
  /** Source text by file name; a diagnostic whose file is here gets a code frame. */
  readonly sources?: ReadonlyMap<string, string>
  /** What was checked, for the closing line: `<subject> is valid`. Default 'spec'. */
  readonly subject?: string
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], options: RenderDiagnosticsOptions): string {
  const s = styles(options.colour)
  const blocks = sortDiagnostics(diagnostics).map((d) => renderOne(d, options.sources?.get(d.file), s))
  return [...blocks, countLine(diagnostics, options.subject ?? 'spec', s)].join('\n\n')
}

export interface DiagnosticsJson {
  readonly valid: boolean
  readonly errors: number
  readonly warnings: number
  readonly diagnostics: Diagnostic[]
}

/** The `--json` form: plain data, the diagnostics in the same order as the human view. */
export function diagnosticsToJson(diagnostics: readonly Diagnostic[]): DiagnosticsJson {
  const {errors, warnings} = countBySeverity(diagnostics)
  return {
    valid: !hasErrors(diagnostics),
    errors,
    warnings,
    diagnostics: sortDiagnostics(diagnostics).map((d) => ({...d, path: [...d.path]})),
  }
}

/** One diagnostic in an error's JSON: every field present (hint null when there is none), in a fixed order. */
export interface DiagnosticJson {
  readonly severity: Diagnostic['severity']
  readonly code: string
  readonly message: string
  readonly hint: string | null
  readonly file: string
  readonly line: number
  readonly col: number
  readonly path: (string | number)[]
}

/**
 * `plan`, `apply` and `status` with --json, when the spec has errors: one line on stdout shaped like
 * every other --json error ({"type":"error","error":{message, hint}}), with the code spec-invalid and
 * the diagnostics, so a script gets FILE:LINE:COL without parsing text.
 */
export function specInvalidJson(message: string, hint: string | undefined, diagnostics: readonly Diagnostic[]): string {
  const listed: DiagnosticJson[] = sortDiagnostics(diagnostics).map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    hint: d.hint ?? null,
    file: d.file,
    line: d.line,
    col: d.col,
    path: [...d.path],
  }))
  return JSON.stringify({type: 'error', error: {code: 'spec-invalid', message, hint: hint ?? null, diagnostics: listed}})
}

function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  // Array.prototype.sort is stable, so diagnostics at one position keep the validator's order.
  return [...diagnostics].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col))
}

function renderOne(d: Diagnostic, source: string | undefined, s: Styles): string {
  const label = d.severity === 'error' ? s.error('error:') : s.warning('warning:')
  const lines = [`${s.bold(`${d.file}:${d.line}:${d.col}:`)} ${label} ${d.message}`]
  if (source !== undefined) lines.push(...codeFrame(source, d, s))
  if (d.hint !== undefined && d.hint !== '') lines.push(`  ${s.check('hint:')} ${d.hint}`)
  return lines.join('\n')
}

/** The offending line and a caret under its column; nothing when the position is not in the text. */
function codeFrame(source: string, d: Diagnostic, s: Styles): string[] {
  const text = source.split('\n')[d.line - 1]?.replace(/\r$/, '')
  if (text === undefined) return []
  const number = String(d.line)
  const gutter = ' '.repeat(number.length)
  // Keep tabs before the column so the caret lines up however the terminal expands them.
  const lead = text
    .slice(0, Math.max(0, d.col - 1))
    .replace(/[^\t]/g, ' ')
    .padEnd(Math.max(0, d.col - 1), ' ')
  const caret = d.severity === 'error' ? s.error('^') : s.warning('^')
  return [`  ${s.dim(`${number} |`)} ${text}`, `  ${s.dim(`${gutter} |`)} ${lead}${caret}`]
}

function countBySeverity(diagnostics: readonly Diagnostic[]): {errors: number; warnings: number} {
  const errors = diagnostics.filter((d) => d.severity === 'error').length
  return {errors, warnings: diagnostics.length - errors}
}

function countLine(diagnostics: readonly Diagnostic[], subject: string, s: Styles): string {
  const {errors, warnings} = countBySeverity(diagnostics)
  if (errors === 0) return warnings === 0 ? s.added(`${subject} is valid`) : `${s.added(`${subject} is valid`)} (${pluralize(warnings, 'warning')})`
  const parts = [s.error(pluralize(errors, 'error')), ...(warnings > 0 ? [s.warning(pluralize(warnings, 'warning'))] : [])]
  return parts.join(', ')
}

