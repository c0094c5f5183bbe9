// The plan's steps as a graph (dependsOn: the steps that must be done first), after terraform's
// dag walk: the applier walks it in a deterministic order, a step runs only once its dependencies
// are done, and a failed step's dependents are reported as not run ("upstream failed") rather than
// as more failures.
import type {Step} from './types.js'

/**
 * The steps in the order the applier walks them: the plan's own order, which the planner makes a
 * topological one (every edge points backwards). Throws for an edge to an unknown or later step,
 * which no plan the planner made can have.
 */
export function walkOrder(steps: readonly Step[]): readonly Step[] {
  const seen = new Set<string>()
  for (const step of steps) {
    for (const dependency of step.dependsOn) {
      if (!seen.has(dependency)) throw new Error(`step ${step.id} depends on ${dependency}, which is not an earlier step of the plan`)
    }
    seen.add(step.id)
  }
  return steps
}

/** Every step that depends on `id`, directly or through others, in plan order. */
export function dependentsOf(steps: readonly Step[], id: string): string[] {
  const affected = new Set([id])
  const out: string[] = []
  for (const step of steps) {
    if (step.dependsOn.some((d) => affected.has(d))) {
      affected.add(step.id)
      out.push(step.id)
    }
  }
  return out
}
