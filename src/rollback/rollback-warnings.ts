// What a rollback plan warns about: each member it removes leaves a data dir holding a removed
// member's identity on its host. etcd refuses that member ID for good, and the forward plan's
// preflight refuses a used data dir, so it must be moved aside before the migration is planned again.
// A member the plan fences (fence-member) has its data dir moved aside by the plan itself; only the
// others (no fence possible: a member found down, an exec provider without `fence`) are warned about.
import type {PlanWarning, RollbackOf, Step} from '../plan/types.js'
import type {Spec} from '../spec/types.js'

export function rollbackWarnings(spec: Spec, rollback: RollbackOf | undefined, steps: readonly Step[]): PlanWarning[] {
  if (rollback === undefined) return []
  const fenced = new Set(steps.flatMap((s) => (s.kind === 'fence-member' ? [s.member] : [])))
  return spec.source.members
    .filter((m) => rollback.added.includes(m.name) && !spec.target.members.some((t) => t.name === m.name) && !fenced.has(m.name))
    .map((m) => ({
      code: 'rollback-data-dir',
      message: `After the rollback, ${m.name}'s data dir ${m.dataDir} (on ${m.host}) holds a removed member: move it aside before migrating again (etcd never lets a removed member ID rejoin, and preflight refuses a used data dir).`,
    }))
}
