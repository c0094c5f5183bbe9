// The plan's estimates against what the steps really took, from the journal (apply copies each
// step's estimate into it and records each step's duration), so that estimates can be checked.
import type {Journal, StepRecord} from '../apply/journal.js'
import type {JournalTiming} from './status-report.js'

/** null when the journal records no estimates (made by an etcdplan without them). */
export function estimateAgainstActual(journal: Journal): JournalTiming | null {
  if (!journal.steps.some((s) => s.estimatedMs !== undefined)) return null
  const steps = journal.steps.map((s) => ({id: s.id, estimatedMs: s.estimatedMs ?? null, actualMs: actualOf(s)}))
  const compared = steps.filter((s) => s.actualMs !== null && s.estimatedMs !== null)
  return {
    steps,
    actualMs: compared.reduce((sum, s) => sum + s.actualMs!, 0),
    estimatedMs: compared.reduce((sum, s) => sum + s.estimatedMs!, 0),
    plannedMs: steps.reduce((sum, s) => sum + (s.estimatedMs ?? 0), 0),
  }
}

/** The measured duration of a step done; from its timestamps when the record has none. */
function actualOf(record: StepRecord): number | null {
  if (record.status !== 'done') return null
  if (record.durationMs !== undefined) return record.durationMs
  if (record.startedAt === null || record.finishedAt === null) return null
  return Math.max(0, Date.parse(record.finishedAt) - Date.parse(record.startedAt))
}
