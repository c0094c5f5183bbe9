// The plan's graph in Graphviz DOT (`etcdplan show PLAN --graph dot | dot -Tsvg > plan.svg`): the
// same nodes and edges as the mermaid rendering, each node's tooltip listing the checks apply makes
// before the step. Deterministic: the same plan gives the same bytes.
import type {StepAction} from '../plan/step-kinds.js'
import {buildPlanGraph, type GraphNode, type PlanGraphOptions} from './plan-graph.js'
import type {Plan} from '../plan/types.js'

const ACTION_COLOURS: Readonly<Record<StepAction, {readonly fill: string; readonly line: string}>> = {
  add: {fill: '#dafbe1', line: '#1a7f37'},
  change: {fill: '#fff8c5', line: '#9a6700'},
  remove: {fill: '#ffebe9', line: '#cf222e'},
  read: {fill: '#f6f8fa', line: '#8c959f'},
}

export function renderGraphDot(plan: Plan, options: PlanGraphOptions = {}): string {
  const graph = buildPlanGraph(plan, options)
  const lines = [
    `digraph ${quote(`etcdplan ${graph.name}`)} {`,
    '  // An arrow points from a step to one that waits for it. "N checks": the preconditions apply checks before the step.',
    '  // Hexagon: apply stops here for the operator; dashed: it may stop here.',
    '  graph [rankdir=TB, fontname="Helvetica"];',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
    '  edge [color="#57606a"];',
    ...graph.nodes.map((node) => `  ${node.key} [${attributes(node)}];`),
    ...graph.edges.map((edge) => `  ${edge.from} -> ${edge.to};`),
    '}',
  ]
  return `${lines.join('\n')}\n`
}

function attributes(node: GraphNode): string {
  const colours = ACTION_COLOURS[node.action]
  const attrs: [string, string][] = [
    ['label', quote(node.lines.join('\n'))],
    ['fillcolor', quote(colours.fill)],
    ['color', quote(colours.line)],
    ['tooltip', quote(node.gates.length === 0 ? node.stepId : [node.stepId, ...node.gates.map((g) => `- ${g}`)].join('\n'))],
  ]
  if (node.operator === 'stops') attrs.push(['shape', 'hexagon'], ['style', quote('filled,bold')], ['penwidth', '3'])
  if (node.operator === 'may') attrs.push(['style', quote('rounded,filled,dashed')], ['penwidth', '2'])
  return attrs.map(([key, value]) => `${key}=${value}`).join(', ')
}

/**
 * A DOT double-quoted string: `"` and `\` escaped (in a label `\` also starts Graphviz's own escapes
 * such as `\N` and `\l`, so a literal one must be doubled), a line break as `\n` (centred line).
 */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`
}
