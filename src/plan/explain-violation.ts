// Turns a safety violation into what the user reads: why the spec cannot be planned safely, where in
// the spec to look, and what to change.
import type {SafetyViolation} from './check-plan-safety.js'
import type {Step} from './types.js'
import type {UnsafeReason} from './unsafe-plan-error.js'

export function explainViolation(violation: SafetyViolation, steps: readonly Step[]): UnsafeReason {
  const step = steps.find((s) => s.id === violation.stepId)
  if (violation.rule === 'fault-tolerance-floor' && step?.kind === 'add-member') {
    return {
      code: 'voting-add-lowers-fault-tolerance',
      message: `join.learner is false: ${step.member} would join as a voter that counts towards quorum before it can vote, so the cluster would tolerate ${step.after.tolerates} failed member(s) instead of ${step.before.tolerates} until it starts (${violation.message})`,
      hint: 'set join.learner: true (etcd 3.4 and later): a learner does not count towards quorum until it has caught up and is promoted',
      path: ['join', 'learner'],
    }
  }
  return {
    code: violation.rule,
    message: `${violation.stepId}: ${violation.message}`,
    hint: 'the cluster as observed cannot be migrated to this target without breaking an etcd membership rule; check the live membership (etcdctl member list) against the spec',
    path: ['target'],
  }
}
