// What the journal knows of the snapshot a step works with (snapshot-save and snapshot-verify record
// it): its sha256, so that no step reads a file of up to 8 GiB again only to learn it, and what the
// snapshot tool said, so that verify-data need not run the tool a second time. Only a record of the
// same path counts; a journal of an earlier etcdplan has none (the steps then read the file).
import type {SnapshotRecord} from './journal.js'
import type {StepContext} from './step-context.js'

export function snapshotRecordOf(ctx: StepContext, path: string): SnapshotRecord | null {
  const record = ctx.savedSnapshot()
  return record !== null && record.path === path ? record : null
}

/** `{sha256}` to spread into a PutFileRequest or RestoreRequest when the sha256 is known, else `{}`. */
export function knownSha256(ctx: StepContext, path: string): {readonly sha256?: string} {
  const record = snapshotRecordOf(ctx, path)
  return record === null ? {} : {sha256: record.sha256}
}
