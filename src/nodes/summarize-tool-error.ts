// What an etcd tool said, short enough for an error message (the full text stays in
// NodeProviderError.stderr). Measured on etcdctl 3.4.23:
// - a refusal is a line `Error: ...` (after JSON log lines, for `snapshot restore`: `Error: snapshot
//   missing hash but --skip-hash-check=false`); those lines are the summary;
// - a snapshot cut short mid-page crashes `snapshot status` on its memory map: `unexpected fault
//   address ...`, `fatal error: fault`, `[signal SIGBUS: bus error ...]`, then a goroutine dump of
//   some 10 kB; the first block (up to the first blank line) is the summary;
// - otherwise the last lines that are not JSON log lines.
const MAX_LINES = 3
const MAX_CHARS = 400

export function summarizeToolError(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim())
  const errors = [...new Set(lines.filter((line) => line.startsWith('Error:')))]
  let chosen: string[]
  if (errors.length > 0) {
    chosen = errors.slice(0, MAX_LINES)
  } else if (lines.some((line) => /^(fatal error|panic):/.test(line))) {
    const start = lines.findIndex((line) => line !== '')
    const end = lines.indexOf('', start)
    chosen = lines.slice(start, end === -1 ? undefined : end).slice(0, MAX_LINES)
  } else {
    chosen = lines.filter((line) => line !== '' && !line.startsWith('{')).slice(-MAX_LINES)
    if (chosen.length === 0) chosen = lines.filter((line) => line !== '').slice(-1)
  }
  const summary = chosen.join('; ')
  return summary.length > MAX_CHARS ? `${summary.slice(0, MAX_CHARS)}…` : summary
}
