// The plan's graph as a mermaid flowchart, for a pull request (GitHub and GitLab render ```mermaid
// blocks): steps top to bottom, coloured by action like the text plan, operator stops as hexagons,
// steps that may stop for the operator as stadiums with a dashed border. Deterministic: the same plan
// gives the same bytes (golden files in test/render/golden/).
import type {StepAction} from '../plan/step-kinds.js'
import {buildPlanGraph, type GraphNode, type PlanGraphOptions} from './plan-graph.js'
import type {Plan} from '../plan/types.js'

/** GitHub's light palette: added green, removed red, changed yellow, checks grey. */
const ACTION_CLASSES: Readonly<Record<StepAction, string>> = {
  add: 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
  change: 'fill:#fff8c5,stroke:#9a6700,color:#1f2328',
  remove: 'fill:#ffebe9,stroke:#cf222e,color:#1f2328',
  read: 'fill:#f6f8fa,stroke:#8c959f,color:#1f2328',
}

export function renderGraphMermaid(plan: Plan, options: PlanGraphOptions = {}): string {
  const graph = buildPlanGraph(plan, options)
  const lines = [
    'flowchart TD',
    `  %% etcdplan ${commentText(graph.name)}: ${graph.nodes.length} steps; an arrow points from a step to one that waits for it.`,
    '  %% "N checks": the preconditions apply checks before the step. Hexagon: apply stops for the operator; dashed: it may.',
    ...graph.nodes.map((node) => `  ${node.key}${shape(node)}`),
    ...graph.edges.map((edge) => `  ${edge.from} --> ${edge.to}`),
    ...Object.entries(ACTION_CLASSES).map(([action, style]) => `  classDef ${action} ${style}`),
    '  classDef operator stroke-width:3px',
    '  classDef mayOperator stroke-width:2px,stroke-dasharray:5 3',
    ...classLines(graph.nodes),
  ]
  return `${lines.join('\n')}\n`
}

function shape(node: GraphNode): string {
  const label = `"${node.lines.map(escapeMermaidLabel).join('<br/>')}"`
  if (node.operator === 'stops') return `{{${label}}}`
  if (node.operator === 'may') return `([${label}])`
  return `[${label}]`
}

/** `class s1,s5 read`: one line per class, nodes in plan order; empty classes are left out. */
function classLines(nodes: readonly GraphNode[]): string[] {
  const members = new Map<string, string[]>()
  const add = (cls: string, key: string) => members.set(cls, [...(members.get(cls) ?? []), key])
  for (const node of nodes) {
    add(node.action, node.key)
    if (node.operator === 'stops') add('operator', node.key)
    if (node.operator === 'may') add('mayOperator', node.key)
  }
  const order = [...Object.keys(ACTION_CLASSES), 'operator', 'mayOperator']
  return order.filter((cls) => members.has(cls)).map((cls) => `  class ${members.get(cls)!.join(',')} ${cls}`)
}

/**
 * Text inside a quoted mermaid label. Mermaid has no backslash escapes: a quote would end the label,
 * `<` and `>` are read as HTML (labels hold `<br/>`), a backtick starts a markdown string, and `#`
 * starts an entity code — so each is written as its entity code (`#quot;`, `#lt;`, ...).
 */
export function escapeMermaidLabel(text: string): string {
  return text.replace(/[#"<>&`]/g, (c) => `#${c.charCodeAt(0)};`).replace(/\r?\n/g, ' ')
}

/** A `%%` comment ends at the line's end; nothing else in it matters. */
function commentText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ')
}
