// What the apply journal says about the migration that status needs besides its position: which
// members a done step removed or started, and whether the migration got past `verify`. Status
// trusts the live cluster first; these facts only decide what the cluster itself cannot say (a
// cluster that does not answer, and which of a snapshot migration's two clusters should serve).
import type {Journal} from '../apply/journal.js'

export interface MigrationProgress {
  /** Members whose `remove-member/<name>` step is done. */
  readonly removed: ReadonlySet<string>
  /** Members whose `start-member/<name>` step is done. */
  readonly started: ReadonlySet<string>
  /** The journal is complete, or its `verify` step is done: the target members are the cluster now. */
  readonly pastVerify: boolean
}

/** No journal (or one that cannot be read): nothing is known from it. */
export const NO_PROGRESS: MigrationProgress = {removed: new Set(), started: new Set(), pastVerify: false}

export function readMigrationProgress(journal: Journal | null): MigrationProgress {
  if (journal === null) return NO_PROGRESS
  const done = journal.steps.filter((s) => s.status === 'done').map((s) => s.id)
  const membersOf = (kind: string) => new Set(done.filter((id) => id.startsWith(`${kind}/`)).map((id) => id.slice(kind.length + 1)))
  return {
    removed: membersOf('remove-member'),
    started: membersOf('start-member'),
    pastVerify: journal.status === 'complete' || done.includes('verify'),
  }
}
