// Whether output is coloured. Commands decide once and pass the answer down to the renderers; this
// module stays free of chalk so that deciding costs nothing at start-up.

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
