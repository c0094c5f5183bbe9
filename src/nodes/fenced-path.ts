// Where fenceMember (node-provider.ts) puts a removed member's config file, data dir and wal-dir:
// beside each, named by when it was moved (UTC), so that nothing is deleted, the copies sort by
// time, and an operator finds them next to the path they came from (and can move them back). Pure,
// so that every provider names them the same way; the stamp is failed-start-path.ts's.

/** The suffix every fenced path carries before its stamp. */
export const FENCED_SUFFIX = '.removed-'

/** `<path>.removed-<yyyymmddThhmmssZ>`, with `-<n>` from the second candidate on (a name already taken). */
export function fencedPath(path: string, at: Date, candidate = 1): string {
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')
  return `${path.replace(/\/+$/, '')}${FENCED_SUFFIX}${stamp}${candidate > 1 ? `-${candidate}` : ''}`
}

/**
 * The newest of `names` (entries of the path's directory) that is a fenced copy of `base` (the
 * path's last component), or null. Stamps sort by time; `-<n>` candidates of one second after it.
 */
export function newestFencedName(base: string, names: readonly string[]): string | null {
  const copies = names.filter((n) => n.startsWith(`${base}${FENCED_SUFFIX}`) && /^\d{8}T\d{6}Z(-\d+)?$/.test(n.slice(base.length + FENCED_SUFFIX.length)))
  if (copies.length === 0) return null
  const key = (n: string) => {
    const [stamp, nth] = n.slice(base.length + FENCED_SUFFIX.length).split('-')
    return `${stamp}-${(nth ?? '1').padStart(6, '0')}`
  }
  return copies.reduce((a, b) => (key(b) > key(a) ? b : a))
}
