// What `etcdplan status` reports: every spec member and every member the cluster lists, each asked
// for its Status at its own endpoint (etcd-facts.md: Status must be asked of each endpoint), with
// its health, plus the cluster's alarms and where the migration's apply journal stands. A cluster
// that does not answer at all is a report too (every row unreachable), never a crash: status is what
// an operator runs when something is wrong. Nothing here prints; render-status.ts draws the table.
import {journalPosition, JournalError, readJournal, type JournalStatus, type StepStatus} from '../apply/journal.js'
import {forceUnlockCommand, holderState, lockPathFor, readStateLock, type HolderState, type StateLockInfo} from '../apply/state-lock.js'
import type {Spec} from '../spec/types.js'
import {hexId, isHealthy, type EndpointStatus, type LiveCluster} from './live-cluster.js'
import {ClusterUnreachableError} from './observe-cluster.js'
import {observeSpecCluster} from './observe-spec-cluster.js'
import type {ObservedMember} from './observation.js'

/**
 * healthy: answers Status without errors and follows a leader. learner: a learner that answers
 * without errors (etcd's endpoint health is unhealthy on learners by design, etcd-facts.md).
 * unhealthy: answers, but reports errors (alarms, ...) or knows no leader. unreachable: no answer.
 */
export type MemberHealth = 'healthy' | 'unhealthy' | 'unreachable' | 'learner'

/** Which list of the spec names the member; null for a member only the cluster knows. */
export type MemberRole = 'source' | 'target' | 'both' | null

export interface StatusRow {
  /** The spec's name for this client URL, else the name in the member list; null when neither knows one. */
  readonly name: string | null
  readonly endpoint: string
  /** Member ID in hex, as etcdctl shows it; from the member list when the endpoint did not answer. */
  readonly id: string | null
  readonly version: string | null
  readonly dbSize: number | null
  readonly isLeader: boolean
  /** From the member's own Status, else the member list; null when neither says. */
  readonly isLearner: boolean | null
  readonly raftTerm: number | null
  readonly raftIndex: number | null
  readonly raftAppliedIndex: number | null
  /** Errors the member reports about itself (alarms, ...). */
  readonly errors: readonly string[]
  /** Why the endpoint did not answer; null when it did. */
  readonly error: string | null
  readonly health: MemberHealth
  readonly role: MemberRole
}

export interface StatusAlarm {
  /** Hex member ID. */
  readonly memberId: string
  readonly name: string | null
  readonly alarm: string
}

export interface JournalSummary {
  readonly status: JournalStatus
  readonly done: number
  readonly total: number
  /** The first step not done. */
  readonly next: {readonly id: string; readonly status: StepStatus} | null
  readonly failed: {readonly id: string; readonly error: string | null} | null
}

export interface ClusterStatusReport {
  /** The migration's name (spec `name`). */
  readonly migration: string
  /** False when no endpoint answered the member list. */
  readonly reachable: boolean
  /** Why the cluster is unreachable (every endpoint's error); null when it answered. */
  readonly unreachableReason: string | null
  /** Hex cluster ID; null when unreachable. */
  readonly clusterId: string | null
  readonly leader: {readonly id: string; readonly name: string | null} | null
  readonly alarms: readonly StatusAlarm[]
  readonly members: readonly StatusRow[]
  readonly journalPath: string
  /** Where the apply journal stands; null when there is none (or it cannot be read: see journalError). */
  readonly journal: JournalSummary | null
  /** Why the journal could not be read (corrupt, not a journal, unreadable); null otherwise. */
  readonly journalError: string | null
  /** The journal's state lock, when an apply holds it (or left it behind); absent or null when free. */
  readonly lock?: LockSummary | null
}

export interface LockSummary {
  readonly path: string
  /** The lock file's content; null when it is not a readable lock (see problem). */
  readonly info: StateLockInfo | null
  /** Whether the holder still runs; 'not-running' means the lock is stale. Null when unreadable. */
  readonly holder: HolderState | null
  readonly problem: string | null
  /** The command that removes a stale lock; null otherwise. */
  readonly forceUnlock: string | null
}

export interface ClusterStatusOptions {
  readonly journalPath: string
}

export async function readClusterStatus(spec: Spec, options: ClusterStatusOptions): Promise<ClusterStatusReport> {
  let observed: LiveCluster | ClusterUnreachableError
  try {
    observed = await observeSpecCluster(spec)
  } catch (error) {
    if (!(error instanceof ClusterUnreachableError)) throw error
    observed = error
  }
  const {journal, journalError} = await summariseJournal(options.journalPath)
  return {...buildStatusReport(spec, observed, {journalPath: options.journalPath, journal, journalError}), lock: await summariseLock(options.journalPath, spec.name)}
}

async function summariseLock(journalPath: string, name: string): Promise<LockSummary | null> {
  const path = lockPathFor(journalPath)
  try {
    const info = await readStateLock(path)
    if (info === null) return null
    const holder = holderState(info)
    return {path, info, holder, problem: null, forceUnlock: holder === 'not-running' ? forceUnlockCommand(info.id, journalPath, name) : null}
  } catch (error) {
    return {path, info: null, holder: null, problem: (error as Error).message, forceUnlock: null}
  }
}

export interface JournalPart {
  readonly journalPath: string
  readonly journal: JournalSummary | null
  readonly journalError: string | null
}

