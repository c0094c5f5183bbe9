// `etcdplan status` without the printing: observes the cluster(s) of the spec, reads the apply
// journal and its state lock, and builds the report from them (build-status-report.ts). Only reads:
// it never changes the cluster, the journal or the lock. Nothing here prints; render-status.ts draws.
import {JournalError, readJournal, type Journal} from '../apply/journal.js'
import type {Spec} from '../spec/types.js'
import {buildStatusReport} from './build-status-report.js'
import {observeStatusClusters} from './observe-status-clusters.js'
import type {StatusReport} from './status-report.js'
import {summariseLock} from './summarise-lock.js'

export interface ReadStatusOptions {
  readonly journalPath: string
}

export async function readStatus(spec: Spec, options: ReadStatusOptions): Promise<StatusReport> {
  const [observation, journal, lock] = await Promise.all([observeStatusClusters(spec), readJournalOrError(options.journalPath), summariseLock(options.journalPath, spec.name)])
  return buildStatusReport(spec, observation, {journalPath: options.journalPath, ...journal, lock})
}

async function readJournalOrError(path: string): Promise<{journal: Journal | null; journalError: string | null}> {
  try {
    return {journal: await readJournal(path), journalError: null}
  } catch (error) {
    // A corrupt journal must not hide the cluster's state: it is reported next to the table.
    if (error instanceof JournalError) return {journal: null, journalError: error.message}
    throw error
  }
}
