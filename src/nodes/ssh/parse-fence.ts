// What share/etcdplan-host.sh's `fence` operation prints, read back into fenceMember's result.
import type {FenceResult} from '../node-provider.js'

/** The `fence` operation's records (M moved, E moved earlier, A absent; U the unit disabled), one per path in order. */
export function parseFence(paths: readonly string[], unit: string, stdout: Buffer): FenceResult {
  const records = stdout.toString('utf8').split('\0').filter((r) => r !== '')
  const fenced = paths.map((path, i) => {
    const record = records[i] ?? ''
    if (record.startsWith('M')) return {path, movedTo: record.slice(1), earlier: false}
    if (record.startsWith('E')) return {path, movedTo: record.slice(1), earlier: true}
    if (record === 'A') return {path, movedTo: null, earlier: false}
    throw new Error(`etcdplan-host fence answered ${JSON.stringify(record)} for ${path}: the provider and share/etcdplan-host.sh disagree`)
  })
  return {paths: fenced, disabledUnit: unit !== '' && records.includes(`U${unit}`) ? unit : null}
}
