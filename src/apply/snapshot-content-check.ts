// The content check of a snapshot migration: every restored member holds exactly what the source
// held at the snapshot's revision. etcd's Maintenance.HashKV(revision) is a crc32 over every key
// revision up to `revision` as stored (key, create/mod revision, version, value, lease), leaving out
// what a compaction has removed or will remove; a restore copies the key bucket byte for byte, so a
// restored member answers the source's hash at the same revision when both have the same compaction
// revision — 3.4 → 3.4, 3.5 → 3.5 and 3.4 → 3.5 alike (etcd-facts.md, "Snapshot"; measured in
// test/cluster/hash-kv-after-restore.etcd.test.ts). With other compaction revisions the hashes do
// not compare (etcd's own corruption check skips such peers too), and the check falls back to the
// key count and revision verify-data also compares.
import type {KVHash} from '../cluster/cluster-client.js'
import {StepFailedError} from './apply-errors.js'
import type {StepContext} from './step-context.js'

export interface HashedMember {
  readonly name: string
  readonly url: string
}

export type ContentCheck =
  /** Every target member's hash equals the source's (or, without a source, each other's). */
  | {readonly kind: 'hash-equal'; readonly hash: number; readonly members: number; readonly againstSource: boolean}
  /** Hashes could not be compared with the source's: why; key count and revision decide. */
  | {readonly kind: 'not-comparable'; readonly why: string}

const COMPACTED = /required revision has been compacted/

/**
 * HashKV at `revision` on every target member and (when it answers) the source's member, all at
 * once. Throws a StepFailedError naming the member whose data differs.
 */
export async function checkRestoredContent(ctx: StepContext, targets: readonly HashedMember[], source: HashedMember | null, revision: number): Promise<ContentCheck> {
  const hashOf = async (m: HashedMember): Promise<KVHash | 'compacted'> => {
    try {
      return await ctx.cluster.hashKV(m.url, revision)
    } catch (error) {
      // A compaction at or after the snapshot's revision leaves no state at it to hash.
      if (error instanceof Error && COMPACTED.test(error.message)) return 'compacted'
      throw error
    }
  }
  const [sourceHash, ...targetHashes] = await Promise.all([source === null ? null : hashOf(source), ...targets.map(hashOf)])
  if (targetHashes.some((h) => h === 'compacted') || sourceHash === 'compacted') {
    return {kind: 'not-comparable', why: `revision ${revision} is compacted on ${[...(sourceHash === 'compacted' && source !== null ? [source.name] : []), ...targets.filter((_, i) => targetHashes[i] === 'compacted').map((t) => t.name)].join(', ')}`}
  }
  const hashes = targetHashes as KVHash[]
  // The restored members come from one file: they must agree among themselves whatever the source says.
  const first = hashes[0]!
  const odd = hashes.findIndex((h) => h.compactRevision === first.compactRevision && h.hash !== first.hash)
  if (odd !== -1) {
    throw new StepFailedError(
      ctx.step.id,
      `the restored members differ at revision ${revision}: HashKV ${hashHex(first.hash)} on ${targets[0]!.name}, ${hashHex(hashes[odd]!.hash)} on ${targets[odd]!.name}`,
      `a restore is damaged: stop the new members, move their data dirs aside and apply again (the restores run anew from the snapshot)`,
    )
  }
  if (sourceHash === null) return {kind: 'hash-equal', hash: first.hash, members: hashes.length, againstSource: false}
  const s = sourceHash as KVHash
  if (s.compactRevision !== first.compactRevision) {
    return {kind: 'not-comparable', why: `the source's compaction revision is ${s.compactRevision}, the new cluster's ${first.compactRevision}`}
  }
  if (s.hash !== first.hash) {
    throw new StepFailedError(
      ctx.step.id,
      `the new cluster's data differs from the source's at revision ${revision}: HashKV ${hashHex(first.hash)} on ${targets.map((t) => t.name).join(', ')}, ${hashHex(s.hash)} on the source's ${source!.name}`,
      "do not move clients: the snapshot or a restore is damaged; stop the new members, move their data dirs aside and re-plan with `etcdplan plan` to take a new snapshot",
    )
  }
  return {kind: 'hash-equal', hash: first.hash, members: hashes.length, againstSource: true}
}

/** A HashKV hash as 8 hex digits (etcd's crc32, unsigned). */
export function hashHex(hash: number): string {
  return (hash >>> 0).toString(16).padStart(8, '0')
}
