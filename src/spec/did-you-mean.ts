// "Did you mean" suggestions for misspelt keys, enum values and member names. Case is ignored when
// measuring, because the commonest slip is peerUrl for peerURL.

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("leraner"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({length: rows}, (_, i) => Array.from({length: cols}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[a.length]![b.length]!
}

/** The candidate closest to `word`, when it is close enough to be a plausible typo; otherwise undefined. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const needle = normalise(word)
  // A third of the word's length, at least 1 and at most 3 edits: catches typos without proposing
  // unrelated keys for short words.
  const limit = Math.min(3, Math.max(1, Math.floor(needle.length / 3)))
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(needle, normalise(candidate))
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= limit ? best : undefined
}

// peer_url, peer-url and PeerUrl are all the same slip for peerURL.
function normalise(word: string): string {
  return word.toLowerCase().replace(/[-_ ]/g, '')
}
