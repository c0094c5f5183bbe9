// An argv array as an operator would type it in a shell, for messages: the command is run without a
// shell, but showing it this way makes it copy-pasteable for a manual retry.

const PLAIN = /^[\w@%+=:,./-]+$/

export function formatCommand(argv: readonly string[]): string {
  return argv.map((arg) => (PLAIN.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ')
}
