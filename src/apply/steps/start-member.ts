// start-member (runbook step 4): start etcd on the member's host and wait until it has published its
// name, i.e. it is "started" in etcd's sense. A process that dies is reported with its log tail.
// Before starting a member that is not running, two checks keep etcd from starting as something
// other than the plan says:
// - its config file must hold exactly the config the plan wrote (write-config): the plan is what was
//   reviewed, and a file changed since (by hand, by a tool, corrupted) is shown as a diff and not
//   used, nor overwritten — restoring it or deleting it (apply then writes the planned one again)
//   is the operator's call. A missing file is written again from the plan.
// - a member the cluster has never seen started must not start on a data dir that holds anything but
//   its own write-ahead log: etcd would run under that data's identity (another member's, or another
//   cluster's), or refuse it. A member that started once keeps its data dir (etcd-facts.md:
//   `initial-cluster*` are read only while the data dir has no member/wal).
import {createTwoFilesPatch, FILE_HEADERS_ONLY} from 'diff'
import {hexId, statusOf} from '../../cluster/live-cluster.js'
import type {ObservedMember} from '../../cluster/observation.js'
import type {RenderedConfig, StartMemberStep} from '../../plan/types.js'
import type {MemberSpec} from '../../spec/types.js'
import {StepFailedError} from '../apply-errors.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import {converge} from '../converge.js'
import {onHost, plannedMemberOf, requireMemberSpec, type StepContext} from '../step-context.js'

export async function runStartMember(ctx: StepContext, step: StartMemberStep): Promise<string> {
  const member = requireMemberSpec(ctx, step.member)
  if (ctx.plan.strategy === 'snapshot') return startRestoredMember(ctx, step, member)
  const {peerURL} = plannedMemberOf(ctx, step.member)
  const cluster = await ctx.observe()
  const before = memberWithPeerURL(cluster, peerURL)
  if (before === null) {
    throw new StepFailedError(step.id, `${step.member} is not a member of the cluster, so it must not start`, 'its add step did not take effect: run `etcdplan plan` to plan from the cluster as it is now')
  }
  let startedNow = false
  let rewrote = ''
  if (!(before.started && statusOf(cluster, before.id) !== null)) {
    if (!(await ctx.provider.isRunning(member))) {
      rewrote = await checkPlannedConfig(ctx, step, member)
      if (!before.started) await refuseForeignDataDir(ctx, step, member, before)
      await onHost(ctx, () => ctx.provider.start(member, step.configPath))
      startedNow = true
    }
  }
  const outcome = await converge(ctx, ctx.spec.timeouts.healthMs, async (cluster) => {
    const observed = memberWithPeerURL(cluster, peerURL)
    const status = statusOf(cluster, observed?.id ?? null)
    if (observed !== null && observed.started && status !== null) return {done: startedNow ? `${step.member} started and published its name` : `${step.member} was already running`}
    if (!(await ctx.provider.isRunning(member))) {
      throw new StepFailedError(step.id, `etcd for ${step.member} is not running any more`, 'fix the cause shown in the log, then run the same apply again', await ctx.provider.logTail(member, 20))
    }
    return {wait: `waiting for ${step.member} to start and publish its name`}
  })
  return `${rewrote}${outcome}`
}

/**
 * The config the plan last wrote to the step's config path before this step, checked against the
 * file: written again when missing (returns a note for the outcome), refused with a diff when it
 * differs. Nothing to check when the plan writes no config there.
 */
async function checkPlannedConfig(ctx: StepContext, step: StartMemberStep, member: MemberSpec): Promise<string> {
  const index = ctx.plan.steps.findIndex((s) => s.id === step.id)
  let planned: {config: RenderedConfig; stepId: string} | null = null
  for (const s of ctx.plan.steps.slice(0, index === -1 ? ctx.plan.steps.length : index)) {
    if ((s.kind === 'write-config' || s.kind === 'rewrite-config') && s.config.path === step.configPath) planned = {config: s.config, stepId: s.id}
  }
  if (planned === null) return ''
  const onDisk = await ctx.provider.readConfig(member, step.configPath)
  if (onDisk === planned.config.content) return ''
  if (onDisk === null) {
    await onHost(ctx, () => ctx.provider.writeConfig(member, step.configPath, planned.config.content))
    return `${step.configPath} was missing and was written again from the plan (${planned.stepId}); `
  }
  const diff = createTwoFilesPatch(`${step.configPath} (planned, ${planned.stepId})`, `${step.configPath} (on disk)`, planned.config.content, onDisk, undefined, undefined, {headerOptions: FILE_HEADERS_ONLY})
  throw new StepFailedError(
    step.id,
    `${step.configPath} is not the config the plan wrote for ${step.member} (${planned.stepId}): it was changed since, so etcd was not started with it (the diff below goes from the planned config to the file)`,
    `restore the planned content (the diff shows it; \`etcdplan show PLAN\` lists it under Configs), or delete the file and the next apply writes the planned config again; then run the same apply again: it resumes at this step. To start ${step.member} with another config, change the spec and make a new plan.`,
    diff.trimEnd(),
  )
}

/** Refuses to start a never-started member on a data dir that is not empty and does not hold this member's own WAL. */
async function refuseForeignDataDir(ctx: StepContext, step: StartMemberStep, member: MemberSpec, observed: ObservedMember): Promise<void> {
  const dir = await ctx.provider.inspectDataDir(member)
  if (!dir.exists || (dir.isDirectory && dir.entries.length === 0)) return
  if (dir.wal !== null && dir.wal.memberId === observed.id) return // its own WAL: it started once, before publishing its name
  const where = `the data dir ${dir.path} of ${step.member}`
  const found = !dir.isDirectory
    ? 'is not a directory'
    : `is not empty (it holds ${dir.entries.slice(0, 5).join(', ')}${dir.entries.length > 5 ? `, and ${dir.entries.length - 5} more` : ''})${
        dir.wal === null ? '' : `; its write-ahead log belongs to member ${hexId(dir.wal.memberId)} of cluster ${hexId(dir.wal.clusterId)}, not to ${step.member} (${hexId(observed.id)})`
      }`
  throw new StepFailedError(
    step.id,
    `${where} ${found}, but ${step.member} has never started in this cluster (the member list shows it unstarted). etcd was not started: it would run with that data, under another identity, instead of joining as ${step.member}.`,
    `move ${dir.path} away (never delete a data dir you have not checked), then run the same apply again: ${step.member} then starts with an empty data dir and joins`,
  )
}

/**
 * A member of the restored cluster answers only once a quorum of its peers has started, so this step
 * starts the process and checks it keeps running; the verify step waits for the cluster to form.
 */
async function startRestoredMember(ctx: StepContext, step: StartMemberStep, member: MemberSpec): Promise<string> {
  if (await ctx.provider.isRunning(member)) return `${step.member} is already running`
  await onHost(ctx, () => ctx.provider.start(member, step.configPath))
  return `${step.member} started; the new cluster forms once a quorum of its members runs`
}
