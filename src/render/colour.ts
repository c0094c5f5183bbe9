// Whether output is coloured, and the handful of styles etcdplan colours with. Commands decide colour
// once (shouldUseColour) and pass the answer down; renderers build their styles from that boolean and
// never from chalk's global instance, which would read the process environment behind their backs.
import {Chalk} from 'chalk'

export interface ColourContext {
  /** Whether the stream the output goes to is a terminal (`process.stdout.isTTY`). */
  readonly isTTY: boolean
  readonly env: Readonly<Record<string, string | undefined>>
  /** `--no-color` was given. */
  readonly noColorFlag: boolean
}

/**
 * Precedence, strongest first: --no-color; NO_COLOR set to anything non-empty (https://no-color.org);
 * FORCE_COLOR (0/false force off, any other non-empty value forces on, e.g. for CI logs);
 * TERM=dumb; otherwise colour exactly when writing to a terminal.
 */
export function shouldUseColour({isTTY, env, noColorFlag}: ColourContext): boolean {
  if (noColorFlag) return false
  if (nonEmpty(env['NO_COLOR'])) return false
  const force = env['FORCE_COLOR']
  if (nonEmpty(force)) return force !== '0' && force.toLowerCase() !== 'false'
  if (env['TERM'] === 'dumb') return false
  return isTTY
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== ''
}

export type Style = (text: string) => string

export interface Styles {
  readonly added: Style
  readonly removed: Style
  readonly changed: Style
  /** Checks and reads (`<=`), diff hunk headers. */
  readonly check: Style
  readonly bold: Style
  readonly dim: Style
  /** The `error:` label of a diagnostic. */
  readonly error: Style
  /** The `warning:` / `Warning:` label. */
  readonly warning: Style
}

export function styles(colour: boolean): Styles {
  // Level 1 (16 basic colours) is enough for these styles and what every terminal supports.
  const chalk = new Chalk({level: colour ? 1 : 0})
  return {
    added: (text) => chalk.green(text),
    removed: (text) => chalk.red(text),
    changed: (text) => chalk.yellow(text),
    check: (text) => chalk.cyan(text),
    bold: (text) => chalk.bold(text),
    dim: (text) => chalk.dim(text),
    error: (text) => chalk.red.bold(text),
    warning: (text) => chalk.yellow.bold(text),
  }
}
