// The journal's position as status shows it: steps done of all, the next step, a failed step.
import {journalPosition, type Journal} from '../apply/journal.js'
import type {JournalSummary} from './status-report.js'
import {estimateAgainstActual} from './estimate-against-actual.js'

export function summariseJournal(journal: Journal): JournalSummary {
  const position = journalPosition(journal)
  return {
    status: journal.status,
    done: position.done,
    total: position.total,
    next: position.next === null ? null : {id: position.next.id, status: position.next.status},
    failed: position.failed === null ? null : {id: position.failed.id, error: position.failed.error},
    timing: estimateAgainstActual(journal),
  }
}
