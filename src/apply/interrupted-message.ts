// What apply says when Ctrl-C (or SIGTERM, SIGHUP) ends it mid-apply: where the journal stands and
// how to resume, so that the operator is not left with a bare exit code 130. Read from the journal
// on disk, synchronously (it runs in a signal handler, right before the process exits): the journal
// is what the next apply resumes from, so it is the truth to report.
import {readFileSync} from 'node:fs'
import {isJournal, journalPosition} from './journal.js'

export interface InterruptedReport {
  readonly type: 'interrupted'
  readonly signal: string
  /** The step that was running (the journal's first step not done); null when none had started. */
  readonly stepId: string | null
  readonly stepStatus: string | null
  readonly done: number
  readonly total: number
  readonly journal: string
  readonly lockReleased: boolean
  readonly resume: string
}

export function interruptedReport(signal: string, journalPath: string, resume: string, lockReleased: boolean): InterruptedReport {
  let position = {next: null as {id: string; status: string} | null, done: 0, total: 0}
  try {
    const value: unknown = JSON.parse(readFileSync(journalPath, 'utf8'))
    if (isJournal(value)) position = journalPosition(value)
  } catch {
    // No journal yet (interrupted before the first step): nothing done.
  }
  return {type: 'interrupted', signal, stepId: position.next?.id ?? null, stepStatus: position.next?.status ?? null, done: position.done, total: position.total, journal: journalPath, lockReleased, resume}
}

export function renderInterrupted(report: InterruptedReport): string {
  const how = report.signal === 'SIGINT' ? 'Interrupted (Ctrl-C)' : `Stopped by ${report.signal}`
  const during = report.stepId === null ? '' : report.stepStatus === 'running' ? ` during ${report.stepId}` : ` before ${report.stepId}`
  const step =
    report.stepId === null
      ? ''
      : report.stepStatus === 'running'
        ? ` ${report.stepId} had started and is not recorded as done: the next apply looks at the cluster first and finishes it or skips it if it took effect.`
        : ` The next step is ${report.stepId}.`
  const lock = report.lockReleased ? ' The state lock is released.' : ''
  return `\n${how}${during}. The journal ${report.journal} records ${report.done} of ${report.total} steps done.${step}${lock}\nTo resume, run:\n  ${report.resume}\n`
}
