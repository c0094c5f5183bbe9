// `etcdplan diff OLD NEW` for humans: what a reviewer of the regenerated plan must re-read — the
// spec and cluster changes that caused it, then the steps added (+), removed (-), moved (↕) and
// changed (~) with their fields and checks, each changed config as a unified diff, and the summary.
import {diffWordsWithSpace} from 'diff'
import type {PlanDiff, FieldChange, Change} from '../diff/plan-diff.js'
import type {PlanSummary} from '../plan/types.js'
import {styles, type Styles} from './colour.js'
import {formatMemberId} from './describe-plan.js'
import {colourDiffLine} from './render-config-diff.js'
import {pluralize} from './pluralize.js'

export function renderPlanDiff(diff: PlanDiff, {colour}: {readonly colour: boolean}): string {
  const s = styles(colour)
  const head = `etcdplan diff of "${diff.name}": ${diff.old.file} → ${diff.new.file}`
  if (diff.same) return [s.bold(head), '', 'The plans are the same (content hash equal): nothing to review again.'].join('\n')
  const blocks = [
    [s.bold(head)],
    renderCauses(diff, s),
    renderObservation(diff, s),
    renderMembers(diff, s),
    renderSteps(diff, s),
    renderConfigs(diff, s),
    renderWarnings(diff, s),
    renderSummary(diff.summary, s),
    [`${s.bold('The plans differ:')} ${describeCounts(diff)}.`],
  ]
  return blocks
    .filter((b) => b.length > 0)
    .map((b) => b.join('\n'))
    .join('\n\n')
}

/** `2 steps added, 1 removed, 3 changed, 1 config, the observed cluster`: the closing line. */
export function describeCounts(diff: PlanDiff): string {
  const st = diff.steps
  const parts = [
    ...(diff.specHash === null ? [] : ['the spec']),
    ...(diff.observation.fingerprint === null ? [] : ['the observed cluster']),
    ...(st.added.length > 0 ? [`${pluralize(st.added.length, 'step')} added`] : []),
    ...(st.removed.length > 0 ? [`${pluralize(st.removed.length, 'step')} removed`] : []),
    ...(st.moved.length > 0 ? [`${pluralize(st.moved.length, 'step')} moved`] : []),
    ...(st.changed.length > 0 ? [`${pluralize(st.changed.length, 'step')} changed`] : []),
    ...(diff.configs.length > 0 ? [pluralize(diff.configs.length, 'config')] : []),
  ]
  return parts.length > 0 ? parts.join(', ') : 'other fields only (see above)'
}

function renderCauses(diff: PlanDiff, s: Styles): string[] {
  const lines = [
    ...(diff.specHash === null ? [] : [`${s.changed('~')} spec: changed (${short(diff.specHash.old)} → ${short(diff.specHash.new)})`]),
    ...(diff.strategy === null ? [] : [`${s.changed('~')} strategy: ${diff.strategy.old} → ${diff.strategy.new}`]),
    ...diff.options.map((c) => `${s.changed('~')} option ${field(c)}`),
  ]
  // Fields no section above covers (the voters lists, the point of no return, the spec's path, ...).
  const other = diff.other.map((c) => `${s.changed('~')} ${field(c)}`)
  return [...(lines.length === 0 ? [] : [s.bold('Spec:'), ...lines.map((l) => `  ${l}`)]), ...(other.length === 0 ? [] : [s.bold('Plan:'), ...other.map((l) => `  ${l}`)])]
}

