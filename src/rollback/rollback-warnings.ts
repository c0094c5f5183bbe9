// What a rollback plan warns about: each member it removes leaves a data dir holding a removed
// member's identity on its host. etcd refuses that member ID for good, and the forward plan's
// preflight refuses a used data dir, so it must be moved aside before the migration is planned again.
import type {PlanWarning, RollbackOf} from '../plan/types.js'
import type {Spec} from '../spec/types.js'

export function rollbackWarnings(spec: Spec, rollback: RollbackOf | undefined): PlanWarning[] {
  if (rollback === undefined) return []
  return spec.source.members
    .filter((m) => rollback.added.includes(m.name) && !spec.target.members.some((t) => t.name === m.name))
    .map((m) => ({
      code: 'rollback-data-dir',
      message: `After the rollback, ${m.name}'s data dir ${m.dataDir} (on ${m.host}) holds a removed member: move it aside before migrating again (etcd never lets a removed member ID rejoin, and preflight refuses a used data dir).`,
    }))
}
