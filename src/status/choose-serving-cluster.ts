// Which of a snapshot migration's two clusters should serve clients now, so that status computes
// its exit code from that one and not from the other (a target not restored yet, or a source
// stopped after the cut-over, is expected, not an outage). The rule, kept simple on purpose:
// - with a journal: the target once the journal is complete or its `verify` step is done (the
//   restored cluster has been checked to be exactly the target, healthy, with one leader), else the
//   source;
// - with no journal (or one that cannot be read): the source if it answers, else the target.
import type {MigrationProgress} from './migration-progress.js'
import type {ClusterSide} from './status-report.js'

export interface ServingChoice {
  readonly side: ClusterSide
  readonly reason: string
}

export function chooseServingCluster(journal: {readonly present: boolean; readonly progress: MigrationProgress}, sourceAnswers: boolean): ServingChoice {
  if (journal.present) {
    return journal.progress.pastVerify
      ? {side: 'target', reason: 'the journal is past verify'}
      : {side: 'source', reason: 'the journal is not past verify yet'}
  }
  return sourceAnswers
    ? {side: 'source', reason: 'no journal, and the source cluster answers'}
    : {side: 'target', reason: 'no journal, and the source cluster does not answer'}
}
