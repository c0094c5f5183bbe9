// Go-style durations as etcd and its tooling write them ("10m", "1m30s", "500ms", "2h"), parsed the
// way Go's time.ParseDuration does, so a value that works in an etcd flag works here too.

export type DurationResult = {readonly ok: true; readonly ms: number} | {readonly ok: false; readonly reason: string}

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek mu; Go accepts both
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}

const TERM = /^(\d+(?:\.\d*)?|\.\d+)([^\d.]*)/

/** Milliseconds of a positive Go duration; a sign, a bare number, a missing or unknown unit is a reason. */
export function parseDuration(text: string): DurationResult {
  const trimmed = text.trim()
  if (trimmed === '') return {ok: false, reason: 'it is empty'}
  if (/^[+-]/.test(trimmed)) return {ok: false, reason: 'it must not have a sign'}
  if (/\s/.test(trimmed)) {
    const joined = parseDuration(trimmed.replace(/\s+/g, ''))
    return joined.ok ? {ok: false, reason: 'it must not contain spaces'} : joined
  }
  let rest = trimmed
  let ms = 0
  while (rest !== '') {
    const match = TERM.exec(rest)
    if (match === null) return {ok: false, reason: `"${rest}" is not a number followed by a unit`}
    const [whole, number, unit] = match as unknown as [string, string, string]
    if (unit === '') return {ok: false, reason: `${number} has no unit (h, m, s, ms, us or ns)`}
    const factor = UNIT_MS[unit]
    if (factor === undefined) return {ok: false, reason: `unknown unit "${unit}" (use h, m, s, ms, us or ns)`}
    ms += Number(number) * factor
    rest = rest.slice(whole.length)
  }
  if (ms <= 0) return {ok: false, reason: 'it must be longer than 0'}
  return {ok: true, ms}
}
