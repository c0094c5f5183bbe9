// The plan's estimate against the real durations, from the journal apply leaves (estimatedMs and
// durationMs per step): the check that etcdplan's estimates hold on a real run.
import {readJournal, type Journal} from '../../src/apply/journal.js'
import {estimateAgainstActual} from '../../src/status/estimate-against-actual.js'

export interface EstimateCheck {
  /** The plan's total over the steps with a known estimate. */
  readonly estimatedMs: number
  /** The same steps' measured durations, summed. */
  readonly actualMs: number
  readonly steps: readonly {readonly id: string; readonly estimatedMs: number | null; readonly actualMs: number | null}[]
}

export async function estimateCheck(journalPath: string): Promise<EstimateCheck | null> {
  let journal: Journal | null
  try {
    journal = await readJournal(journalPath)
  } catch {
    return null
  }
  if (journal === null) return null
  const timing = estimateAgainstActual(journal)
  return timing === null ? null : {estimatedMs: timing.estimatedMs, actualMs: timing.actualMs, steps: timing.steps}
}