function renderObservation(diff: PlanDiff, s: Styles): string[] {
  const o = diff.observation
  const lines = [
    ...(o.mode === null ? [] : [`${s.changed('~')} observed: ${o.mode.old} → ${o.mode.new}`]),
    ...(o.clusterId === null ? [] : [`${s.changed('~')} cluster ID: ${hexOrNone(o.clusterId.old)} → ${hexOrNone(o.clusterId.new)}`]),
    ...(o.leader === null ? [] : [`${s.changed('~')} leader: ${o.leader.old ?? 'none'} → ${o.leader.new ?? 'none'}`]),
    ...o.membersAdded.map((m) => `${s.added('+')} member ${memberName(m)} ${m.peerURLs.join(', ')}`),
    ...o.membersRemoved.map((m) => `${s.removed('-')} member ${memberName(m)} ${m.peerURLs.join(', ')}`),
    ...o.membersChanged.flatMap((m) => m.changes.map((c) => `${s.changed('~')} member ${memberName(m.member)}: ${field(c)}`)),
    ...o.down.added.map((n) => `${s.removed('!')} ${n} was down when the new plan was made`),
    ...o.down.removed.map((n) => `${s.added('✓')} ${n} answers again (it was down for the old plan)`),
    ...o.versions.map((c) => `${s.changed('~')} etcd version ${field(c)}`),
    ...o.configsFound.map((c) => `${s.changed('~')} config found on ${field(c)}`),
  ]
  if (o.fingerprint === null && lines.length === 0) return []
  const title = o.fingerprint === null ? 'Observed cluster: same fingerprint' : `Observed cluster: fingerprint ${short(o.fingerprint.old)} → ${short(o.fingerprint.new)}`
  return [s.bold(`${title}${lines.length > 0 ? ':' : ''}`), ...lines.map((l) => `  ${l}`)]
}

function renderMembers(diff: PlanDiff, s: Styles): string[] {
  const m = diff.members
  const lines = [
    ...m.added.map((n) => `${s.added('+')} ${n} (now in the plan)`),
    ...m.removed.map((n) => `${s.removed('-')} ${n} (no longer in the plan)`),
    ...m.changed.map((c) => `${s.changed('~')} ${c.field}: ${String(c.old)} → ${String(c.new)}`),
  ]
  return lines.length === 0 ? [] : [s.bold('Members:'), ...lines.map((l) => `  ${l}`)]
}

function renderSteps(diff: PlanDiff, s: Styles): string[] {
  const st = diff.steps
  if (st.added.length + st.removed.length + st.moved.length + st.changed.length === 0) return []
  const changedIds = new Set(st.changed.map((c) => c.id))
  const movedIds = new Set(st.moved.map((m) => m.id))
  const lines = [
    ...st.added.map((a) => `${s.added('+')} ${s.bold(a.id)}  ${s.dim(`new step ${a.position}`)}`),
    ...st.removed.map((r) => `${s.removed('-')} ${s.bold(r.id)}  ${s.dim(`was step ${r.position}`)}`),
    // A step both moved and changed is listed once, with the changes.
    ...st.moved.filter((m) => !changedIds.has(m.id)).map((m) => `${s.changed('↕')} ${s.bold(m.id)}  ${s.dim(`moved: ${positions(m.oldPosition, m.newPosition)}`)}`),
    ...st.changed.flatMap((c) => [
      `${s.changed('~')} ${s.bold(c.id)}  ${s.dim(`${movedIds.has(c.id) ? 'moved: ' : ''}${positions(c.oldPosition, c.newPosition)}`)}`,
      ...renderStepFields(c.fields, s).map((line) => `    ${line}`),
      ...c.preconditions.added.map((p) => `    ${s.added('+')} check ${p.check}: ${p.description}`),
      ...c.preconditions.removed.map((p) => `    ${s.removed('-')} check ${p.check}: ${p.description}`),
      ...c.preconditions.changed.map((p) => `    ${s.changed('~')} check ${p.check}: ${p.old} → ${p.new}`),
    ]),
  ]
  const counts = [`${st.added.length} added`, `${st.removed.length} removed`, `${st.moved.length} moved`, `${st.changed.length} changed`].join(', ')
  return [`${s.bold('Steps:')} ${counts}`, ...lines.map((l) => `  ${l}`)]
}

