// The human view of `etcdplan status`: the table operators know from `etcdctl endpoint status -w
// table` (same borders, same "20 kB" sizes, IDs in hex), with the spec's member names and each
// member's health added, then one line on the cluster (ID, leader, alarms), one on the state lock
// when an apply holds it, and one on where the migration's apply journal stands. A member the
// cluster does not list is not drawn as a fault: "removed, stopped", "not added yet", never a red
// "unreachable". A snapshot migration has two clusters, each its own section ("Source cluster",
// "Target cluster"); one that does not answer at all is one line saying so ("not created yet",
// "stopped"). Pure: the same report gives the same text.
import {aboutDuration} from '../estimate/format-estimate.js'
import type {ClusterSection, ClusterView, JournalSummary, LockSummary, MemberHealth, StatusReport, StatusRow} from '../status/status-report.js'
import {styles, type Style, type Styles} from './colour.js'

export interface RenderStatusOptions {
  readonly colour: boolean
}

type Align = 'left' | 'right'

/** Whether a table's rows count towards the exit code (the serving cluster's do; the other's are drawn muted). */
interface TableContext {
  readonly counted: boolean
}

interface Column {
  readonly title: string
  readonly align: Align
  readonly cell: (row: StatusRow) => string
  readonly style?: (row: StatusRow, s: Styles, context: TableContext) => Style
}

const NONE = '-'

const COLUMNS: readonly Column[] = [
  {title: 'NAME', align: 'left', cell: (r) => r.name ?? NONE},
  {title: 'ENDPOINT', align: 'left', cell: (r) => r.endpoint},
  {title: 'ID', align: 'left', cell: (r) => r.id ?? NONE},
  {title: 'VERSION', align: 'left', cell: (r) => r.version ?? NONE},
  {title: 'DB SIZE', align: 'left', cell: (r) => (r.dbSize === null ? NONE : humanizeBytes(r.dbSize))},
  {title: 'LEADER', align: 'left', cell: (r) => (r.error === null ? String(r.isLeader) : NONE), style: (r, s) => (r.isLeader ? s.bold : plain)},
  {title: 'LEARNER', align: 'left', cell: (r) => (r.isLearner === null ? NONE : String(r.isLearner))},
  {title: 'TERM', align: 'right', cell: (r) => numberCell(r.raftTerm)},
  {title: 'RAFT INDEX', align: 'right', cell: (r) => numberCell(r.raftIndex)},
  {title: 'APPLIED INDEX', align: 'right', cell: (r) => numberCell(r.raftAppliedIndex)},
  {title: 'HEALTH', align: 'left', cell: (r) => healthCell(r), style: (r, s, c) => healthStyle(r, s, c)},
  {title: 'ERRORS', align: 'left', cell: (r) => errorsCell(r), style: (r, s, c) => (c.counted && isListedOrUnknown(r) ? s.removed : s.dim)},
]

export function renderStatus(report: StatusReport, options: RenderStatusOptions): string {
  const s = styles(options.colour)
  const lock = report.lock === null ? [] : [renderLockLine(report.lock, s)]
  const clusters =
    report.clusters === null
      ? renderClusterBlock(report, s, {counted: true})
      : [...renderSection(report.clusters.source, report.servingReason, s), '', ...renderSection(report.clusters.target, report.servingReason, s), '']
  return [...clusters, ...lock, renderJournalLine(report, s)].join('\n')
}

/** The table, a blank line, and the cluster line. */
function renderClusterBlock(view: ClusterView, s: Styles, context: TableContext): string[] {
  return [...renderTable(view.members, s, context), '', renderClusterLine(view, s)]
}

/**
 * One of a snapshot migration's clusters: a heading that says whether it is the serving one (the
 * exit code's) and why, then its table and cluster line; a cluster that is expected not to answer
 * (not created yet, stopped) is one line naming its members instead.
 */
function renderSection(section: ClusterSection, servingReason: string | null, s: Styles): string[] {
  const title = s.bold(`${section.side === 'source' ? 'Source' : 'Target'} cluster`)
  if (section.state === 'not-created' || section.state === 'stopped') {
    const what = section.state === 'not-created' ? 'not created yet' : 'stopped'
    return [`${title}: ${what} (no ${section.side} member answers: ${section.members.map(describeEndpoint).join(', ')})`]
  }
  const heading = section.serving
    ? `${title} (serving${servingReason === null ? '' : `: ${servingReason}`}):`
    : `${title} (not serving: its members' health does not affect the exit code):`
  return [heading, ...renderClusterBlock(section, s, {counted: section.serving})]
}

