// The registry of gates, one per PreconditionCheck (the mapped type makes the compiler demand a gate
// for every check a plan may name), and StepGates, which evaluates exactly the preconditions a step
// carries, in the plan's order, each from the same observation. A refusal names the check and its
// description as the plan shows them.
import type {LiveCluster} from '../../cluster/live-cluster.js'
import type {PreconditionCheck, Step} from '../../plan/types.js'
import {StepFailedError} from '../apply-errors.js'
import {converge, reasonOf, type Attempt} from '../converge.js'
import type {StepContext} from '../step-context.js'
import {memberCaughtUp, previousMemberCaughtUp} from './catch-up-gates.js'
import {GateRefusal, type Gate, type GateMemory} from './gate.js'
import {noAlarms, quorumAfterChange, votersHealthy} from './health-gates.js'
import {configWritten, dataDirEmpty, snapshotPresent} from './host-gates.js'
import {certificatesValid} from './certificate-gates.js'
import {configFilesReadable, etcdVersionCompatible, portsFree} from './host-readiness-gates.js'
import {notLeader} from './leadership-gate.js'
import {clusterMatchesPlan, memberAbsent, memberIsLearner, memberIsVoter, memberPresent, memberStarted, noLearner} from './membership-gates.js'

/** A step that waits only for its preconditions waits this much past timeouts.health, so the health gate's own message (naming the sick voter) is what the operator sees. */
export const GATE_MARGIN_MS = 10_000

export const GATES: {readonly [C in PreconditionCheck]: Gate} = {
  'cluster-matches-plan': clusterMatchesPlan,
  'voters-healthy': votersHealthy,
  'no-alarms': noAlarms,
  'no-learner': noLearner,
  'member-absent': memberAbsent,
  'member-present': memberPresent,
  'member-is-learner': memberIsLearner,
  'member-is-voter': memberIsVoter,
  'member-started': memberStarted,
  'member-caught-up': memberCaughtUp,
  'previous-member-caught-up': previousMemberCaughtUp,
  'quorum-after-change': quorumAfterChange,
  'not-leader': notLeader,
  'config-written': configWritten,
  'snapshot-present': snapshotPresent,
  'data-dir-empty': dataDirEmpty,
  'etcd-version-compatible': etcdVersionCompatible,
  'ports-free': portsFree,
  'config-files-readable': configFilesReadable,
  'certificates-valid': certificatesValid,
}

/** The gates of one run of one step: executors call check() once they know they have work to do, right before acting. */
export class StepGates {
  private readonly memory: GateMemory = {sent: false, health: null, notes: [], probes: new Map()}

  constructor(
    private readonly ctx: StepContext,
    private readonly step: Step = ctx.step,
  ) {}

  /** The step has sent its request: later refusals must not say nothing changed. */
  markSent(): void {
    this.memory.sent = true
  }

  get sent(): boolean {
    return this.memory.sent
  }

  /** What the gates did on the way (e.g. a config written again), to prefix the step's outcome. */
  notes(): string {
    return this.memory.notes.join('')
  }

  /** For a step that does not wait (it acts once, or only on a host): a precondition that would need waiting stops it too. */
  async require(cluster: LiveCluster | null): Promise<void> {
    const blocked = await this.check(cluster)
    if (blocked === null) return
    throw new StepFailedError(this.step.id, `a precondition does not hold yet: ${reasonOf(blocked)}`, 'run the same apply again once it holds: it resumes at this step')
  }

  /** For a step whose only waiting is for its preconditions: observe until every one holds (or one refuses, or the time is up). */
  async awaitAll(observe: () => Promise<LiveCluster>, timeoutMs: number): Promise<void> {
    await converge(this.ctx, timeoutMs, async (cluster) => (await this.check(cluster)) ?? {done: ''}, observe)
  }

  /**
   * null when every precondition holds now; otherwise the first one's wait (or the attempt that brings
   * it about, e.g. moving leadership away). Throws StepFailedError, naming the check, for one that
   * does not hold and waiting cannot fix.
   */
  async check(cluster: LiveCluster | null): Promise<Attempt | null> {
    for (const precondition of this.step.preconditions) {
      const gate = GATES[precondition.check]
      try {
        const verdict = await gate({ctx: this.ctx, step: this.step, precondition, observed: cluster, memory: this.memory})
        if ('wait' in verdict) return {wait: verdict.wait}
        if ('remedy' in verdict) return verdict.remedy
      } catch (error) {
        const named = `precondition ${precondition.check} ("${precondition.description}") does not hold: `
        if (error instanceof GateRefusal) throw new StepFailedError(this.step.id, `${named}${error.reason}`, error.hint, error.detail)
        if (error instanceof StepFailedError && !error.reason.startsWith('precondition ')) throw new StepFailedError(error.stepId, `${named}${error.reason}`, error.hint ?? '', error.detail)
        throw error
      }
    }
    return null
  }
}
