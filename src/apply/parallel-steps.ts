// Which steps the applier may run at the same time: a run of consecutive steps in the plan's order
// whose dependencies were all done before the run began (none depends on another of the run), each
// on a different member, and each of a kind that acts on its own member's host only. Those kinds
// never change the cluster's membership or talk to a cluster etcd serves (a restore writes a fresh
// data dir; a config or certificate write writes files), so running them together cannot race a gate
// or a quorum, and each still observes before it acts: a kill mid-run leaves every one either done
// or safe to run again. The restores of a snapshot migration are the case that counts: each reads
// the whole snapshot and writes a data dir, on its own host (the plan makes them depend only on
// their own member's config step).
import type {Step, StepKind} from '../plan/types.js'
import type {NodeProviderName} from '../spec/types.js'

const HOST_LOCAL_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(['restore-member', 'write-config', 'copy-certificates'])

/**
 * The steps from `start` on that run together with steps[start] (itself first), in plan order,
 * skipping those already `done`; just [steps[start]] when it cannot share. The manual provider runs
 * one step at a time: every host action is the operator's, asked for one at a time.
 */
export function parallelRun(steps: readonly Step[], start: number, done: ReadonlySet<string>, provider: NodeProviderName): {readonly run: readonly Step[]; readonly skipped: readonly Step[]; readonly end: number} {
  const first = steps[start]!
  if (provider === 'manual' || !canShare(first, done)) return {run: [first], skipped: [], end: start + 1}
  const run: Step[] = [first]
  const skipped: Step[] = []
  const members = new Set([memberOf(first)])
  let end = start + 1
  for (; end < steps.length; end++) {
    const step = steps[end]!
    if (done.has(step.id) && HOST_LOCAL_KINDS.has(step.kind)) {
      skipped.push(step)
      continue
    }
    if (!canShare(step, done) || members.has(memberOf(step))) break
    members.add(memberOf(step))
    run.push(step)
  }
  return {run, skipped, end}
}

function canShare(step: Step, done: ReadonlySet<string>): boolean {
  return HOST_LOCAL_KINDS.has(step.kind) && memberOf(step) !== '' && step.dependsOn.every((d) => done.has(d))
}

function memberOf(step: Step): string {
  return 'member' in step && typeof step.member === 'string' ? step.member : ''
}
