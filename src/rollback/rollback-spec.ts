// The spec a rollback plan is planned from: the forward migration's spec with source and target
// swapped, so that the ordinary join planner makes the way back — the members the migration added are
// removed (a learner first, a voter after leadership moved off it, each confirmed stopped), DNS is
// pointed back at the source when it had been switched, and the source members are verified. Nothing
// else is needed: etcdplan never writes a source member's config (they are the operator's; see
// read-joined-configs.ts), so there is no config to restore. Pure, and a function of the forward spec
// and the plan's `rollbackOf`, so apply derives the same spec again and re-plans to check the file.
import type {Plan, RollbackOf} from '../plan/types.js'
import type {Spec} from '../spec/types.js'

export function rollbackName(migration: string): string {
  return `${migration}-rollback`
}

export function rollbackSpec(forward: Spec, rollback: RollbackOf): Spec {
  const added = forward.target.members.filter((t) => rollback.added.includes(t.name) && !forward.source.members.some((s) => s.name === t.name))
  const {dns, ...rest} = forward
  return {
    ...rest,
    name: rollbackName(forward.name),
    strategy: 'join',
    // The cluster as it is now: the source members and those the migration added.
    source: {members: [...forward.source.members, ...added]},
    target: {members: forward.source.members},
    // add-first puts the DNS switch back before any removal, so clients are on the source members
    // before the added ones go; nothing is added, so the other join options change nothing.
    join: {...forward.join, order: 'add-first', rollingRestart: false},
    ...(rollback.dnsSwitched && dns !== undefined ? {dns} : {}),
  }
}

/** The spec `plan` was planned from, given the spec file it records: the derived one for a rollback plan. */
export function specForPlan(plan: Pick<Plan, 'rollbackOf'>, spec: Spec): Spec {
  return plan.rollbackOf === undefined ? spec : rollbackSpec(spec, plan.rollbackOf)
}
