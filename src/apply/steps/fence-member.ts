// fence-member: a member that left the cluster is fenced on its host, so that a supervisor or a
// person starting it again cannot rejoin or bootstrap under its old identity (src/plan/fence-member-step.ts
// says what moves for each strategy and why; docs/etcd-facts.md, "Removed members").
// Safety first, since the step takes files away from under etcd: it never fences a live member.
// - join: the member must be out of the member list (its remove took effect), and
// - both strategies: it must not answer at its client URL, and the provider must not see it run.
// Then the provider moves the paths aside, never deleting them; a rerun finds them moved already and
// says where they are. A provider that cannot act on the host (exec without nodes.exec.fence) makes
// the step a warning with the commands to run by hand: the migration itself is done, and holding it
// up would not make the host any safer.
import type {FenceMemberStep} from '../../plan/types.js'
import type {FenceResult} from '../../nodes/node-provider.js'
import {NotObservableError} from '../../nodes/not-observable.js'
import {StepFailedError} from '../apply-errors.js'
import {memberWithPeerURL} from '../cluster-gates.js'
import type {StepResult} from '../step-result.js'
import {onHost, plannedMemberOf, requireMemberSpec, runningOrUnknown, type StepContext} from '../step-context.js'

export async function runFenceMember(ctx: StepContext, step: FenceMemberStep): Promise<StepResult> {
  const {peerURL, clientURL} = plannedMemberOf(ctx, step.member)
  const member = requireMemberSpec(ctx, step.member)
  const replan = 'run `etcdplan plan` to plan from the cluster as it is now'
  if (ctx.plan.strategy !== 'snapshot') {
    const cluster = await ctx.observe()
    if (memberWithPeerURL(cluster, peerURL) !== null) {
      throw new StepFailedError(step.id, `${step.member} is still a member of the cluster: etcdplan never fences a member the cluster still lists (nothing was moved)`, `its remove step did not take effect: ${replan}`)
    }
  }
  if ((await ctx.cluster.status(clientURL)).error === null) {
    throw new StepFailedError(step.id, `${step.member} still answers at ${clientURL}: etcdplan never fences a member that runs (nothing was moved)`, `stop etcd for ${step.member} on its host, then run the same apply again: it resumes at this step`)
  }
  if ((await runningOrUnknown(ctx, member)) === true) {
    throw new StepFailedError(step.id, `etcd for ${step.member} still runs on its host (${member.host}), though it does not answer at ${clientURL}: etcdplan never fences a member that runs (nothing was moved)`, `stop it on its host, then run the same apply again: it resumes at this step`)
  }
  const paths = [step.configFile, ...(step.dataDir === null ? [] : [step.dataDir]), ...(step.walDir === undefined ? [] : [step.walDir])]
  let result: FenceResult
  try {
    result = await onHost(ctx, () => ctx.provider.fenceMember(member, paths))
  } catch (error) {
    if (!(error instanceof NotObservableError)) throw error
    const warning = `${step.member}'s host was NOT fenced: ${error.message}. Move ${paths.join(', ')} aside by hand on ${member.host} (never delete them), e.g. \`mv PATH PATH.removed-$(date -u +%Y%m%dT%H%M%SZ)\`, or add nodes.exec.fence.`
    ctx.emit({type: 'step-warning', id: step.id, warning})
    return {done: `NOT fenced: the node provider cannot move files on ${step.member}'s host (see the warning)`}
  }
  const missing = result.paths.filter((p) => p.movedTo === null).map((p) => p.path)
  if (missing.length > 0) {
    ctx.emit({type: 'step-warning', id: step.id, warning: `nothing was found at ${missing.join(', ')} on ${step.member}'s host, nor a moved-aside copy beside it: if ${step.member} ran from other paths than the spec's, move those aside by hand (never delete them).`})
  }
  return {done: fencedOutcome(step, result)}
}

/** `etcd1 fenced: /etc/etcd/etcd1.yaml → /etc/etcd/etcd1.yaml.removed-…, …` with what was moved earlier and what stays. */
function fencedOutcome(step: FenceMemberStep, result: FenceResult): string {
  const moved = result.paths.filter((p) => p.movedTo !== null)
  const parts = moved.map((p) => `${p.path} → ${p.movedTo}${p.earlier ? ' (moved by an earlier run)' : ''}`)
  const kept = step.dataDir === null ? '; its data dir stays in place as the fallback of this migration' : ''
  const unit = result.disabledUnit === null ? '' : `; unit ${result.disabledUnit} disabled`
  if (moved.length === 0) return `nothing to move for ${step.member} (see the warning)${kept}${unit}`
  return `${step.member} fenced, nothing deleted: ${parts.join(', ')}${kept}${unit}`
}
