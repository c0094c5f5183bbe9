// Members the plan was made knowing they were down, and that it removes: the gates do not wait for
// them (they would wait for ever), while any other member going down still stops the apply. A known-
// dead member that answers again by apply time is healthy and gets no special treatment.
import type {Plan} from '../plan/types.js'

/** Member IDs (decimal) recorded down in the plan's observation and removed by the plan. */
export function knownDownRemoved(plan: Pick<Plan, 'observation' | 'members'>): string[] {
  const removed = new Set(plan.members.filter((m) => m.action === 'remove').map((m) => m.peerURL))
  return plan.observation.down
    .map((d) => d.id)
    .filter((id) => plan.observation.members.some((m) => m.id === id && m.peerURLs.some((url) => removed.has(url))))
}
