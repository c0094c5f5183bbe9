// Drift between the spec's `source` and the live cluster: the plan is made from what runs, but the
// reviewer must see when the spec describes something else (a member the spec forgot, one already
// gone, a learner left over from an earlier attempt). Members are matched by peer URL.
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
  const specURLs = new Set([...spec.source.members, ...spec.target.members].map((m) => m.peerURL))
  for (const member of observation.members) {
    if (!member.peerURLs.some((url) => specURLs.has(url))) {
      warnings.push({code: 'unknown-member', message: `the live cluster has member ${member.name || '(unstarted)'} ${hexId(member.id)} (${member.peerURLs.join(', ')}) that the spec does not list; the plan removes it`})
    }
  }
  for (const member of observation.members) {
    const inSource = spec.source.members.some((m) => member.peerURLs.includes(m.peerURL))
    if (inSource && member.isLearner) warnings.push({code: 'source-member-learner', message: `source member ${member.name || hexId(member.id)} is a learner in the live cluster, not a voter`})
  }
  return warnings
}