function describeEndpoint(row: StatusRow): string {
  return row.name === null ? row.endpoint : `${row.name} ${row.endpoint}`
}

/** Only when a lock exists: who holds it, or that it is stale and how to remove it. */
function renderLockLine(lock: LockSummary, s: Styles): string {
  const label = s.bold('Lock:')
  const {info} = lock
  if (info === null) return `${label} ${s.removed(lock.problem ?? `${lock.path} is not readable`)}`
  const who = `${info.user}@${info.host}, pid ${info.pid}`
  const since = `${info.operation} since ${info.createdAt}, ID ${info.id}`
  if (lock.holder === 'not-running') return `${label} ${s.removed('STALE')}: left by ${who} (no longer running), ${since}; remove it with: ${lock.forceUnlock ?? `etcdplan force-unlock ${info.id}`}`
  return `${label} held by ${who}${lock.holder === 'running' ? ' (running)' : ''}, ${since}`
}

/** Bytes as etcdctl shows them (go-humanize's Bytes: powers of 1000, "20 kB", "1.2 MB"). */
export function humanizeBytes(bytes: number): string {
  if (bytes < 10) return `${bytes} B`
  const sizes = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']
  const exponent = Math.min(Math.floor(Math.log(bytes) / Math.log(1000)), sizes.length - 1)
  const value = Math.floor((bytes / 1000 ** exponent) * 10 + 0.5) / 10
  // Go's %.0f rounds a half to even (20.5 → "20"); toFixed would round it up.
  const text = value < 10 ? value.toFixed(1) : String(roundHalfEven(value))
  return `${text} ${sizes[exponent]}`
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value)
  const fraction = value - floor
  if (fraction !== 0.5) return Math.round(value)
  return floor % 2 === 0 ? floor : floor + 1
}

