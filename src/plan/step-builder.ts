// Accumulates the plan's steps in order while the membership model is moved along with them, so
// each step records the fault tolerance before and after it and depends on the step before it
// (membership changes in etcd are strictly sequential: one reconfiguration at a time).
import type {MembershipModel} from './membership-model.js'
import type {Precondition, PreconditionCheck, Step} from './types.js'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
export type StepDraft = DistributiveOmit<Step, 'before' | 'after' | 'dependsOn'>

export class StepBuilder {
  private readonly built: Step[] = []

  constructor(readonly model: MembershipModel) {}

  /** Appends a step; `effect` moves the model to the state after it. */
  push(draft: StepDraft, effect?: (model: MembershipModel) => void): void {
    const before = this.model.tolerance()
    effect?.(this.model)
    const after = this.model.tolerance()
    const previous = this.built.at(-1)
    this.built.push({...draft, before, after, dependsOn: previous ? [previous.id] : []} as Step)
  }

  steps(): readonly Step[] {
    return this.built
  }
}

export function precondition(check: PreconditionCheck, description: string, member?: string): Precondition {
  return member === undefined ? {check, description} : {check, member, description}
}
