// Quoting for the remote shell. ssh joins its remote command's words with spaces and the host's
// login shell parses the result (`$SHELL -c "..."`), so every word etcdplan sends is single-quoted
// there: inside '...' a POSIX shell expands nothing, and a `'` in the value is written `'\''` (end
// the quote, an escaped quote, quote again). Values from the spec reach the helper script only like
// this, as whole arguments, never spliced into a command line (issue 11, "Providers -> ssh").

/** The value as one word for a POSIX shell, whatever it holds (`;`, `$(...)`, quotes, spaces, newlines). */
export function quoteForShell(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/** The argv as one command line for a POSIX shell: each word quoted, joined by spaces. */
export function shellCommandLine(argv: readonly string[]): string {
  return argv.map(quoteForShell).join(' ')
}
