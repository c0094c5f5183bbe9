// The status report from what was observed and read, without any I/O (read-status.ts does that):
// the cluster's view, the journal's position and the state lock. A spec member the cluster does
// not list is shown as removed or not added yet, never as a fault (build-cluster-view.ts).
import type {Journal} from '../apply/journal.js'
import type {LiveCluster} from '../cluster/live-cluster.js'
import type {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import type {Spec} from '../spec/types.js'
import {buildClusterView} from './build-cluster-view.js'
import {readMigrationProgress} from './migration-progress.js'
import type {LockSummary, StatusReport} from './status-report.js'
import {summariseJournal} from './summarise-journal.js'

export type Observed = LiveCluster | ClusterUnreachableError

export interface StatusInputs {
  readonly journalPath: string
  /** The journal, or null when there is none or it cannot be read (then journalError says why). */
  readonly journal: Journal | null
  readonly journalError: string | null
  readonly lock: LockSummary | null
}

export function buildStatusReport(spec: Spec, observed: Observed, inputs: StatusInputs): StatusReport {
  return {
    migration: spec.name,
    ...buildClusterView(spec, observed, {progress: readMigrationProgress(inputs.journal)}),
    journalPath: inputs.journalPath,
    journal: inputs.journal === null ? null : summariseJournal(inputs.journal),
    journalError: inputs.journalError,
    lock: inputs.lock,
  }
}