/** `step 17 → 22`, or `step 21` when only the steps around it changed order. */
function positions(before: number, after: number): string {
  return before === after ? `step ${after}` : `step ${before} → ${after}`
}

function renderConfigs(diff: PlanDiff, s: Styles): string[] {
  if (diff.configs.length === 0) return []
  const blocks = diff.configs.map((c) => {
    const symbol = c.action === 'add' ? s.added('+') : s.changed('~')
    return [`  ${symbol} ${s.bold(`config of ${c.member}`)} (${c.step}, ${c.path})`, ...c.diff.split('\n').map((line) => `    ${colourDiffLine(line, s)}`)].join('\n')
  })
  return [s.bold('Configs:'), blocks.join('\n\n')]
}

function renderWarnings(diff: PlanDiff, s: Styles): string[] {
  const lines = [...diff.warnings.added.map((w) => `${s.added('+')} ${w}`), ...diff.warnings.removed.map((w) => `${s.removed('-')} ${w}`)]
  return lines.length === 0 ? [] : [s.bold('Warnings:'), ...lines.map((l) => `  ${l}`)]
}

function renderSummary(summary: Change<PlanSummary> | null, s: Styles): string[] {
  if (summary === null) return []
  const text = (p: PlanSummary) => `${p.add} to add, ${p.change} to change, ${p.remove} to remove (${pluralize(p.configRewrites, 'config rewrite')}, ${pluralize(p.restarts, 'restart')})`
  return [s.bold('Summary:'), `  old: ${text(summary.old)}`, `  new: ${text(summary.new)}`]
}

/**
 * A changed step's fields, compact: the fault tolerance before and after it on one line each
 * (`after: voters 5→6, quorum 3→4`), a sentence as a word diff (`etcd6{+, etcd7+}`), a config's text
 * pointed to its diff under Configs, anything else as `field: old → new`.
 */
function renderStepFields(fields: readonly FieldChange[], s: Styles): string[] {
  const lines: string[] = []
  for (const side of ['before', 'after']) {
    const figures = fields.filter((f) => f.field.startsWith(`${side}.`))
    if (figures.length > 0) lines.push(`${side}: ${figures.map((f) => `${f.field.slice(side.length + 1)} ${value(f.old)}→${value(f.new)}`).join(', ')}`)
  }
  for (const f of fields) {
    if (f.field.startsWith('before.') || f.field.startsWith('after.')) continue
    if (f.field.endsWith('.content')) lines.push(`${f.field.slice(0, -'.content'.length)}: the text changed (its diff is under Configs)`)
    else if (f.field === 'description' && typeof f.old === 'string' && typeof f.new === 'string') lines.push(`description: ${wordDiff(f.old, f.new, s)}`)
    else lines.push(field(f))
  }
  return lines
}

/** git's --word-diff=plain markers, coloured on a terminal: `[-removed-]{+added+}`. */
function wordDiff(before: string, after: string, s: Styles): string {
  return diffWordsWithSpace(before, after)
    .map((part) => (part.added ? s.added(`{+${part.value}+}`) : part.removed ? s.removed(`[-${part.value}-]`) : part.value))
    .join('')
}

/** `after.tolerates: 2 → 1`, values as JSON (lists and strings read as written in the plan). */
function field(c: FieldChange): string {
  return `${c.field}: ${value(c.old)} → ${value(c.new)}`
}

function value(v: unknown): string {
  if (v === null || v === undefined) return 'none'
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ')}]`
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v)
}

function short(hash: string): string {
  return hash.replace(/^sha256:/, '').slice(0, 12)
}

function hexOrNone(id: string | null): string {
  return id === null ? 'none' : formatMemberId(id)
}

function memberName(m: {readonly id: string | null; readonly name: string}): string {
  return m.name !== '' ? m.name : m.id === null ? '(unnamed)' : formatMemberId(m.id)
}
