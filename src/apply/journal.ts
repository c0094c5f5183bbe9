// The apply journal: what happened to each step of one plan, persisted after every change so that an
// interrupted apply resumes where it stopped (`.etcdplan/<name>/state.json` by default). Written
// atomically (temp file, fsync, rename); read back with its shape and plan hash checked, so a corrupt
// or foreign journal is refused rather than trusted.
import {readFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {directoryProblem, fileAncestor} from '../directory-problem.js'
import {UserError} from '../user-error.js'
import {fsErrorReason} from '../fs-error-reason.js'
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
  /** The plan's estimate of the step (ms; null: the operator's, unknown), copied when the journal is made, so that status can compare. */
  readonly estimatedMs?: number | null
  /** How long the step's last run took until done (ms), as the applier measured it. */
  readonly durationMs?: number
}

/**
 * The snapshot this apply saved (strategy snapshot), as the steps learnt it: its sha256 and size,
 * computed while it was streamed to disk (snapshot-save), and what the snapshot tool said of it
 * (snapshot-verify). Later steps compare against these instead of reading the file again: restore
 * checks a copy on a member's host against the sha256, verify-data the new cluster against the
 * revision. Absent in journals of earlier etcdplan versions (the steps then read the file).
 */
export interface SnapshotRecord {
  /** Where it was saved, on the apply machine. */
  readonly path: string
  /** Hex, of the whole file (etcd's own sha256 trailer included). */
  readonly sha256: string
  readonly bytes: number
  /** snapshot-verify's result: `snapshot status` of the file. */
  readonly status?: {readonly hash: number; readonly revision: number; readonly totalKey: number; readonly totalSize: number; readonly tool: string}
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
  readonly snapshot?: SnapshotRecord
  readonly steps: readonly StepRecord[]
}

export function defaultJournalPath(name: string): string {
  return join('.etcdplan', name, 'state.json')
}

/**
 * Where the journal of migration `name` is, and whether etcdplan may create its directory: only its
 * own `.etcdplan/<name>/`. A --state path must be in a directory that exists, because a mistyped one
 * would silently start a second journal, away from the real one and its lock.
 */
export interface JournalLocation {
  readonly path: string
  readonly createDir: boolean
}

/** The journal of `name` at --state (`flag`) or the default path. Throws a JournalError when --state's directory is not there. */
export function resolveJournalPath(flag: string | undefined, name: string): JournalLocation {
  const defaultPath = defaultJournalPath(name)
  // --state spelling out the default is the default: its directory is etcdplan's to create.
  if (flag === undefined || resolve(flag) === resolve(defaultPath)) return {path: flag ?? defaultPath, createDir: true}
  checkStateDirectory(flag, defaultPath)
  return {path: flag, createDir: false}
}

/**
 * Refuses a --state path (a journal or its lock) whose directory does not exist or is not a
 * directory, naming it; creates nothing. Synchronous, so that commands can check it wherever they
 * first learn the migration's name, before anything contacts the cluster.
 */
export function checkStateDirectory(path: string, defaultPath = defaultJournalPath('<name>')): void {
  const problem = directoryProblem(path)
  if (problem === null) return
  const hint = `check the path, or leave --state out to use the default ${defaultPath}`
  if (problem.kind === 'missing') throw new JournalError(`the directory ${problem.directory} of --state does not exist; nothing was changed`, hint, 'state-path-invalid')
  if (problem.kind === 'file') throw new JournalError(`cannot keep the journal at ${path} (--state): ${problem.file} is a file, not a directory; nothing was changed`, hint, 'state-path-invalid')
  throw new JournalError(`cannot use the directory ${problem.directory} of --state (${problem.reason}); nothing was changed`, `${hint}; or fix its permissions`, 'state-path-invalid')
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
    steps: plan.steps.map((s) => ({id: s.id, status: 'pending', attempts: 0, startedAt: null, finishedAt: null, outcome: null, error: null, ...(s.estimate === undefined ? {} : {estimatedMs: s.estimate.durationMs})})),
  }
}

