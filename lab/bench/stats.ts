// Summary statistics for the benchmark's figures: medians over runs, a percentile over one run's
// put latencies, and the "median (min–max)" cells of its tables.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * The nearest-rank percentile (p in (0, 100]): the smallest value with at least p % of the values at
 * or below it. Nearest-rank, not interpolated, so a p99 is always a latency some put really had.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new Error(`percentile: p must be in (0, 100], not ${p}`)
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!
}

/** "median (min–max)", or "–" without values; one value is shown alone. */
export function spread(values: readonly number[], format: (n: number) => string): string {
  if (values.length === 0) return '–'
  if (values.length === 1) return format(values[0]!)
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`
}
