// Where moveDataDirAside (node-provider.ts) puts a data dir that a failed first start left behind:
// beside it, named by when it was moved (UTC), so that it is never deleted, sorts by time, and is
// found next to the data dir it came from. Pure, so that every provider names it the same way.

/** `<dataDir>.failed-start-<yyyymmddThhmmssZ>`, with `-<n>` from the second candidate on (a name already taken). */
export function failedStartPath(dataDir: string, at: Date, candidate = 1): string {
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')
  return `${dataDir.replace(/\/+$/, '')}.failed-start-${stamp}${candidate > 1 ? `-${candidate}` : ''}`
}
