// Estimates for a whole plan: each step's duration and client impact, and the total. The applier
// walks the steps in order and runs some side by side (parallel-steps.ts: a snapshot migration's
// restores, starts and stops, any config writes), so the total is the sum over its runs of each
// run's longest step, the old members' stops in their two waves. etcd's 5-s health
// window is charged to an add that comes less than 5 s after a member started or was promoted: etcd 3.4 and 3.5 before
// 3.5.30 refuse `member add` (`unhealthy cluster`) until the receiving member has been connected to
// every voter for 5 s, and a member that just started has not (etcd-facts.md, "Membership gates").
// Removals are not charged: they need only a quorum of long-connected members, which the cluster has.
import {leaderLast, parallelRun} from '../apply/parallel-steps.js'
import type {Step} from '../plan/types.js'
import {clientImpactOf} from './client-impact.js'
import {HEALTH_WINDOW_MS} from './estimate-defaults.js'
import type {EstimateInputs} from './estimate-inputs.js'
import type {PlanEstimate, StepEstimate} from './estimate-types.js'
import {aboutDuration} from './format-estimate.js'
import {humanizeBytes} from '../render/render-status.js'
import {stepDuration} from './step-duration.js'

// A promote starts the window again as well: measured on 3.4.23, the next add is refused for 5.1 s
// after the promote (etcd-facts.md, "Versions"), the receiver's connection to the new voter counting from then.
const STARTS: ReadonlySet<Step['kind']> = new Set(['start-member', 'restart-member', 'promote'])
const ADDS: ReadonlySet<Step['kind']> = new Set(['add-learner', 'add-member'])

export interface EstimatedSteps {
  readonly steps: readonly StepEstimate[]
  readonly total: PlanEstimate
}

export function estimatePlan(steps: readonly Step[], inputs: EstimateInputs): EstimatedSteps {
  // Time since the last member start, when one ran in this plan (null: none yet — an old cluster's streams are long up).
  let sinceStart: number | null = null
  const estimates = steps.map((step): StepEstimate => {
    const own = stepDuration(step, inputs)
    const impact = clientImpactOf(step, inputs)
    let window = 0
    if (ADDS.has(step.kind) && inputs.healthWindow.applies && sinceStart !== null && sinceStart < HEALTH_WINDOW_MS) window = HEALTH_WINDOW_MS - sinceStart
    const durationMs = own.durationMs === null ? null : own.durationMs + window
    if (STARTS.has(step.kind)) sinceStart = 0
    else if (sinceStart !== null) sinceStart += durationMs ?? HEALTH_WINDOW_MS // the operator's time: long enough for any window
    const basis = window === 0 ? own.basis : `${own.basis}, after etcd's 5-s health window (${aboutDuration(window)} left of it)`
    return {durationMs, basis, impact, ...(window === 0 ? {} : {healthWindowMs: window})}
  })
  return {
    steps: estimates,
    total: {
      durationMs: asApplied(steps, estimates, inputs),
      healthWindowMs: estimates.reduce((sum, e) => sum + (e.healthWindowMs ?? 0), 0),
      unknownSteps: steps.filter((_, i) => estimates[i]!.durationMs === null).map((s) => s.id),
      assumptions: assumptionsOf(inputs),
    },
  }
}

/** The plan's known durations as the applier runs them: each run (parallel-steps.ts) counts its longest step, each wave of a run in turn. */
function asApplied(steps: readonly Step[], estimates: readonly StepEstimate[], inputs: EstimateInputs): number {
  const duration = new Map(steps.map((step, i) => [step.id, estimates[i]!.durationMs ?? 0]))
  const done = new Set<string>()
  let total = 0
  for (let i = 0; i < steps.length; ) {
    const {run, end} = parallelRun(steps, i, done, inputs.manualHosts ? 'manual' : 'local', inputs.strategy)
    // Which old member leads when the stops come is not known when planning; every stop is estimated alike, so any one stands for the leader's wave.
    const lastStopped = [...run].reverse().find((step) => step.kind === 'stop-member')
    for (const wave of leaderLast(run, lastStopped !== undefined && 'member' in lastStopped ? lastStopped.member : null)) total += Math.max(...wave.map((step) => duration.get(step.id)!))
    for (const step of run) done.add(step.id)
    i = end
  }
  return total
}

function assumptionsOf(inputs: EstimateInputs): string[] {
  const rate = `transfer rate ${humanizeBytes(inputs.transferRate)}/s (${inputs.transferRateSource === 'spec' ? 'estimates.transferRate' : 'measured default; set estimates.transferRate'})`
  const db = inputs.dbSize === null ? 'DB size not observed (offline plan): catch-up counted as empty' : `DB size ${humanizeBytes(inputs.dbSize)} (the leader's, when planned)`
  return [db, rate, inputs.healthWindow.why]
}
