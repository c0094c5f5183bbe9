// The spec's estimates.transferRate ("50MB/s", "200 MiB/s") in bytes per second. The schema allows
// only this shape, so a value that reaches here parses.

const UNIT_BYTES: Readonly<Record<string, number>> = {B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30}

export const TRANSFER_RATE_PATTERN = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)\/s$/

/** Bytes per second, or null when `text` is not a rate such as "50MB/s". */
export function parseTransferRate(text: string): number | null {
  const match = TRANSFER_RATE_PATTERN.exec(text.trim())
  if (match === null) return null
  const bytes = Number(match[1]) * UNIT_BYTES[match[2]!]!
  return bytes > 0 ? bytes : null
}
