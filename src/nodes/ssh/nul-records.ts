// The helper script answers listings as NUL-terminated records, each a one-letter tag and a value
// (share/etcdplan-host.sh: inspect, probe): a file name may hold any byte but NUL, a newline included.

export interface TaggedRecord {
  readonly tag: string
  readonly value: string
}

export function nulRecords(stdout: Buffer): TaggedRecord[] {
  return stdout.toString('utf8').split('\0').filter((r) => r !== '').map((r) => ({tag: r[0]!, value: r.slice(1)}))
}
