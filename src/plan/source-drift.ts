// Drift between the spec's `source` and the live cluster: the plan is made from what runs, but the
// reviewer must see when the spec describes something else (a member already gone, a source member
// that is only a learner). Members the spec does not list at all are warned about by the join
// planner, which removes them. Members are matched by peer URL.
import type {Observation} from '../cluster/observation.js'
import {hexId} from '../cluster/live-cluster.js'
import type {Spec} from '../spec/types.js'
import type {PlanWarning} from './types.js'

export function sourceDrift(spec: Spec, observation: Observation): PlanWarning[] {
  if (observation.mode !== 'live') return []
  const warnings: PlanWarning[] = []
  const observedURLs = new Set(observation.members.flatMap((m) => m.peerURLs))
  const targetURLs = new Set(spec.target.members.map((m) => m.peerURL))
  for (const member of spec.source.members) {
    if (!observedURLs.has(member.peerURL)) {
      const note = targetURLs.has(member.peerURL) ? '' : ' (already removed?)'
      warnings.push({code: 'source-member-missing', message: `source member ${member.name} (${member.peerURL}) is not in the live cluster${note}; the plan starts from the live membership`})
    }
  }
  for (const member of observation.members) {
    const inSource = spec.source.members.some((m) => member.peerURLs.includes(m.peerURL))
    if (inSource && member.isLearner) warnings.push({code: 'source-member-learner', message: `source member ${member.name || hexId(member.id)} is a learner in the live cluster, not a voter`})
  }
  return warnings
}
