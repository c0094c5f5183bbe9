// One executor per step kind (the mapped type makes the compiler demand one for every kind in the
// step table): each observes before it acts, evaluates the step's preconditions through the gate
// registry, acts, and verifies, so running a step that already happened is harmless.
import type {Step, StepKind} from '../../plan/types.js'
import {OperatorActionNeeded} from '../../nodes/operator-action.js'
import type {StepContext} from '../step-context.js'
import type {StepResult} from '../step-result.js'
import {runAddMember} from './add-member.js'
import {runCopyCertificates} from './copy-certificates.js'
import {runFenceMember} from './fence-member.js'
import {runMoveLeader} from './move-leader.js'
import {runPreflight} from './preflight.js'
import {runPromote} from './promote.js'
import {runRemoveMember} from './remove-member.js'
import {runRestoreMember} from './restore-member.js'
import {runSnapshotSave} from './snapshot-save.js'
import {runSnapshotVerify} from './snapshot-verify.js'
import {runVerifyData} from './verify-data.js'
import {runRestartMember} from './restart-member.js'
import {runStartMember} from './start-member.js'
import {runStopMember} from './stop-member.js'
import {runSwitchDns} from './switch-dns.js'
import {runVerify} from './verify.js'
import {runWaitCaughtUp} from './wait-caught-up.js'
import {runWriteConfig} from './write-config.js'

type Executor<S extends Step> = (ctx: StepContext, step: S) => Promise<StepResult>

const done =
  <S extends Step>(run: (ctx: StepContext, step: S) => Promise<string>): Executor<S> =>
  async (ctx, step) => ({done: await run(ctx, step)})

const EXECUTORS: {readonly [K in StepKind]: Executor<Extract<Step, {kind: K}>>} = {
  preflight: done((ctx) => runPreflight(ctx)),
  'copy-certificates': done(runCopyCertificates),
  'write-config': done(runWriteConfig),
  'rewrite-config': done(runWriteConfig),
  'add-learner': done(runAddMember),
  'add-member': done(runAddMember),
  'start-member': done(runStartMember),
  'wait-caught-up': done(runWaitCaughtUp),
  promote: done(runPromote),
  'switch-dns': runSwitchDns,
  'move-leader': done(runMoveLeader),
  'remove-member': done(runRemoveMember),
  'stop-member': runStopMember,
  'fence-member': runFenceMember,
  'restart-member': done(runRestartMember),
  verify: done(runVerify),
  'snapshot-save': done(runSnapshotSave),
  'snapshot-verify': done(runSnapshotVerify),
  'restore-member': done(runRestoreMember),
  'verify-data': done(runVerifyData),
}

/** Runs the step's executor; a host action that is the operator's (not confirmed: onHost) stops the step with its instructions. */
export async function runStep(ctx: StepContext, step: Step): Promise<StepResult> {
  const executor = EXECUTORS[step.kind] as Executor<Step>
  try {
    return await executor(ctx, step)
  } catch (error) {
    if (error instanceof OperatorActionNeeded) return {operator: error.instructions}
    throw error
  }
}
