// The plan as GitHub-flavoured markdown, for pasting into the pull request that adds the plan file:
// tables for members and steps, each config diff folded in a <details> block, and the hashes that
// tie the review to the exact plan file. Never any ANSI codes.
import type {Plan} from '../plan/types.js'
import {
  describeObservation,
  describeVersions,
  describeStrategy,
  describeTolerance,
  toleranceColumns,
  formatMemberId,
  formatSummary,
  listPlannedConfigs,
  NO_CHANGES,
} from './describe-plan.js'
import {renderConfigDiff} from './render-config-diff.js'
import {describePointOfNoReturn, describeRollbackOf, POINT_OF_NO_RETURN_MARK} from './describe-point-of-no-return.js'
import {classifyStep, symbolizeAction} from './step-symbol.js'
import {kindOf} from '../plan/step-kinds.js'
import {describeAssumptions, describeImpact, describePlanEstimate, describeStepEstimate, estimateFigure} from './describe-estimate.js'
import {renderGraphMermaid} from './render-graph-mermaid.js'

export function renderPlanMarkdown(plan: Plan): string {
  const blocks = [
    `### etcdplan: ${escapeText(plan.name)}`,
    [`- **Strategy:** ${escapeText(describeStrategy(plan))}`, `- **Observed:** ${escapeText(describeObservation(plan))}`, ...versionLine(plan), ...markdownLine('Rollback', describeRollbackOf(plan)), ...markdownLine('Point of no return', describePointOfNoReturn(plan)?.replace(/^(No point|Point) of no return: /, '') ?? null)].join('\n'),
    renderWarnings(plan),
  ]
  if (plan.steps.length === 0) {
    blocks.push(NO_CHANGES)
  } else {
    blocks.push(renderMembers(plan), renderSteps(plan), renderEstimates(plan), renderGraph(plan), renderPreconditions(plan), ...renderConfigs(plan))
    blocks.push(
      [
        `Content hash \`${plan.contentHash}\`  `,
        `Spec hash \`${plan.specHash}\`  `,
        `Observed fingerprint \`${plan.observation.fingerprint}\``,
      ].join('\n'),
      `**${formatSummary(plan)}**`,
    )
  }
  return `${blocks.filter((b) => b !== '').join('\n\n')}\n`
}

function renderWarnings(plan: Plan): string {
  return plan.warnings.map((w) => `> **Warning:** ${escapeText(w.message)}`).join('\n>\n')
}

function renderMembers(plan: Plan): string {
  if (plan.members.length === 0) return ''
  // Member IDs exist only when the plan was made against the live cluster.
  const withIds = plan.members.some((m) => m.id !== null)
  const rows = plan.members.map((m) => {
    const symbol = m.action === 'keep' ? '' : code(symbolizeAction(m.action))
    const name = `${escapeText(m.name)}${m.action === 'keep' ? ' (kept)' : ''}`
    const id = withIds ? [m.id === null ? '' : code(formatMemberId(m.id))] : []
    return row([symbol, name, code(m.peerURL), code(m.clientURL), ...id])
  })
  const header = withIds ? ['action', 'member', 'peer URL', 'client URL', 'ID'] : ['action', 'member', 'peer URL', 'client URL']
  return [row(header), `|:-:|${'---|'.repeat(header.length - 1)}`, ...rows].join('\n')
}

function renderSteps(plan: Plan): string {
  const columns = toleranceColumns(plan)
  const estimated = plan.steps.some((step) => step.estimate !== undefined)
  const rows = plan.steps.map((step, index) => {
    const t = describeTolerance(step)
    const figures = columns.map((column) => t[column].text)
    const operator = `${kindOf(step).needsOperator(step) ? ' **(operator: apply stops here for you)**' : ''}${step.id === plan.pointOfNoReturn?.stepId ? ` **(${POINT_OF_NO_RETURN_MARK})**` : ''}`
    const estimate = estimated ? [estimateFigure(step)] : []
    return row([String(index + 1), code(symbolizeAction(classifyStep(step))), code(step.id), ...figures, ...estimate, `${escapeText(step.description)}${operator}`])
  })
  const estimateHeader = estimated ? ['estimate'] : []
  return [row(['#', 'action', 'step', ...columns, ...estimateHeader, 'what']), `|--:|:-:|---|${'--:|'.repeat(columns.length + estimateHeader.length)}---|`, ...rows].join('\n')
}

