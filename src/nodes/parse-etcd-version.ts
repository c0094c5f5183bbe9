// The version an etcd binary reports: `etcd --version` prints `etcd Version: X.Y.Z` as its first
// line (3.0 through 3.6; then `Git SHA`, `Go Version`, `Go OS/Arch`). Pre-release suffixes
// (3.5.0-rc.1) are kept in the text; only major, minor and patch count for the version skew rule.

export interface EtcdVersion {
  readonly major: number
  readonly minor: number
  readonly patch: number
  /** As the binary printed it, e.g. "3.4.23" or "3.6.0-rc.2". */
  readonly text: string
}

const FIRST_LINE = /^etcd Version: (\d+)\.(\d+)\.(\d+)(\S*)\s*$/

/** The version in `etcd --version` output; null when its first line is not `etcd Version: X.Y.Z`. */
export function parseEtcdVersion(output: string): EtcdVersion | null {
  const first = output.split('\n', 1)[0] ?? ''
  const match = FIRST_LINE.exec(first.trim())
  if (match === null) return null
  return {major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), text: `${match[1]}.${match[2]}.${match[3]}${match[4]}`}
}

/** A Status `version` ("3.4.23") or cluster version ("3.4.0") as major.minor; null when it is not one. */
export function parseServerVersion(text: string): EtcdVersion | null {
  const match = /^(\d+)\.(\d+)\.(\d+)(\S*)$/.exec(text.trim())
  if (match === null) return null
  return {major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), text: text.trim()}
}
