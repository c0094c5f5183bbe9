// Why `plan --rollback` makes no plan, in the operator's terms: what happened, and what remains
// possible from where the cluster is. Each is a UserError (exit 1, nothing changed).
import type {StateLockInfo} from '../apply/state-lock-info.js'
import type {MemberSpec, Spec} from '../spec/types.js'
import {UserError} from '../user-error.js'

export function nothingToRollBack(spec: Spec, journalPath: string): UserError {
  return new UserError(
    `nothing was applied of migration "${spec.name}" (no journal at ${journalPath}); nothing to roll back`,
    `the cluster is where the migration found it; if an apply ran elsewhere (another directory or machine), run plan --rollback there, or give its journal with --state`,
    1,
    'nothing-to-roll-back',
    {journalPath},
  )
}

/** Join: source members are gone from the cluster (removed by the apply, or by hand). */
export function joinPastPointOfNoReturn(spec: Spec, removed: readonly MemberSpec[], stepId: string | null, remaining: readonly string[], journalPath: string): UserError {
  const names = removed.map((m) => m.name)
  const what = names.length === 0 ? `the journal records ${stepId} as run` : `${names.join(', ')} ${names.length === 1 ? 'was' : 'were'} removed from the cluster${stepId === null ? '' : ` (${stepId} and after)`}`
  return new UserError(
    `cannot plan a rollback of "${spec.name}": it is past its point of no return — ${what}, and etcd never lets a removed member ID rejoin, so the source cluster cannot be restored; nothing was changed`,
    `what remains possible: the cluster is ${remaining.join(', ')} and keeps serving; finish the migration (run the same \`etcdplan apply\` again to resume it), or migrate it to another spec: write one whose source is the cluster as it runs (\`etcdplan init --endpoints URL\`) and plan from it. Re-adding ${names[0] ?? 'a removed member'} means adding it as a new member with an empty data dir.`,
    1,
    'past-point-of-no-return',
    {journalPath, removed: names, remaining},
  )
}

/** Snapshot, past stopping the old members: their data dirs are kept and can be started as they were. */
export function snapshotPastPointOfNoReturn(spec: Spec, stopped: readonly string[], journalPath: string): UserError {
  const old = spec.source.members.filter((m) => stopped.includes(m.name))
  const steps = [
    `stop the new members (${spec.target.members.map((m) => m.name).join(', ')}) so that clients cannot write to both clusters`,
    ...old.map((m) => `on ${m.host}, start ${m.name} as it ran before, from its kept data dir ${m.dataDir} (e.g. etcd --config-file ${m.configFile})`),
    ...(spec.dns === undefined ? [] : [`point ${spec.dns.name} back at ${spec.source.members.map((m) => m.clientURL).join(', ')}`]),
  ]
  return new UserError(
    `cannot plan a rollback of "${spec.name}": it is past its point of no return — the old members ${stopped.join(', ')} were stopped (stop-member), and writes made to the new cluster since are not in the old one; nothing was changed`,
    `what remains possible: the old members' data dirs are kept and can be started as they were, losing the writes made to the new cluster: ${steps.map((s, i) => `${i + 1}. ${s}`).join('; ')}`,
    1,
    'past-point-of-no-return',
    {journalPath, stopped},
  )
}

/** Snapshot, before its point of no return: the source cluster was never changed; there is nothing to plan. */
export function snapshotNotChanged(spec: Spec, dnsSwitched: boolean, journalPath: string): UserError {
  const steps = [
    ...(dnsSwitched && spec.dns !== undefined ? [`point ${spec.dns.name} back at ${spec.source.members.map((m) => m.clientURL).join(', ')} (the apply had started switching it)`] : []),
    `stop the new members ${spec.target.members.map((m) => m.name).join(', ')}, if they were started; their data dirs hold the restored snapshot and a new cluster ID`,
  ]
  return new UserError(
    `no rollback plan for "${spec.name}": a snapshot migration does not change the source cluster before its point of no return (stopping the old members), and the old members still run; nothing was changed`,
    `to go back: ${steps.map((s, i) => `${i + 1}. ${s}`).join('; ')}`,
    1,
    'rollback-not-planned',
    {journalPath},
  )
}

/** The journal was written by an apply of another version of the spec: its source may not be the one that ran. */
export function journalOfAnotherSpec(spec: Spec, journalPath: string): UserError {
  return new UserError(
    `cannot plan a rollback of "${spec.name}": its journal ${journalPath} was written by an apply of another version of this spec (it changed since), so the spec's source may not be the cluster the apply started from; nothing was changed`,
    'plan the rollback with the spec as it was applied (e.g. from version control), or, if the source members are unchanged, write a spec whose source is the cluster as it runs (`etcdplan init --endpoints URL`)',
    1,
    'plan-spec-mismatch',
    {journalPath},
  )
}

/** Another apply of the migration holds its lock and runs: a rollback planned now would race it. */
export function forwardApplyRunning(spec: Spec, holder: StateLockInfo, lockPath: string): UserError {
  return new UserError(
    `an apply of "${spec.name}" is running (pid ${holder.pid} on ${holder.host}, since ${holder.createdAt}, lock ${lockPath}): a rollback planned now would race it; nothing was changed`,
    'stop that apply first (Ctrl-C: it says where the journal stands), then plan the rollback',
    1,
    'lock-held',
    {lockPath, holder},
  )
}
