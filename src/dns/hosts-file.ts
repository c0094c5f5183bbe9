// The hosts(5) format, read and edited as text: "ADDRESS NAME [NAME...] [# comment]" per line. Only
// the entries for one name are touched; every other line, comment, blank line and line ending is
// kept byte for byte, because /etc/hosts is shared with everything else on the machine.
import {normaliseAddress, sortAddresses} from './dns-addresses.js'

/** Marks the lines etcdplan appends, so that an operator reading the file knows where they came from. */
export const HOSTS_FILE_MARK = '# etcdplan'

interface Line {
  /** The line without its terminator. */
  readonly text: string
  /** '\n', '\r\n' or '' (the last line of a file that does not end with a newline). */
  readonly eol: string
}

/** The addresses the file maps `name` to (names compare case-insensitively), normalised and sorted. */
export function hostsFileAddresses(content: string, name: string): readonly string[] {
  const wanted = name.toLowerCase()
  const addresses: string[] = []
  for (const line of splitLines(content)) {
    const tokens = entryTokens(line.text)
    if (tokens.length < 2) continue
    if (tokens.slice(1).some((token) => token.toLowerCase() === wanted)) addresses.push(normaliseAddress(tokens[0]!))
  }
  return sortAddresses(addresses)
}

/**
 * The file with `name` removed from every line (a line left with no name is dropped) and one line
 * `ADDRESS<TAB>NAME # etcdplan` appended per address, in the file's own line ending.
 */
export function rewriteHostsFile(content: string, name: string, addresses: readonly string[]): string {
  const wanted = name.toLowerCase()
  const lines = splitLines(content)
  const eol = content.includes('\r\n') ? '\r\n' : '\n'
  let out = ''
  for (const line of lines) {
    const kept = withoutName(line.text, wanted)
    if (kept !== null) out += kept + line.eol
  }
  if (out !== '' && !out.endsWith('\n')) out += eol
  for (const address of addresses) out += `${address}\t${name} ${HOSTS_FILE_MARK}${eol}`
  return out
}

function splitLines(content: string): readonly Line[] {
  if (content === '') return []
  return content.split(/(?<=\n)/).map((piece) => {
    const eol = /\r?\n$/.exec(piece)?.[0] ?? ''
    return {text: piece.slice(0, piece.length - eol.length), eol}
  })
}

/** The whitespace-separated words before any '#': the address, then the names. */
function entryTokens(text: string): readonly string[] {
  return text.slice(0, commentStart(text)).split(/[ \t]+/).filter((token) => token !== '')
}

function commentStart(text: string): number {
  const at = text.indexOf('#')
  return at === -1 ? text.length : at
}

/**
 * The line with every occurrence of the name (and the whitespace before it) cut out; the line itself
 * when it does not map the name; null when the name was its only name, so nothing is left to map.
 */
function withoutName(text: string, wanted: string): string | null {
  const end = commentStart(text)
  const entry = text.slice(0, end)
  const rest = text.slice(end)
  const words = [...entry.matchAll(/([ \t]*)([^ \t]+)/g)]
  if (words.length < 2) return text
  const names = words.slice(1)
  const removed = names.filter((word) => word[2]!.toLowerCase() === wanted)
  if (removed.length === 0) return text
  if (removed.length === names.length) return null
  let kept = ''
  let position = 0
  for (const word of removed) {
    kept += entry.slice(position, word.index)
    position = word.index + word[0].length
  }
  return kept + entry.slice(position) + rest
}