function renderTable(rows: readonly StatusRow[], s: Styles, context: TableContext): string[] {
  const cells = rows.map((row) => COLUMNS.map((column) => column.cell(row)))
  const widths = COLUMNS.map((column, i) => Math.max(column.title.length, ...cells.map((c) => c[i]!.length)))
  const border = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`
  const header = `|${COLUMNS.map((column, i) => ` ${s.bold(centre(column.title, widths[i]!))} `).join('|')}|`
  const body = rows.map((row, r) => {
    const line = COLUMNS.map((column, i) => {
      const text = cells[r]![i]!
      const padded = column.align === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!)
      // Pad first, then style: colour codes must not count towards a column's width.
      const style = text === NONE || text === '' ? plain : (column.style?.(row, s, context) ?? plain)
      return ` ${style(padded)} `
    })
    return `|${line.join('|')}|`
  })
  return [border, header, border, ...body, border]
}

/** Centred as etcdctl's table centres its headers (the extra space goes right). */
function centre(text: string, width: number): string {
  const gap = width - text.length
  const left = Math.floor(gap / 2)
  return `${' '.repeat(left)}${text}${' '.repeat(gap - left)}`
}

function renderClusterLine(report: ClusterView, s: Styles): string {
  if (!report.reachable) {
    return `${s.bold('Cluster:')} ${s.removed('unreachable')} (no endpoint answered)  ${s.bold('Leader:')} unknown  ${s.bold('Alarms:')} unknown`
  }
  const leader = report.leader === null ? s.removed('none') : (report.leader.name ?? report.leader.id)
  const alarms =
    report.alarms.length === 0
      ? 'none'
      : s.removed(report.alarms.map((a) => `${a.alarm} on ${a.name === null ? a.memberId : `${a.name} (${a.memberId})`}`).join(', '))
  const version = report.clusterVersion === undefined ? '' : `  ${s.bold('Cluster version:')} ${report.clusterVersion}`
  return `${s.bold('Cluster:')} ${report.clusterId ?? NONE}  ${s.bold('Leader:')} ${leader}  ${s.bold('Alarms:')} ${alarms}${version}`
}

function renderJournalLine(report: StatusReport, s: Styles): string {
  const label = s.bold('Journal:')
  if (report.journalError !== null) return `${label} ${s.removed(report.journalError)}`
  if (report.journal === null) return `${label} none (no apply has run for this migration)`
  return `${label} ${report.journalPath}: ${describeJournal(report.journal, s)}`
}

function describeJournal(journal: JournalSummary, s: Styles): string {
  const parts = [`${journal.done}/${journal.total} steps done`]
  const {next, failed} = journal
  if (next === null) {
    parts.push(s.added('complete'))
  } else if (failed !== null && failed.id === next.id) {
    parts.push(`next: ${next.id} (${s.removed(`failed${failed.error === null ? '' : `: ${failed.error}`}`)})`)
  } else {
    parts.push(`next: ${next.id} (${statusStyle(next.status, s)(next.status)})`)
    if (failed !== null) parts.push(`failed: ${failed.id}${failed.error === null ? '' : ` (${s.removed(failed.error)})`}`)
  }
  const timing = describeTiming(journal)
  return `${parts.join('; ')}${timing === null ? '' : `\n${s.bold('Timing:')} ${timing}`}`
}

/** "36 steps done took 18.2 s, estimated 21 s (0.87 of the estimate); the whole plan was estimated at 21 s". */
export function describeTiming(journal: JournalSummary): string | null {
  const timing = journal.timing ?? null
  if (timing === null) return null
  const done = timing.steps.filter((step) => step.actualMs !== null && step.estimatedMs !== null).length
  if (done === 0) return `nothing done yet; the plan is estimated at about ${aboutDuration(timing.plannedMs)}`
  const ratio = timing.estimatedMs > 0 ? ` (${(timing.actualMs / timing.estimatedMs).toFixed(2)}× the estimate)` : ''
  const whole = done === timing.steps.length ? '' : `; the whole plan is estimated at about ${aboutDuration(timing.plannedMs)}`
  return `${done} step${done === 1 ? '' : 's'} done took ${(timing.actualMs / 1000).toFixed(1)} s, estimated ${aboutDuration(timing.estimatedMs)}${ratio}${whole}`
}

function statusStyle(status: string, s: Styles): Style {
  if (status === 'failed') return s.removed
  if (status === 'waiting-for-operator') return s.warning
  if (status === 'running') return s.changed
  return plain
}

/**
 * A member the cluster lists (or, when nothing answered, may list) shows its health; one it does not
 * list shows where it stands instead, and whether its process still answers on its client URL.
 */
function healthCell(row: StatusRow): string {
  const answers = row.error === null
  switch (row.membership) {
    case 'member':
    case 'unknown':
      return row.health
    case 'removed':
      return answers ? 'removed, still running' : 'removed, stopped'
    case 'not-added':
      return answers ? 'not added, running' : 'not added yet'
    case 'unlisted':
      return answers ? 'not listed, running' : 'not listed'
  }
}

function healthStyle(row: StatusRow, s: Styles, context: TableContext): Style {
  if (!isListedOrUnknown(row)) return row.error === null || row.membership === 'unlisted' ? s.changed : s.dim
  if (!context.counted) return s.dim
  return styleOfHealth(row.health, s)
}

function styleOfHealth(health: MemberHealth, s: Styles): Style {
  switch (health) {
    case 'healthy':
      return s.added
    case 'learner':
      return s.check
    case 'unhealthy':
      return s.changed
    case 'unreachable':
      return s.removed
  }
}

function isListedOrUnknown(row: StatusRow): boolean {
  return row.membership === 'member' || row.membership === 'unknown'
}

function numberCell(value: number | null): string {
  return value === null ? NONE : String(value)
}

/**
 * The member's own errors, or why it did not answer; one line, cut short (--json has them in full).
 * A member the cluster does not list is expected not to answer: why it did not is left out.
 */
function errorsCell(row: StatusRow): string {
  const errors = row.error === null ? row.errors : isListedOrUnknown(row) ? [row.error] : []
  const text = errors.join(', ').replace(/\s+/g, ' ').trim()
  return text.length > MAX_ERRORS_WIDTH ? `${text.slice(0, MAX_ERRORS_WIDTH - 1)}…` : text
}

/** Long enough for "connect ECONNREFUSED 127.0.1.1:2379" and most of etcd's own errors. */
const MAX_ERRORS_WIDTH = 60

function plain(text: string): string {
  return text
}
