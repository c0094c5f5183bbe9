// The apply journal: what happened to each step of one plan, persisted after every change so that an
// interrupted apply resumes where it stopped (`.etcdplan/<name>/state.json` by default). Written
// atomically (temp file, fsync, rename); read back with its shape and plan hash checked, so a corrupt
// or foreign journal is refused rather than trusted.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {UserError} from '../user-error.js'
import {writeFileAtomic} from '../write-file-atomic.js'
import {failpoint} from './failpoint.js'
import type {Plan} from '../plan/types.js'

export const JOURNAL_FORMAT_VERSION = 1

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'waiting-for-operator'

export interface StepRecord {
  readonly id: string
  readonly status: StepStatus
  readonly attempts: number
  readonly startedAt: string | null
  readonly finishedAt: string | null
  /** What the step found or did, e.g. "already a voter", "added as 8e9e05c52164694d". */
  readonly outcome: string | null
  readonly error: string | null
}

export type JournalStatus = 'in-progress' | 'waiting-for-operator' | 'failed' | 'complete'

export interface Journal {
  readonly kind: 'etcdplan-journal'
  readonly formatVersion: typeof JOURNAL_FORMAT_VERSION
  readonly name: string
  /** The plan's contentHash: a journal belongs to exactly one plan. */
  readonly planHash: string
  readonly specHash: string
  readonly status: JournalStatus
  readonly createdAt: string
  readonly updatedAt: string
  /** Member IDs (decimal) etcd assigned to members this apply added, by member name. */
  readonly memberIds: Readonly<Record<string, string>>
  readonly steps: readonly StepRecord[]
}

export function defaultJournalPath(name: string): string {
  return join('.etcdplan', name, 'state.json')
}

export function newJournal(plan: Plan, now: Date): Journal {
  return {
    kind: 'etcdplan-journal',
    formatVersion: JOURNAL_FORMAT_VERSION,
    name: plan.name,
    planHash: plan.contentHash,
    specHash: plan.specHash,
    status: 'in-progress',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    memberIds: {},
    steps: plan.steps.map((s) => ({id: s.id, status: 'pending', attempts: 0, startedAt: null, finishedAt: null, outcome: null, error: null})),
  }
}

export async function writeJournal(path: string, journal: Journal): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(journal, null, 2)}\n`, {beforeRename: () => failpoint('journal-write')})
}

export class JournalError extends UserError {}

/** The journal at `path`, or null when there is none. Refuses one that is corrupt or not a journal. */
export async function readJournal(path: string): Promise<Journal | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new JournalError(`cannot read the journal ${path}: ${(error as Error).message}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new JournalError(`the journal ${path} is not valid JSON (corrupt or edited)`, `move it aside and run \`etcdplan plan\` to see where the cluster stands`)
  }
  if (!isJournal(value)) {
    throw new JournalError(`${path} is not an etcdplan journal of format ${JOURNAL_FORMAT_VERSION}`, `move it aside, or pass --state with the journal of this migration`)
  }
  return value
}

function isJournal(value: unknown): value is Journal {
  if (typeof value !== 'object' || value === null) return false
  const j = value as Record<string, unknown>
  return (
    j.kind === 'etcdplan-journal' &&
    j.formatVersion === JOURNAL_FORMAT_VERSION &&
    typeof j.name === 'string' &&
    typeof j.planHash === 'string' &&
    typeof j.memberIds === 'object' && j.memberIds !== null &&
    Array.isArray(j.steps) &&
    j.steps.every((s: unknown) => typeof s === 'object' && s !== null && typeof (s as StepRecord).id === 'string' && typeof (s as StepRecord).status === 'string')
  )
}

/** Where the journal stands: the first step not done, and counts by status. */
export function journalPosition(journal: Journal): {next: StepRecord | null; done: number; total: number; failed: StepRecord | null} {
  const next = journal.steps.find((s) => s.status !== 'done') ?? null
  return {
    next,
    done: journal.steps.filter((s) => s.status === 'done').length,
    total: journal.steps.length,
    failed: journal.steps.find((s) => s.status === 'failed') ?? null,
  }
}
