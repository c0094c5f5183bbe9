// Which steps the applier may run at the same time: a run of consecutive steps in the plan's order
// whose dependencies were all done before the run began (none depends on another of the run), each
// on a different member, and each of a kind that acts on its own member's host only. Those kinds
// never change the cluster's membership or talk to a cluster etcd serves (a restore writes a fresh
// data dir; a config or certificate write writes files; a fence moves a stopped member's files
// aside), so running them together cannot race a gate or a quorum, and each still observes before it
// acts: a kill mid-run leaves every one either done or safe to run again. The restores of a snapshot
// migration are the case that counts: each reads the whole snapshot and writes a data dir, on its own
// host (the plan makes them depend only on their own member's config step).
// In a snapshot migration the starts of the restored members run together too, as the runbook does
// them: the restored cluster forms only once a quorum of its members runs (each start only starts
// the process; the verify step waits for the cluster). In a join a start changes what a live cluster
// counts (its started members): never run together there. The old members' stops of a snapshot
// migration run together as well, the old cluster's leader last (leaderLast): the old cluster is
// retired as a whole, and stopped side by side the followers' graceful closes overlap. The snapshot
// tool's check of the saved file runs beside the restores: it reads the file and nothing else.
import type {Step, StepKind} from '../plan/types.js'
import type {NodeProviderName, Strategy} from '../spec/types.js'

const HOST_LOCAL_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(['restore-member', 'write-config', 'copy-certificates', 'fence-member'])
const SNAPSHOT_ONLY_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(['start-member', 'stop-member', 'snapshot-verify'])

/**
 * The steps from `start` on that run together with steps[start] (itself first), in plan order,
 * skipping those already `done`; just [steps[start]] when it cannot share. The manual provider runs
 * one step at a time: every host action is the operator's, asked for one at a time.
 */
export function parallelRun(steps: readonly Step[], start: number, done: ReadonlySet<string>, provider: NodeProviderName, strategy: Strategy): {readonly run: readonly Step[]; readonly skipped: readonly Step[]; readonly end: number} {
  const first = steps[start]!
  const sharable = (kind: StepKind) => HOST_LOCAL_KINDS.has(kind) || (strategy === 'snapshot' && SNAPSHOT_ONLY_KINDS.has(kind))
  const canShare = (step: Step) => sharable(step.kind) && hostOf(step) !== '' && step.dependsOn.every((d) => done.has(d))
  if (provider === 'manual' || !canShare(first)) return {run: [first], skipped: [], end: start + 1}
  const run: Step[] = [first]
  const skipped: Step[] = []
  const hosts = new Set([hostOf(first)])
  let end = start + 1
  for (; end < steps.length; end++) {
    const step = steps[end]!
    if (done.has(step.id) && sharable(step.kind)) {
      skipped.push(step)
      continue
    }
    if (!canShare(step) || hosts.has(hostOf(step))) break
    hosts.add(hostOf(step))
    run.push(step)
  }
  return {run, skipped, end}
}

/**
 * A run in the order its steps may start: the old members' stops (a snapshot migration) in two
 * waves, every member but the old cluster's leader, then the leader alone; any other run in one.
 * A leader stopped while its followers stop tries to hand its leadership to one of them and waits
 * ~7 s for it (its graceful stop: etcd's TransferLeadership on shutdown); stopped after them it has
 * no one to hand it to and stops at once (measured on 3.4.23 and 3.5.16). No leader known (the old
 * cluster has lost its quorum already): one wave.
 */
export function leaderLast(run: readonly Step[], leader: string | null): readonly (readonly Step[])[] {
  const led = run.filter((step) => step.kind === 'stop-member' && memberOf(step) === leader)
  if (led.length === 0 || run.length === 1) return [run]
  return [run.filter((step) => !led.includes(step)), led]
}

/** What a step of a run acts on: its member, or for the snapshot check the saved file (one per plan). */
function hostOf(step: Step): string {
  return step.kind === 'snapshot-verify' ? step.id : memberOf(step)
}

function memberOf(step: Step): string {
  return 'member' in step && typeof step.member === 'string' ? step.member : ''
}
