// The status report from what was observed and read, without any I/O (read-status.ts does that):
// - strategy join: one cluster, observed through every source and target client URL. A spec member
//   the cluster does not list is shown as removed or not added yet, never as a fault.
// - strategy snapshot: two clusters, the source and the target, each observed through its own
//   members' client URLs (the restore makes a new cluster with its own ID, etcd-facts.md,
//   "Snapshot"), each a section; the top-level fields are the serving one's
//   (choose-serving-cluster.ts), which is the one the exit code is computed from.
import type {Journal} from '../apply/journal.js'
import type {LiveCluster} from '../cluster/live-cluster.js'
import {ClusterUnreachableError} from '../cluster/observe-cluster.js'
import type {Spec} from '../spec/types.js'
import {buildClusterView} from './build-cluster-view.js'
import {chooseServingCluster} from './choose-serving-cluster.js'
import {readMigrationProgress, type MigrationProgress} from './migration-progress.js'
import type {ClusterSection, ClusterSide, ClusterState, ClusterView, LockSummary, StatusReport} from './status-report.js'
import {summariseJournal} from './summarise-journal.js'

export type Observed = LiveCluster | ClusterUnreachableError

/** What one cluster observation is for: the whole spec (join), or one side of a snapshot migration. */
export type StatusObservation =
  | {readonly strategy: 'join'; readonly cluster: Observed}
  | {readonly strategy: 'snapshot'; readonly source: Observed; readonly target: Observed}

export interface StatusInputs {
  readonly journalPath: string
  /** The journal, or null when there is none or it cannot be read (then journalError says why). */
  readonly journal: Journal | null
  readonly journalError: string | null
  readonly lock: LockSummary | null
}

export function buildStatusReport(spec: Spec, observation: StatusObservation, inputs: StatusInputs): StatusReport {
  const progress = readMigrationProgress(inputs.journal)
  const common = {
    migration: spec.name,
    journalPath: inputs.journalPath,
    journal: inputs.journal === null ? null : summariseJournal(inputs.journal),
    journalError: inputs.journalError,
    lock: inputs.lock,
  }
  if (observation.strategy === 'join') {
    const view = buildClusterView(spec, observation.cluster, {progress, whenNothingAnswers: 'unknown'})
    return {...common, strategy: 'join', serving: null, servingReason: null, clusters: null, ...view}
  }
  const choice = chooseServingCluster({present: inputs.journal !== null, progress}, isAnswering(observation.source))
  const source = buildSection(spec, 'source', observation.source, choice.side, progress)
  const target = buildSection(spec, 'target', observation.target, choice.side, progress)
  const serving = choice.side === 'source' ? source : target
  return {...common, strategy: 'snapshot', serving: choice.side, servingReason: choice.reason, clusters: {source, target}, ...viewOf(serving)}
}

function buildSection(spec: Spec, side: ClusterSide, observed: Observed, servingSide: ClusterSide, progress: MigrationProgress): ClusterSection {
  const state = stateOf(spec, side, observed, servingSide, progress)
  const view = buildClusterView(spec, observed, {progress, whenNothingAnswers: state === 'not-created' ? 'not-added' : 'unknown'})
  return {side, state, serving: side === servingSide, ...view}
}

/**
 * A cluster that answers is up. One whose member list cannot be read while a member still answers
 * Status (it lost its quorum) is unreachable, never "stopped": that member still serves reads. One
 * where no member answers: a target none of whose members the journal has
 * started is not created yet; a source that no longer serves has been stopped (the migration's last
 * steps stop it); anything else should answer and is unreachable.
 */
function stateOf(spec: Spec, side: ClusterSide, observed: Observed, servingSide: ClusterSide, progress: MigrationProgress): ClusterState {
  if (isAnswering(observed)) return 'up'
  if (observed.statuses.some((s) => s.error === null)) return 'unreachable'
  if (side === 'target' && servingSide === 'source' && !spec.target.members.some((m) => progress.started.has(m.name))) return 'not-created'
  if (side === 'source' && servingSide === 'target') return 'stopped'
  return 'unreachable'
}

function isAnswering(observed: Observed): observed is LiveCluster {
  return !(observed instanceof ClusterUnreachableError)
}

function viewOf(section: ClusterSection): ClusterView {
  const {reachable, unreachableReason, clusterId, leader, alarms, members} = section
  return {reachable, unreachableReason, clusterId, leader, alarms, members}
}