/** The report from an observation (or the proof that nothing answered): pure, for tests. */
export function buildStatusReport(spec: Spec, observed: LiveCluster | ClusterUnreachableError, journal: JournalPart): ClusterStatusReport {
  if (observed instanceof ClusterUnreachableError) {
    const members = observed.endpoints.map((endpoint, i) => unreachableRow(spec, endpoint, observed.errors[i] ?? 'no answer'))
    return {migration: spec.name, reachable: false, unreachableReason: `no endpoint answered: ${members.map((m) => `${m.endpoint} (${m.error})`).join(', ')}`, clusterId: null, leader: null, alarms: [], members, ...journal}
  }
  const cluster = observed
  const members = cluster.statuses.map((status) => rowOf(spec, cluster, status))
  const leaderMember = cluster.members.find((m) => m.id === cluster.leaderId)
  const leader = cluster.leaderId === null ? null : {id: hexId(cluster.leaderId), name: nameOf(spec, leaderMember, leaderMember?.clientURLs ?? [])}
  const alarms = cluster.alarms.map((a) => {
    const member = cluster.members.find((m) => m.id === a.memberId)
    return {memberId: hexId(a.memberId), name: nameOf(spec, member, member?.clientURLs ?? []), alarm: a.alarm}
  })
  return {migration: spec.name, reachable: true, unreachableReason: null, clusterId: hexId(cluster.clusterId), leader, alarms, members, ...journal}
}

/**
 * grpc's "No connection established. Last error: Error: connect ECONNREFUSED 127.0.1.1:2379.
 * Resolution note: " says no more than "connect ECONNREFUSED 127.0.1.1:2379".
 */

/**
 * The exit code of `etcdplan status`: 0 when the cluster answers, has no alarm and every member
 * (of the spec or of the member list) is healthy or a learner in good order; 1 when no endpoint
 * answers; 2 when the cluster answers but some member is unhealthy or unreachable, or an alarm is set.
 */
export function statusExitCode(report: ClusterStatusReport): 0 | 1 | 2 {
  if (!report.reachable) return 1
  const allWell = report.alarms.length === 0 && report.members.every((m) => m.health === 'healthy' || m.health === 'learner')
  return allWell ? 0 : 2
}

function rowOf(spec: Spec, cluster: LiveCluster, status: EndpointStatus): StatusRow {
  // The member list says who owns an endpoint even when it does not answer.
  const listed =
    cluster.members.find((m) => status.memberId !== null && m.id === status.memberId) ??
    cluster.members.find((m) => m.clientURLs.includes(status.endpoint))
  const memberId = status.memberId ?? listed?.id ?? null
  return {
    name: nameOf(spec, listed, [status.endpoint]),
    endpoint: status.endpoint,
    id: memberId === null ? null : hexId(memberId),
    version: status.version,
    dbSize: status.dbSize,
    isLeader: status.error === null && memberId !== null && memberId === cluster.leaderId,
    isLearner: status.isLearner ?? listed?.isLearner ?? null,
    raftTerm: status.raftTerm,
    raftIndex: status.raftIndex,
    raftAppliedIndex: status.raftAppliedIndex,
    errors: [...status.errors],
    error: status.error,
    health: healthOf(status),
    role: roleOf(spec, status.endpoint),
  }
}

function unreachableRow(spec: Spec, endpoint: string, error: string): StatusRow {
  return {
    name: nameOf(spec, undefined, [endpoint]),
    endpoint,
    id: null,
    version: null,
    dbSize: null,
    isLeader: false,
    isLearner: null,
    raftTerm: null,
    raftIndex: null,
    raftAppliedIndex: null,
    errors: [],
    error,
    health: 'unreachable',
    role: roleOf(spec, endpoint),
  }
}

function healthOf(status: EndpointStatus): MemberHealth {
  if (status.error !== null) return 'unreachable'
  // etcd's endpoint health does a linearizable Get, which a learner refuses: its Status is the test.
  if (status.isLearner === true) return status.errors.length === 0 ? 'learner' : 'unhealthy'
  return isHealthy(status) ? 'healthy' : 'unhealthy'
}

/** The spec's name for one of these client URLs, else the member list's (empty = unstarted: none). */
function nameOf(spec: Spec, listed: ObservedMember | undefined, clientURLs: readonly string[]): string | null {
  const all = [...spec.source.members, ...spec.target.members]
  const inSpec = all.find((m) => clientURLs.includes(m.clientURL)) ?? all.find((m) => listed !== undefined && listed.clientURLs.includes(m.clientURL))
  if (inSpec !== undefined) return inSpec.name
  return listed !== undefined && listed.name !== '' ? listed.name : null
}

function roleOf(spec: Spec, endpoint: string): MemberRole {
  const source = spec.source.members.some((m) => m.clientURL === endpoint)
  const target = spec.target.members.some((m) => m.clientURL === endpoint)
  return source && target ? 'both' : source ? 'source' : target ? 'target' : null
}

async function summariseJournal(path: string): Promise<{journal: JournalSummary | null; journalError: string | null}> {
  try {
    const journal = await readJournal(path)
    if (journal === null) return {journal: null, journalError: null}
    const position = journalPosition(journal)
    return {
      journal: {
        status: journal.status,
        done: position.done,
        total: position.total,
        next: position.next === null ? null : {id: position.next.id, status: position.next.status},
        failed: position.failed === null ? null : {id: position.failed.id, error: position.failed.error},
      },
      journalError: null,
    }
  } catch (error) {
    // A corrupt journal must not hide the cluster's state: report it next to the table.
    if (error instanceof JournalError) return {journal: null, journalError: error.message}
    throw error
  }
}
