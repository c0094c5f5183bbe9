// The sentences and figures that the human and the markdown view of a plan share, in plain text, so
// both say the same thing in the same words; each view adds its own styling around them.
import type {FaultTolerance, Plan, RenderedConfig, Step} from '../plan/types.js'
import {pluralize} from './pluralize.js'

export const NO_CHANGES = 'No changes. The cluster already matches the target.'

/** `join: add-first, learners, final state existing, rolling restart` or `snapshot: ...`. */
export function describeStrategy(plan: Plan): string {
  if (plan.strategy === 'snapshot') {
    const save = plan.steps.find((s) => s.kind === 'snapshot-save')
    const from = save === undefined ? '' : ` of ${save.from === 'auto' ? 'the leader' : save.from}`
    return `snapshot: restore a new cluster from a snapshot${from}`
  }
  const o = plan.options
  const parts = [o.order, o.learner ? 'learners' : 'voting adds', `final state ${o.finalState}`, o.rollingRestart ? 'rolling restart' : 'no rolling restart']
  return `join: ${parts.join(', ')}`
}

/** What the plan was made against: the spec alone (offline), or a live cluster by ID and size. */
export function describeObservation(plan: Plan): string {
  const o = plan.observation
  if (o.mode === 'offline') return "offline — planned from the spec's source members (apply will check the live cluster)"
  const cluster = o.clusterId === null ? 'live cluster' : `live cluster ${formatMemberId(o.clusterId)}`
  const learners = o.members.filter((m) => m.isLearner).length
  // etcd lists an added member that never started with an empty name.
  const unstarted = o.members.filter((m) => m.name === '').length
  const notes = [...(learners > 0 ? [pluralize(learners, 'learner')] : []), ...(unstarted > 0 ? [`${unstarted} unstarted`] : [])]
  return `${cluster}, ${pluralize(o.members.length, 'member')}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`
}

/**
 * `etcd versions: etcd1 3.4.23, etcd2 3.4.23 · cluster version 3.4.0 · joining: etcd4 3.5.16 · at the end 3.5`,
 * or null when the plan observed none (offline, snapshot).
 */
export function describeVersions(plan: Plan): string | null {
  const v = plan.observation.versions
  if (v === undefined) return null
  // In the order the plan lists the observed members (by peer URL), named as etcd names them.
  const members = plan.observation.members.flatMap((m) => {
    const version = v.members.find((x) => x.id === m.id)
    return version === undefined ? [] : [`${m.name || formatMemberId(version.id)} ${version.version ?? 'unknown'}`]
  })
  const parts = [`etcd versions: ${members.length > 0 ? members.join(', ') : 'none reported'}`, `cluster version ${v.cluster ?? 'unknown'}`]
  if (v.binaries.length > 0) parts.push(`joining: ${v.binaries.map((b) => `${b.member} ${b.version ?? 'not checked (preflight checks it)'}`).join(', ')}`)
  const verify = plan.steps.find((s) => s.kind === 'verify')
  if (verify !== undefined && verify.kind === 'verify' && verify.clusterVersion !== undefined) parts.push(`cluster version at the end ${verify.clusterVersion}`)
  return parts.join(' · ')
}

/** etcd IDs are 64-bit decimal strings in the plan; etcdctl shows them in hex, so do we. */
export function formatMemberId(decimal: string): string {
  try {
    return BigInt(decimal).toString(16)
  } catch {
    return decimal
  }
}

/** `Plan: 3 to add, 3 to change, 3 to remove (3 config rewrites, 3 restarts).` */
export function formatSummary(plan: Plan): string {
  const {add, change, remove, configRewrites, restarts} = plan.summary
  const what = [...(configRewrites > 0 ? [pluralize(configRewrites, 'config rewrite')] : []), ...(restarts > 0 ? [pluralize(restarts, 'restart')] : [])]
  return `Plan: ${add} to add, ${change} to change, ${remove} to remove${what.length > 0 ? ` (${what.join(', ')})` : ''}.`
}

export type Trend = 'up' | 'down' | 'same'

export interface ToleranceCell {
  /** `3`, or `3→4` when the step changed it. */
  readonly text: string
  readonly trend: Trend
}

export interface ToleranceCells {
  readonly voters: ToleranceCell
  /** Voters that were down when the plan was made: shown only in plans that have any. */
  readonly down: ToleranceCell
  /** Learners hold etcd's single learner slot and do not vote: shown so an add-learner step is visible. */
  readonly learners: ToleranceCell
  readonly quorum: ToleranceCell
  readonly tolerates: ToleranceCell
}

/** The fault tolerance after a step, with where it came from when the step changed it. */
export function describeTolerance(step: Step): ToleranceCells {
  const cell = (key: keyof FaultTolerance): ToleranceCell => {
    const before = step.before[key]
    const after = step.after[key]
    if (before === after) return {text: String(after), trend: 'same'}
    return {text: `${before}→${after}`, trend: after > before ? 'up' : 'down'}
  }
  return {voters: cell('voters'), down: cell('down'), learners: cell('learners'), quorum: cell('quorum'), tolerates: cell('tolerates')}
}

export type ToleranceColumn = keyof ToleranceCells

/** The quorum table's columns: `down` only when a step of the plan has a voter down. */
export function toleranceColumns(plan: Plan): ToleranceColumn[] {
  const anyDown = plan.steps.some((step) => step.before.down > 0 || step.after.down > 0)
  return anyDown ? ['voters', 'down', 'learners', 'quorum', 'tolerates'] : ['voters', 'learners', 'quorum', 'tolerates']
}

/** A config the plan writes, as the change a reviewer reads: new (write-config) or rewritten. */
export interface PlannedConfig {
  readonly action: 'add' | 'change'
  readonly member: string
  /** null when the plan writes a new file. */
  readonly before: RenderedConfig | null
  readonly after: RenderedConfig
}

export function listPlannedConfigs(plan: Plan): PlannedConfig[] {
  const configs: PlannedConfig[] = []
  for (const step of plan.steps) {
    if (step.kind === 'write-config') {
      configs.push({action: 'add', member: step.member, before: null, after: step.config})
    } else if (step.kind === 'rewrite-config') {
      configs.push({action: 'change', member: step.member, before: step.previous, after: step.config})
    }
  }
  return configs
}