/** `stepId`: the step whose change this write records ('' for the journal's own), named to the journal-write failpoint. */
export async function writeJournal(path: string, journal: Journal, stepId = ''): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(journal, null, 2)}\n`, {beforeRename: () => failpoint('journal-write', stepId)})
}

export class JournalError extends UserError {
  constructor(message: string, hint?: string, code: 'journal-invalid' | 'state-path-invalid' = 'journal-invalid') {
    super(message, hint, 1, code)
  }
}

/** The journal at `path`, or null when there is none. Refuses one that is corrupt or not a journal, saying which. */
export async function readJournal(path: string): Promise<Journal | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw unreadableJournal(path, error as NodeJS.ErrnoException)
  }
  if (text.trim() === '') throw new JournalError(`the journal ${path} is empty (corrupt: etcdplan writes it whole or not at all)`, MOVE_ASIDE)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new JournalError(`the journal ${path} is not valid JSON (corrupt or edited)`, MOVE_ASIDE)
  }
  const problem = journalProblem(value)
  if (problem === null) return value as Journal
  if (problem.kind === 'plan') {
    throw new JournalError(`${path} is a plan file, not a journal`, 'pass --state with the journal an apply keeps (.etcdplan/<name>/state.json by default), and the plan as apply\'s argument')
  }
  if (problem.kind === 'foreign') {
    throw new JournalError(`${path} is not an etcdplan journal (${problem.detail})`, `move it aside, or pass --state with the journal of this migration`)
  }
  if (problem.kind === 'version') {
    throw new JournalError(
      `the journal ${path} is in journal format version ${problem.detail}; this etcdplan reads journal format version ${JOURNAL_FORMAT_VERSION}`,
      'finish that apply with the etcdplan version that wrote the journal, or move the journal aside and run `etcdplan plan` to see where the cluster stands',
    )
  }
  throw new JournalError(`the journal ${path} is corrupt or edited: ${problem.detail}`, MOVE_ASIDE)
}

const MOVE_ASIDE = 'move it aside and run `etcdplan plan` to see where the cluster stands'

function unreadableJournal(path: string, error: NodeJS.ErrnoException): JournalError {
  if (error.code === 'EISDIR') return new JournalError(`the journal ${path} is a directory, not a file`, 'pass --state with the path of a journal file, or move the directory aside')
  if (error.code === 'ENOTDIR') {
    const file = fileAncestor(path)
    return new JournalError(
      `cannot keep the journal at ${path}: ${file === null ? 'a part of its path' : file} is a file, not a directory`,
      'pass --state with a path whose directories exist or can be created',
    )
  }
  return new JournalError(`cannot read the journal ${path} (${fsErrorReason(error)})`, 'check the path and its permissions, or pass --state with another journal path')
}

const STEP_STATUSES: readonly StepStatus[] = ['pending', 'running', 'done', 'failed', 'waiting-for-operator']
const JOURNAL_STATUSES: readonly JournalStatus[] = ['in-progress', 'waiting-for-operator', 'failed', 'complete']

type JournalProblem = {readonly kind: 'foreign' | 'plan' | 'version' | 'malformed'; readonly detail: string}

/** Why `value` is not a journal this etcdplan can trust, or null when it is one. */
export function journalProblem(value: unknown): JournalProblem | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {kind: 'foreign', detail: `it holds ${Array.isArray(value) ? 'a JSON array' : `the JSON value ${JSON.stringify(value)}`}, not a journal object`}
  }
  const j = value as Record<string, unknown>
  if (j.kind !== 'etcdplan-journal') {
    if (j.kind === undefined && 'formatVersion' in j && 'contentHash' in j && 'steps' in j) return {kind: 'plan', detail: ''}
    return {kind: 'foreign', detail: j.kind === undefined ? 'it has no "kind": "etcdplan-journal"' : `its kind is ${JSON.stringify(j.kind)}, not "etcdplan-journal"`}
  }
  if (j.formatVersion !== JOURNAL_FORMAT_VERSION) return {kind: 'version', detail: JSON.stringify(j.formatVersion ?? null)}
  const malformed = (detail: string): JournalProblem => ({kind: 'malformed', detail})
  for (const field of ['name', 'planHash', 'specHash', 'createdAt', 'updatedAt'] as const) {
    if (typeof j[field] !== 'string') return malformed(`${field} is ${describe(j[field])}, not a string`)
  }
  if (!JOURNAL_STATUSES.includes(j.status as JournalStatus)) return malformed(`status is ${describe(j.status)}, not one of ${JOURNAL_STATUSES.join(', ')}`)
  if (typeof j.memberIds !== 'object' || j.memberIds === null || Array.isArray(j.memberIds) || !Object.values(j.memberIds).every((id) => typeof id === 'string')) {
    return malformed('memberIds is not a map of member names to IDs')
  }
  if (j.snapshot !== undefined && snapshotRecordProblem(j.snapshot) !== null) return malformed(`snapshot ${snapshotRecordProblem(j.snapshot)}`)
  if (!Array.isArray(j.steps)) return malformed(`steps is ${describe(j.steps)}, not a list`)
  const seen = new Set<string>()
  for (const [i, s] of j.steps.entries()) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return malformed(`steps[${i}] is ${describe(s)}, not a step record`)
    const step = s as Record<string, unknown>
    if (typeof step.id !== 'string' || step.id === '') return malformed(`steps[${i}].id is ${describe(step.id)}, not a step id`)
    if (seen.has(step.id)) return malformed(`step ${step.id} is listed twice`)
    seen.add(step.id)
    if (!STEP_STATUSES.includes(step.status as StepStatus)) return malformed(`step ${step.id} has status ${describe(step.status)}, not one of ${STEP_STATUSES.join(', ')}`)
    if (typeof step.attempts !== 'number' || !Number.isInteger(step.attempts) || step.attempts < 0) return malformed(`step ${step.id} has attempts ${describe(step.attempts)}, not a count`)
    for (const field of ['startedAt', 'finishedAt', 'outcome', 'error'] as const) {
      if (step[field] !== undefined && step[field] !== null && typeof step[field] !== 'string') return malformed(`step ${step.id} has ${field} ${describe(step[field])}, not a string or null`)
    }
    for (const field of ['estimatedMs', 'durationMs'] as const) {
      if (step[field] !== undefined && step[field] !== null && (typeof step[field] !== 'number' || (step[field] as number) < 0)) return malformed(`step ${step.id} has ${field} ${describe(step[field])}, not a duration in ms`)
    }
  }
  return null
}

function snapshotRecordProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `is ${describe(value)}, not a snapshot record`
  const r = value as Record<string, unknown>
  if (typeof r.path !== 'string') return `has path ${describe(r.path)}, not a string`
  if (typeof r.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(r.sha256)) return `has sha256 ${describe(r.sha256)}, not 64 hex digits`
  if (typeof r.bytes !== 'number' || !Number.isInteger(r.bytes) || r.bytes < 0) return `has bytes ${describe(r.bytes)}, not a size`
  if (r.status === undefined) return null
  const status = r.status as Record<string, unknown> | null
  if (typeof status !== 'object' || status === null) return `has status ${describe(r.status)}, not a snapshot status`
  for (const field of ['hash', 'revision', 'totalKey', 'totalSize'] as const) {
    if (typeof status[field] !== 'number') return `has status.${field} ${describe(status[field])}, not a number`
  }
  if (typeof status.tool !== 'string') return `has status.tool ${describe(status.tool)}, not a string`
  return null
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  const text = JSON.stringify(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

export function isJournal(value: unknown): value is Journal {
  return journalProblem(value) === null
}

/**
 * A journal is trusted for a plan only when it is that plan's: same plan hash, migration and spec
 * hash, and exactly the plan's steps in the plan's order (the applier pairs them by position, so a
 * journal with other or missing steps would skip steps that never ran). Throws a JournalError saying
 * what differs; call it before using a journal whose planHash names the plan.
 */
export function checkJournalMatchesPlan(journal: Journal, plan: Plan, path: string): void {
  const differences: string[] = []
  if (journal.planHash !== plan.contentHash) differences.push(`it records plan ${journal.planHash}, not ${plan.contentHash}`)
  if (journal.name !== plan.name) differences.push(`it is for migration "${journal.name}", the plan for "${plan.name}"`)
  if (journal.specHash !== plan.specHash) differences.push(`it records spec ${journal.specHash}, the plan ${plan.specHash}`)
  if (journal.steps.length !== plan.steps.length) differences.push(`it has ${journal.steps.length} steps, the plan ${plan.steps.length}`)
  const index = plan.steps.findIndex((step, i) => journal.steps[i] !== undefined && journal.steps[i]!.id !== step.id)
  if (index !== -1) differences.push(`step ${index + 1} is ${journal.steps[index]!.id} in the journal, ${plan.steps[index]!.id} in the plan`)
  if (differences.length === 0) return
  throw new JournalError(
    `the journal ${path} does not match the plan it names: ${differences.join('; ')} (corrupt or edited); nothing was changed`,
    'move the journal aside and run `etcdplan plan` to see where the cluster stands, then apply that plan',
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
