// The point of no return of a plan: the first step after which the source cluster can no longer be
// restored by undoing what the plan did (removing the members it added, switching DNS back).
//
// Why these steps (docs/etcd-facts.md):
// - join: adding a member (learner or voter), starting it, promoting it and switching DNS can all be
//   undone while every source member is still in the cluster: `member remove` takes an added member
//   out again (leadership moved first), and DNS can be pointed back. Removing a SOURCE member cannot
//   be undone: etcd records a removed member ID for good ("the member has been permanently removed
//   from the cluster"), its data dir can never rejoin, and bringing it back means adding a new
//   member with an empty data dir — a member that is not the operator's source member any more.
// - snapshot: the source cluster is never changed until its members are stopped; stopping them ends
//   the cluster that served clients (the new cluster has its own cluster ID, and writes made to it are
//   not in the source). The old members' data dirs are kept, so they can be started again by hand,
//   but no plan can go back through that.
// Pure: a function of the steps and the names of the source members.
import type {Strategy} from '../spec/types.js'
import type {Step} from './types.js'

export interface PointOfNoReturn {
  /** The step that passes it: once it has run (or started running), there is no rollback plan. */
  readonly stepId: string
  /** What going back means from here on, for the reviewer. */
  readonly why: string
}

/**
 * `sourceMembers`: the members of the cluster as the migration found it, which the plan must not
 * lose to be undone (for a rollback plan: none, since the members it removes were added by the
 * migration and can be planned in again).
 */
export function pointOfNoReturn(strategy: Strategy, steps: readonly Pick<Step, 'id' | 'kind'>[], sourceMembers: ReadonlySet<string>): PointOfNoReturn | null {
  const kind = strategy === 'snapshot' ? 'stop-member' : 'remove-member'
  const step = steps.find((s) => s.kind === kind && sourceMembers.has(memberOf(s.id)))
  if (step === undefined) return null
  const member = memberOf(step.id)
  return strategy === 'snapshot'
    ? {
        stepId: step.id,
        why: `From here on, going back means starting the old members again by hand: stopping ${member} ends the source cluster; its data dir is kept (and its config, once fenced, is at its .removed-<time> name: move it back first), but writes made to the new cluster are not in it, and etcdplan plan --rollback refuses.`,
      }
    : {
        stepId: step.id,
        why: `From here on, going back means re-adding ${member} as a new member with an empty data dir: etcd never lets a removed member ID rejoin, so etcdplan plan --rollback refuses once ${member} is removed. Before it, a rollback removes the added members and switches DNS back.`,
      }
}

/** A step id is `<kind>/<member>` (or `<kind>` for cluster-wide steps). */
export function memberOf(stepId: string): string {
  const slash = stepId.indexOf('/')
  return slash === -1 ? '' : stepId.slice(slash + 1)
}

/** The kind of a step id (`remove-member/etcd1` → remove-member), as the journal records only ids. */
export function kindOf(stepId: string): string {
  const slash = stepId.indexOf('/')
  return slash === -1 ? stepId : stepId.slice(0, slash)
}
