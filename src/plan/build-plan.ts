// The planner: spec + observed cluster → plan. Pure and deterministic (no clock, no I/O): the same
// inputs give the same plan, byte for byte, which is what makes a plan file reviewable.
import {hashOf} from '../canonical-json.js'
import type {Observation} from '../cluster/observation.js'
import type {Spec} from '../spec/types.js'
import {checkPlanSafety} from './check-plan-safety.js'
import {canonicalObservation, summariseObservation} from './fingerprint.js'
import {matchMembers, type MembershipDiff} from './match-members.js'
import {planJoin} from './plan-join.js'
import {planSnapshot} from './plan-snapshot.js'
import {PLAN_FORMAT_VERSION, type Plan, type PlannedMember, type RollbackOf, type Step} from './types.js'
import {pointOfNoReturn} from './point-of-no-return.js'
import {rollbackWarnings} from '../rollback/rollback-warnings.js'
import {summarisePlan} from './summarise-plan.js'
import {explainViolation} from './explain-violation.js'
import {UnsafePlanError} from './unsafe-plan-error.js'
import {sourceDrift} from './source-drift.js'
import {planVersionSkew} from './plan-version-skew.js'
import {estimateInputsOf} from '../estimate/estimate-inputs.js'
import {estimatePlan} from '../estimate/estimate-plan.js'

/** `specFile` is where the spec was read from, recorded so that `apply PLAN` can check the spec has not changed since. */
/** `rollbackOf`: set for a rollback plan (src/rollback/), whose `spec` is the derived one. */
export function buildPlan(spec: Spec, specHash: string, observed: Observation, specFile = 'etcdplan.yaml', rollbackOf?: RollbackOf): Plan {
  // Planned from the canonical form the plan records, so the plan is a function of its own record.
  const observation = canonicalObservation(observed)
  const diff = matchMembers(spec, observation)
  const skew = planVersionSkew(spec, observation, diff)
  if (skew.refusals.length > 0) throw new UnsafePlanError(skew.refusals)
  const planned = spec.strategy === 'snapshot' ? planSnapshot(spec, observation) : planJoin(spec, observation, diff)
  const unestimated = withFinalClusterVersion(planned.steps, skew.finalClusterVersion)
  const estimated = estimatePlan(unestimated, estimateInputsOf(spec, observation))
  const steps = unestimated.map((s, i) => ({...s, estimate: estimated.steps[i]!}))
  const warnings = [...planned.warnings, ...skew.warnings, ...rollbackWarnings(spec, rollbackOf, steps)]
  const members = plannedMembers(spec, diff, steps)
  const body: Omit<Plan, 'contentHash'> = {
    formatVersion: PLAN_FORMAT_VERSION,
    name: spec.name,
    strategy: spec.strategy,
    specHash,
    specFile,
    observation: summariseObservation(observation),
    options: {...spec.join},
    members,
    sourceVoters: sourceVoterNames(spec, diff),
    targetVoters: spec.target.members.map((m) => m.name),
    warnings: [...sourceDrift(spec, observation), ...warnings],
    steps,
    summary: summarisePlan(members, steps),
    pointOfNoReturn: pointOfNoReturn(spec.strategy, steps, sourceMembersToKeep(spec, rollbackOf)),
    ...(rollbackOf === undefined ? {} : {rollbackOf}),
    estimate: estimated.total,
  }
  const violations = checkPlanSafety(body)
  if (violations.length > 0) throw new UnsafePlanError(violations.map((v) => explainViolation(v, body.steps)))
  return {...body, contentHash: hashOf(body)}
}

/** The source members whose loss makes the plan irreversible; a rollback's removals are the migration's own additions. */
function sourceMembersToKeep(spec: Spec, rollbackOf: RollbackOf | undefined): ReadonlySet<string> {
  const added = new Set(rollbackOf?.added ?? [])
  return new Set(spec.source.members.map((m) => m.name).filter((name) => !added.has(name)))
}

function sourceVoterNames(spec: Spec, diff: MembershipDiff): string[] {
  if (spec.strategy === 'snapshot') return spec.source.members.map((m) => m.name)
  const staying = diff.targets.filter((t) => t.observed !== null && !t.observed.isLearner).map((t) => t.spec.name)
  const leaving = diff.leaving.filter((m) => !m.observed.isLearner).map((m) => m.name)
  return [...staying, ...leaving]
}

/** `+` added, `-` removed, `~` kept but touched by a step (resumed join, rewritten config). */
function plannedMembers(spec: Spec, diff: MembershipDiff, steps: readonly Step[]): PlannedMember[] {
  const touched = new Set(steps.map((s) => ('member' in s ? s.member : '')).filter((n) => n !== ''))
  const snapshot = spec.strategy === 'snapshot'
  const targets = diff.targets.map((t): PlannedMember => {
    const action = t.observed === null || snapshot ? 'add' : touched.has(t.spec.name) ? 'change' : 'keep'
    return {name: t.spec.name, action, peerURL: t.spec.peerURL, clientURL: t.spec.clientURL, id: t.observed?.id ?? null}
  })
  const leaving = snapshot
    ? spec.source.members.map((m): PlannedMember => ({name: m.name, action: 'remove', peerURL: m.peerURL, clientURL: m.clientURL, id: null}))
    : diff.leaving.map((m): PlannedMember => ({name: m.name, action: 'remove', peerURL: m.peerURL, clientURL: m.clientURL, id: m.observed.id}))
  return [...leaving, ...targets]
}

/** verify also waits for the cluster version the target members run at (etcd raises it asynchronously). */
function withFinalClusterVersion(steps: readonly Step[], clusterVersion: string | null): readonly Step[] {
  if (clusterVersion === null) return steps
  return steps.map((s) => (s.kind === 'verify' ? {...s, clusterVersion, description: `${s.description} The cluster version reaches ${clusterVersion}.`} : s))
}
