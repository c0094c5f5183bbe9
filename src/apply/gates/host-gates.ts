// Gates on a member's host, read through the node provider: the config file holds what the plan
// wrote (the plan is what was reviewed), the data dir holds nothing that would give etcd another
// identity, and the snapshot to restore from is there.
//
// config-written: a file changed since the plan wrote it (by hand, by a tool, corrupted) is shown as a
// diff and not used, nor overwritten — restoring or deleting it is the operator's call; a missing file
// is written again from the plan.
// data-dir-empty: a member the cluster has never seen started must not start on a data dir that holds
// anything but its own write-ahead log: etcd would run under that data's identity (another member's,
// or another cluster's), or refuse it. What a failed first start of etcd left there (member/snap/db,
// no WAL: failed-start-debris.ts) is moved aside through the provider, never deleted. A member that started once keeps its data dir
// (docs/etcd-facts.md: `initial-cluster*` are read only while the data dir has no member/wal). A
// restore goes only into a data dir that is absent, empty, or a restore etcdplan completed.
import {stat} from 'node:fs/promises'
import {createTwoFilesPatch, FILE_HEADERS_ONLY} from 'diff'
import {hexId} from '../../cluster/live-cluster.js'
import {RESTORED_MARK} from '../../nodes/node-provider.js'
import {NotObservableError} from '../../nodes/not-observable.js'
import type {RenderedConfig, Step} from '../../plan/types.js'
import {onHost, requireMemberSpec} from '../step-context.js'
import {isFailedStartDebris} from './failed-start-debris.js'
import {GateRefusal, PASS, type Gate, type GateInput, type GateVerdict} from './gate.js'
import {dataDirAbsentOrEmpty} from './host-readiness-gates.js'
import {notObserved} from './not-observed.js'
import {observedSubject} from './subject.js'

export const configWritten: Gate = async (input) => {
  const {step, ctx} = input
  if (step.kind === 'rewrite-config') {
    let current
    try {
      current = await ctx.provider.readConfig(requireMemberSpec(ctx, step.member), step.config.path)
    } catch (error) {
      if (!(error instanceof NotObservableError)) throw error
      return notObserved(input, error, `whether ${step.config.path} still holds what the plan wrote`, 'It is rewritten with the planned content: a change someone made to it since is replaced.')
    }
    if (current === null || current === step.config.content || current === step.previous.content) return PASS
    throw new GateRefusal(`${step.config.path} was changed by someone else since it was written`, 'compare it with the plan (`etcdplan show PLAN`), restore the planned content or move the file aside, then apply again')
  }
  if (step.kind !== 'start-member' && step.kind !== 'restart-member') return PASS
  return plannedConfigOnDisk(input, step.member, step.configPath)
}

/** The config the plan last wrote to `configPath` before this step, against the file: written again when missing, refused with a diff when it differs. */
async function plannedConfigOnDisk(input: GateInput, name: string, configPath: string): Promise<GateVerdict> {
  const {ctx, step} = input
  const planned = lastWrittenConfig(ctx.plan.steps, step.id, configPath)
  if (planned === null) return PASS
  const member = requireMemberSpec(ctx, name)
  let onDisk
  try {
    onDisk = await ctx.provider.readConfig(member, configPath)
  } catch (error) {
    if (!(error instanceof NotObservableError)) throw error
    return notObserved(input, error, `whether ${configPath} holds the config the plan wrote (${planned.stepId})`, `etcd is started with whatever the file holds; the start shows whether ${name} comes up as planned.`)
  }
  if (onDisk === planned.config.content) return PASS
  if (onDisk === null) {
    await onHost(ctx, () => ctx.provider.writeConfig(member, configPath, planned.config.content))
    input.memory.notes.push(`${configPath} was missing and was written again from the plan (${planned.stepId}); `)
    return PASS
  }
  const diff = createTwoFilesPatch(`${configPath} (planned, ${planned.stepId})`, `${configPath} (on disk)`, planned.config.content, onDisk, undefined, undefined, {headerOptions: FILE_HEADERS_ONLY})
  throw new GateRefusal(
    `${configPath} is not the config the plan wrote for ${name} (${planned.stepId}): it was changed since, so etcd was not started with it (the diff below goes from the planned config to the file)`,
    `restore the planned content (the diff shows it; \`etcdplan show PLAN\` lists it under Configs), or delete the file and the next apply writes the planned config again; then run the same apply again: it resumes at this step. To start ${name} with another config, change the spec and make a new plan.`,
    diff.trimEnd(),
  )
}

