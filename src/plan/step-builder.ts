// Accumulates the plan's steps in order while the membership model is moved along with them, so
// each step records the fault tolerance before and after it, and its real dependencies (see
// dependenciesOf): the applier walks that graph, and a failed step's dependents are not run.
import type {MembershipModel} from './membership-model.js'
import {STEP_KINDS} from './step-kinds.js'
import type {Precondition, PreconditionCheck, Step} from './types.js'

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
export type StepDraft = DistributiveOmit<Step, 'before' | 'after' | 'dependsOn'>

export interface StepBuilderOptions {
  /** Move the model by each step's membership effect (join); off when the planner moves it itself (snapshot). */
  readonly replayMembership: boolean
}

export class StepBuilder {
  private readonly built: Step[] = []

  constructor(
    readonly model: MembershipModel,
    private readonly options: StepBuilderOptions = {replayMembership: true},
  ) {}

  /** Appends a step; `effect` moves the model further (beyond the step table's membership effect). */
  push(draft: StepDraft, effect?: (model: MembershipModel) => void): void {
    const before = this.model.tolerance()
    const step = {...draft, before, after: before, dependsOn: dependenciesOf(draft, this.built)} as Step
    if (this.options.replayMembership) this.model.apply(step)
    effect?.(this.model)
    this.built.push({...step, after: this.model.tolerance()})
  }

  steps(): readonly Step[] {
    return this.built
  }
}

export function precondition(check: PreconditionCheck, description: string, member?: string): Precondition {
  return member === undefined ? {check, description} : {check, member, description}
}

function isBarrier(step: Pick<Step, 'kind'>): boolean {
  return STEP_KINDS[step.kind].scheduling === 'barrier'
}

function isSerial(step: Pick<Step, 'kind'>): boolean {
  return STEP_KINDS[step.kind].scheduling === 'serial'
}

/**
 * What a step really waits for, by its kind's scheduling (step-kinds.ts): the last barrier (or, for a barrier, every step since the last one),
 * the last step on the same member, and for a serial step the last serial step. Reduced to the
 * direct edges: a dependency that another dependency already implies is left out.
 */
function dependenciesOf(draft: StepDraft, built: readonly Step[]): string[] {
  const lastBarrier = findLastIndex(built, isBarrier)
  const direct = new Set<number>()
  if (isBarrier(draft)) {
    for (let i = lastBarrier + 1; i < built.length; i++) direct.add(i)
    if (direct.size === 0 && lastBarrier >= 0) direct.add(lastBarrier)
  } else {
    if (lastBarrier >= 0) direct.add(lastBarrier)
    const member = 'member' in draft ? draft.member : null
    const sameMember = member === null ? -1 : findLastIndex(built, (s) => 'member' in s && s.member === member)
    if (sameMember > lastBarrier) direct.add(sameMember)
    if (isSerial(draft)) {
      const lastSerial = findLastIndex(built, isSerial)
      if (lastSerial > lastBarrier) direct.add(lastSerial)
    }
  }
  // Transitive reduction: drop an edge another edge already reaches.
  const indexOf = new Map(built.map((s, i) => [s.id, i]))
  const reaches = (from: number, to: number): boolean => {
    const stack = [from]
    const seen = new Set<number>()
    while (stack.length > 0) {
      const i = stack.pop()!
      for (const dep of built[i]!.dependsOn) {
        const j = indexOf.get(dep) ?? -1
        if (j === to) return true
        // A step depends only on steps built before it: one built before `to` cannot lead to it.
        if (j > to && !seen.has(j)) {
          seen.add(j)
          stack.push(j)
        }
      }
    }
    return false
  }
  const edges = [...direct].sort((a, b) => a - b)
  return edges.filter((e) => !edges.some((other) => other !== e && reaches(other, e))).map((i) => built[i]!.id)
}

function findLastIndex<T>(list: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (predicate(list[i]!)) return i
  return -1
}
