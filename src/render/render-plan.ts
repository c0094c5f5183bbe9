// The human view of a plan, in terraform's manner: what will happen to whom, then every step with
// the fault tolerance it leaves, then each config as a diff, then the count of changes.
import type {Plan, Step} from '../plan/types.js'
import {styles, type Style, type Styles} from './colour.js'
import {
  describeObservation,
  describeVersions,
  describeStrategy,
  describeTolerance,
  toleranceColumns,
  type ToleranceColumn,
  formatMemberId,
  formatSummary,
  listPlannedConfigs,
  NO_CHANGES,
  type ToleranceCell,
} from './describe-plan.js'
import {renderConfigDiff} from './render-config-diff.js'
import {describePointOfNoReturn, describeRollbackOf, POINT_OF_NO_RETURN_MARK} from './describe-point-of-no-return.js'
import {classifyStep, styleAction, symbolizeAction} from './step-symbol.js'

export interface RenderPlanOptions {
  readonly colour: boolean
  /** Also list each step's preconditions (`<= ...`); off by default so a 40-step plan stays readable. */
  readonly detailed?: boolean
}

export function renderPlan(plan: Plan, options: RenderPlanOptions): string {
  const s = styles(options.colour)
  const versions = describeVersions(plan)
  const observed = [`Observed: ${describeObservation(plan)}`, ...(versions === null ? [] : [versions])].join('\n')
  const warnings = plan.warnings.map((w) => `${s.warning('Warning:')} ${w.message}`)
  if (plan.steps.length === 0) return [observed, ...section(warnings), '', s.bold(NO_CHANGES)].join('\n')
  return [
    `etcdplan will migrate ${s.bold(`"${plan.name}"`)} (strategy ${describeStrategy(plan)})`,
    ...optional(describeRollbackOf(plan)),
    observed,
    ...section(warnings),
    ...section(renderMembers(plan, s)),
    ...section(renderSteps(plan, s, options.detailed === true)),
    ...section(optional(describePointOfNoReturn(plan)).map((line) => (plan.pointOfNoReturn === null ? line : s.warning(line)))),
    ...section(renderConfigs(plan, options.colour, s)),
    '',
    `${s.bold('Plan:')}${formatSummary(plan).slice('Plan:'.length)}`,
  ].join('\n')
}

/** A block preceded by a blank line, or nothing when it is empty. */
function optional(line: string | null): string[] {
  return line === null ? [] : [line]
}

function section(lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ['', ...lines]
}

function renderMembers(plan: Plan, s: Styles): string[] {
  if (plan.members.length === 0) return []
  const width = Math.max(...plan.members.map((m) => m.name.length))
  const lines = plan.members.map((m) => {
    const notes = [...(m.action === 'keep' ? ['kept'] : []), ...(m.id === null ? [] : [`id ${formatMemberId(m.id)}`])]
    const symbol = styleAction(m.action, s)(symbolizeAction(m.action).padStart(1))
    return `  ${symbol} ${m.name.padEnd(width)}  ${m.peerURL}${notes.length > 0 ? `  ${s.dim(`(${notes.join(', ')})`)}` : ''}`.trimEnd()
  })
  return [s.bold('Members:'), ...lines]
}

function renderSteps(plan: Plan, s: Styles, detailed: boolean): string[] {
  const numberWidth = String(plan.steps.length).length
  const idWidth = Math.max(...plan.steps.map((step) => step.id.length))
  const cells = plan.steps.map((step) => describeTolerance(step))
  const columns = toleranceColumns(plan)
  const widths = columns.map((column) => Math.max(column.length, ...cells.map((c) => c[column].text.length)))
  // `  1 <= preflight`: number, symbol right-aligned in two characters as terraform does, id.
  const lead = numberWidth + 1 + 2 + 1
  const indent = ' '.repeat(lead)
  const header = `${s.bold('Steps:'.padEnd(lead + idWidth))}  ${columns.map((c, i) => s.dim(c.padStart(widths[i]!))).join('  ')}`
  const lines = [header]
  plan.steps.forEach((step, index) => {
    const action = classifyStep(step)
    const symbol = styleAction(action, s)(symbolizeAction(action).padStart(2))
    const figures = columns.map((c, i) => styleCell(c, cells[index]![c], s)(cells[index]![c].text.padStart(widths[i]!))).join('  ')
    const mark = step.id === plan.pointOfNoReturn?.stepId ? `  ${s.warning(`<- ${POINT_OF_NO_RETURN_MARK}`)}` : ''
    lines.push(`${String(index + 1).padStart(numberWidth)} ${symbol} ${s.bold(step.id.padEnd(idWidth))}  ${figures}${mark}`)
    lines.push(`${indent}${s.dim(step.description)}`)
    if (detailed) lines.push(...renderPreconditions(step, indent, s))
  })
  return lines
}

/** A drop in tolerated failures is what a reviewer must notice; a rise is good news. */
function styleCell(column: ToleranceColumn, cell: ToleranceCell, s: Styles): Style {
  if (column !== 'tolerates' || cell.trend === 'same') return (text) => text
  return cell.trend === 'down' ? s.removed : s.added
}

function renderPreconditions(step: Step, indent: string, s: Styles): string[] {
  return step.preconditions.map((p) => `${indent}  ${s.check('<=')} ${p.description}`)
}

function renderConfigs(plan: Plan, colour: boolean, s: Styles): string[] {
  const configs = listPlannedConfigs(plan)
  if (configs.length === 0) return []
  const blocks = configs.map((config) => {
    const title = `  ${styleAction(config.action, s)(symbolizeAction(config.action))} ${s.bold(`config of ${config.member}`)} (${config.after.path})`
    const diff = renderConfigDiff(config, {colour})
      .split('\n')
      .map((line) => `    ${line}`)
    return [title, ...diff].join('\n')
  })
  return [s.bold('Configs:'), blocks.join('\n\n')]
}
