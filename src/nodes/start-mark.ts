// The line every node provider writes into a member's etcd log right before it starts etcd (part of
// the provider contract, node-provider.ts `start`): a log that is appended to across starts (the local
// provider's etcd.log; a journald unit or a file on a remote host alike) then still tells which lines
// the latest start wrote, so that a failed start is judged by its own lines, never by an earlier
// attempt's. Pure, so that every provider writes, and the applier reads, the same mark.

/** How a start mark begins; nothing etcd writes begins like this (its lines are JSON, or start with a date or a flag message). */
export const START_MARK = '--- etcdplan: starting etcd'

/** The mark a provider writes before starting `member`'s etcd with this config file. */
export function startMarkLine(member: string, configPath: string, at: Date): string {
  return `${START_MARK} for ${member} with --config-file ${configPath} at ${at.toISOString()} ---`
}

/**
 * The lines of a log tail written since its last start mark (the mark itself left out). A tail without
 * a mark is all the latest start's: every start writes one, so a mark that is not in the tail lies
 * further back.
 */
export function sinceLastStart(tail: string): string {
  const lines = tail.split('\n')
  let mark = lines.length - 1
  while (mark >= 0 && !lines[mark]!.startsWith(START_MARK)) mark--
  return lines.slice(mark + 1).join('\n')
}
