// One step, by kind: every executor observes before it acts and verifies after, so running a step
// that already happened is harmless.
import {assertNever, type Step} from '../../plan/types.js'
import type {StepContext} from '../step-context.js'
import {runAddMember} from './add-member.js'
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
import {runSwitchDns, type DnsStepResult} from './switch-dns.js'
import {runVerify} from './verify.js'
import {runWaitCaughtUp} from './wait-caught-up.js'
import {runWriteConfig} from './write-config.js'

export type StepResult = DnsStepResult

export async function runStep(ctx: StepContext, step: Step): Promise<StepResult> {
  const done = async (outcome: Promise<string>): Promise<StepResult> => ({done: await outcome})
  switch (step.kind) {
    case 'preflight':
      return done(runPreflight(ctx))
    case 'write-config':
    case 'rewrite-config':
      return done(runWriteConfig(ctx, step))
    case 'add-learner':
    case 'add-member':
      return done(runAddMember(ctx, step))
    case 'start-member':
      return done(runStartMember(ctx, step))
    case 'wait-caught-up':
      return done(runWaitCaughtUp(ctx, step))
    case 'promote':
      return done(runPromote(ctx, step))
    case 'switch-dns':
      return runSwitchDns(ctx, step)
    case 'move-leader':
      return done(runMoveLeader(ctx, step))
    case 'remove-member':
      return done(runRemoveMember(ctx, step))
    case 'stop-member':
      return done(runStopMember(ctx, step))
    case 'restart-member':
      return done(runRestartMember(ctx, step))
    case 'verify':
      return done(runVerify(ctx, step))
    case 'snapshot-save':
      return done(runSnapshotSave(ctx, step))
    case 'snapshot-verify':
      return done(runSnapshotVerify(ctx, step))
    case 'restore-member':
      return done(runRestoreMember(ctx, step))
    case 'verify-data':
      return done(runVerifyData(ctx, step))
    default:
      return assertNever(step)
  }
}
