// The plan as a graph for reviewers: one node per step (its number, action, id, how many checks
// apply makes before it, whether apply stops there for the operator) and one edge per dependsOn.
// The mermaid and DOT renderings draw this one model, so both say the same thing.
import type {NodeProviderName} from '../spec/types.js'
import {kindOf, mayNeedOperatorWith, type StepAction} from '../plan/step-kinds.js'
import type {Plan} from '../plan/types.js'
import {pluralize} from './pluralize.js'
import {symbolizeAction} from './step-symbol.js'

/** `stops`: the plan knows apply stops here for the operator; `may`: apply may stop here (see step-kinds.ts). */
export type OperatorStop = 'stops' | 'may' | null

export interface GraphNode {
  /** A node id safe in mermaid and DOT (step ids hold `/`): `s` and the step's number. */
  readonly key: string
  readonly number: number
  readonly stepId: string
  readonly action: StepAction
  /** The step's preconditions: the gates apply checks before it runs. */
  readonly gates: readonly string[]
  readonly operator: OperatorStop
  /** The label's lines, plain text: `17 ~ switch-dns`, `1 check`, `operator: apply stops here`. */
  readonly lines: readonly string[]
}

export interface GraphEdge {
  readonly from: string
  readonly to: string
}

export interface PlanGraph {
  readonly name: string
  readonly nodes: readonly GraphNode[]
  readonly edges: readonly GraphEdge[]
}

export interface PlanGraphOptions {
  /**
   * The spec's node provider, when known: with `manual` every step on a member's host may stop for
   * the operator. Without it only the steps whose kind may stop (DNS switch, stop) are marked.
   */
  readonly provider?: NodeProviderName
}

export const OPERATOR_STOP_TEXT: Readonly<Record<Exclude<OperatorStop, null>, string>> = {
  stops: 'operator: apply stops here',
  may: 'may stop for the operator',
}

export function buildPlanGraph(plan: Plan, options: PlanGraphOptions = {}): PlanGraph {
  const keys = new Map(plan.steps.map((step, index) => [step.id, `s${index + 1}`]))
  const nodes = plan.steps.map((step, index): GraphNode => {
    const kind = kindOf(step)
    const operator: OperatorStop = kind.needsOperator(step) ? 'stops' : (options.provider === undefined ? kind.mayNeedOperator : mayNeedOperatorWith(step, options.provider)) ? 'may' : null
    const action = kind.action
    const gates = step.preconditions.map((p) => p.description)
    const lines = [`${index + 1} ${symbolizeAction(action)} ${step.id}`, ...(gates.length > 0 ? [pluralize(gates.length, 'check')] : []), ...(operator === null ? [] : [OPERATOR_STOP_TEXT[operator]])]
    return {key: keys.get(step.id)!, number: index + 1, stepId: step.id, action, gates, operator, lines}
  })
  const edges = plan.steps.flatMap((step) =>
    step.dependsOn.map((dependency): GraphEdge => {
      const from = keys.get(dependency)
      // A plan file is schema- and hash-checked, and the planner only makes edges to earlier steps.
      if (from === undefined) throw new Error(`step ${step.id} depends on ${dependency}, which is not a step of the plan`)
      return {from, to: keys.get(step.id)!}
    }),
  )
  return {name: plan.name, nodes, edges}
}