function lastWrittenConfig(steps: readonly Step[], beforeId: string, path: string): {config: RenderedConfig; stepId: string} | null {
  const index = steps.findIndex((s) => s.id === beforeId)
  let planned: {config: RenderedConfig; stepId: string} | null = null
  for (const s of steps.slice(0, index === -1 ? steps.length : index)) {
    if ((s.kind === 'write-config' || s.kind === 'rewrite-config') && s.config.path === path) planned = {config: s.config, stepId: s.id}
  }
  return planned
}

export const dataDirEmpty: Gate = async (input) => {
  const {ctx, step} = input
  // Before the first change: the data dir of each member the plan adds (host-readiness-gates.ts).
  if (step.kind === 'preflight') return dataDirAbsentOrEmpty(input)
  if (!('member' in step)) return PASS
  let dir
  try {
    dir = await ctx.provider.inspectDataDir(requireMemberSpec(ctx, step.member))
  } catch (error) {
    if (!(error instanceof NotObservableError)) throw error
    if (step.kind === 'restore-member') return notObserved(input, error, `${step.member}'s data dir`, 'The restore refuses a data dir that exists (etcdctl/etcdutl: data-dir exists); the start shows whether it holds the restore.')
    const observed = observedSubject(input)
    // As below: only a member that never started is checked; one that has started owns its data dir.
    if (observed === null || observed.started) return PASS
    return notObserved(
      input,
      error,
      `${step.member}'s data dir`,
      `The step relies on the cluster's view: it lists ${step.member} as never started, so its data dir should be absent or empty; if it holds other data, etcd starts under that identity or refuses it (the start shows which). What a failed start leaves cannot be moved aside by etcdplan here: move it aside on the host.`,
    )
  }
  if (!dir.exists || (dir.isDirectory && dir.entries.length === 0)) return PASS
  if (step.kind === 'restore-member') {
    if (dir.isDirectory && dir.entries.includes(RESTORED_MARK)) return PASS // a restore etcdplan completed: the step finds it done
    throw new GateRefusal(`the data dir ${dir.path} of ${step.member} already exists and was not restored by etcdplan`, 'move it aside (never delete a data dir you have not checked), then apply again')
  }
  const observed = observedSubject(input)
  // Only a member that never started is checked: one that has started owns its data dir.
  if (observed === null || observed.started) return PASS
  if (dir.wal !== null && dir.wal.memberId === observed.id) return PASS // its own WAL: it started once, before publishing its name
  if (isFailedStartDebris(dir)) {
    // What a failed first start of its own left (member/snap/db, no WAL): it never joined, so nothing
    // of it is in there; moved aside, never deleted, and etcd starts afresh.
    const aside = await onHost(ctx, () => ctx.provider.moveDataDirAside(requireMemberSpec(ctx, step.member)))
    if (aside !== null) input.memory.notes.push(`${dir.path} held only what a failed start of etcd leaves (${dir.files.join(', ') || 'empty directories'}) and was moved aside to ${aside}; `)
    return PASS
  }
  const where = `the data dir ${dir.path} of ${step.member}`
  const found = !dir.isDirectory
    ? 'is not a directory'
    : `is not empty (it holds ${dir.entries.slice(0, 5).join(', ')}${dir.entries.length > 5 ? `, and ${dir.entries.length - 5} more` : ''})${
        dir.wal === null ? '' : `; its write-ahead log belongs to member ${hexId(dir.wal.memberId)} of cluster ${hexId(dir.wal.clusterId)}, not to ${step.member} (${hexId(observed.id)})`
      }`
  throw new GateRefusal(
    `${where} ${found}, but ${step.member} has never started in this cluster (the member list shows it unstarted). etcd was not started: it would run with that data, under another identity, instead of joining as ${step.member}.`,
    `move ${dir.path} away (never delete a data dir you have not checked), then run the same apply again: ${step.member} then starts with an empty data dir and joins`,
  )
}

export const snapshotPresent: Gate = async ({step}) => {
  const path = step.kind === 'snapshot-verify' ? step.path : step.kind === 'verify-data' ? step.snapshotPath : step.kind === 'restore-member' ? step.snapshotPath : null
  if (path === null) return PASS
  try {
    if ((await stat(path)).isFile()) return PASS
  } catch {
    // missing: refused below
  }
  throw new GateRefusal(`the snapshot ${path} is missing`, 'it was deleted or moved since snapshot-save: re-plan with `etcdplan plan` to take a new snapshot')
}