/** The total, and folded: what each step's estimate is made of and what clients notice. */
function renderEstimates(plan: Plan): string {
  const total = describePlanEstimate(plan)
  if (total === null) return ''
  const assumed = describeAssumptions(plan)
  const lines = plan.steps.flatMap((step) => {
    if (step.estimate === undefined) return []
    const impact = describeImpact(step.estimate)
    return [`- ${code(step.id)}: ${escapeText(describeStepEstimate(step.estimate))}${impact === null ? '' : ` — **clients:** ${escapeText(impact)}`}`]
  })
  return [`**${escapeText(total)}**${assumed === null ? '' : `  \n${escapeText(assumed)}`}`, '', '<details><summary>What the estimates are made of, and what clients notice</summary>', '', ...lines, '', '</details>'].join('\n')
}

/** Folded like the checks: the steps and their edges as a mermaid flowchart, which code hosts draw. */
function renderGraph(plan: Plan): string {
  return ['<details><summary>The steps as a graph: what waits for what, where apply stops for the operator</summary>', '', '```mermaid', renderGraphMermaid(plan).trimEnd(), '```', '', '</details>'].join('\n')
}

/**
 * Folded: a reviewer opens it to see what apply checks before each step (the checks by name, as a
 * refusal names them), what each step waits for, and how its result is verified.
 */
function renderPreconditions(plan: Plan): string {
  if (plan.steps.length === 0) return ''
  const items = plan.steps.map((step) =>
    [
      `- ${code(step.id)}${step.dependsOn.length === 0 ? '' : ` (after ${step.dependsOn.map(code).join(', ')})`}`,
      ...step.preconditions.map((p) => `  - ${code(p.check)}: ${escapeText(p.description)}`),
      `  - verified: ${escapeText(kindOf(step).verifiedBy)}`,
    ].join('\n'),
  )
  return ['<details><summary>What apply checks before each step, what it waits for, and how it verifies it</summary>', '', ...items, '', '</details>'].join('\n')
}

function renderConfigs(plan: Plan): string[] {
  return listPlannedConfigs(plan).map((config) => {
    const diff = renderConfigDiff(config, {colour: false})
    const fence = '`'.repeat(Math.max(3, longestBacktickRun(diff) + 1))
    const summary = escapeHtml(`${symbolizeAction(config.action)} config of ${config.member} (${config.after.path})`)
    return [`<details><summary>${summary}</summary>`, '', `${fence}diff`, diff, fence, '', '</details>'].join('\n')
  })
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`
}

/** Inline code that survives backticks in the text and pipes inside a table. */
function code(text: string): string {
  const ticks = '`'.repeat(longestBacktickRun(text) + 1)
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text
  return `${ticks}${padded.replace(/\|/g, '\\|')}${ticks}`
}

/** Text in a table cell or paragraph: markdown and HTML specials escaped, one line. */
function escapeText(text: string): string {
  return escapeHtml(text)
    .replace(/([\\`*_[\]|])/g, '\\$1')
    .replace(/\r?\n/g, ' ')
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
}

function markdownLine(label: string, text: string | null): string[] {
  return text === null ? [] : [`- **${label}:** ${escapeText(text)}`]
}

/** `- **etcd versions:** ...` when the plan observed them (live join plans). */
function versionLine(plan: Plan): string[] {
  const versions = describeVersions(plan)
  return versions === null ? [] : [`- **Versions:** ${escapeText(versions)}`]
}
