// The handful of styles etcdplan colours with. Renderers build them from the colour decision
// (should-use-colour.ts) and never use chalk's global instance, which would read the process
// environment behind their backs.
import {Chalk} from 'chalk'

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
