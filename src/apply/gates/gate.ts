// A gate: the run-time evaluation of one precondition a plan step carries (src/plan/types.ts,
// PreconditionCheck). The plan is the contract reviewers approved, so the applier evaluates exactly
// the checks each step names, through the registry (registry.ts), from a fresh observation of the
// cluster the step acts on, after the step has found it still has work to do and before it acts.
import type {HostProbe} from '../../nodes/node-provider.js'
import type {LiveCluster} from '../../cluster/live-cluster.js'
import type {Precondition, Step} from '../../plan/types.js'
import type {Attempt} from '../converge.js'
import type {StepContext} from '../step-context.js'
import type {VoterHealthGate} from '../cluster-gates.js'

/** What one observation says about a precondition. */
export type GateVerdict =
  | {readonly pass: true}
  /** Not yet: observe again after a pause (e.g. a member still catching up). */
  | {readonly wait: string}
  /**
   * The applier brings it about itself (leadership moved away, a missing config written again from
   * the plan): the attempt goes to the converge loop, which observes again and re-evaluates.
   */
  | {readonly remedy: Attempt}

export const PASS: GateVerdict = {pass: true}

/** What a gate may look at; `memory` lives as long as one run of the step. */
export interface GateInput {
  readonly ctx: StepContext
  readonly step: Step
  readonly precondition: Precondition
  /** The cluster the step acts on, observed now; null for a step that acts on a host only (write a config, restore). */
  readonly observed: LiveCluster | null
  readonly memory: GateMemory
}

/** The observation a cluster gate needs; a step that passes none has no business naming such a check. */
export function clusterOf(input: GateInput): LiveCluster {
  if (input.observed === null) throw new Error(`check ${input.precondition.check} of ${input.step.id} needs an observation of the cluster, and the step made none`)
  return input.observed
}

export interface GateMemory {
  /** The step has sent its request (its effect may be there): messages must not claim nothing changed. */
  sent: boolean
  /** Since when a voter has been sick, across the observations of this step. */
  health: VoterHealthGate | null
  /** What gates did on the way (a config written again), for the step's outcome. */
  readonly notes: string[]
  /** Each member's host probed once per run of the step, for all its host-readiness checks (probeHost is a round trip to the host). */
  readonly probes: Map<string, HostProbe>
}

export type Gate = (input: GateInput) => GateVerdict | Promise<GateVerdict>

/** A precondition that does not hold and that waiting will not fix: the step stops, naming the check. */
export class GateRefusal extends Error {
  constructor(
    readonly reason: string,
    readonly hint: string,
    readonly detail: string | null = null,
  ) {
    super(reason)
  }
}
