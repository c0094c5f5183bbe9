// Which members are down: started members (they have published their name, so they have client URLs
// to ask) that answered Status at none of their client URLs. A member that answers but is unhealthy
// (no leader, errors) is not down: it is a member to wait for, not one to plan around. Unstarted
// members never answer and are the planner's orphans ('never-started'), not down.
import type {DownMember, Observation} from './observation.js'
import type {LiveCluster} from './live-cluster.js'

export function downMembersOf(observation: Observation): DownMember[] {
  if (!('statuses' in observation)) return [...(observation.down ?? [])]
  const cluster = observation as LiveCluster
  const down: DownMember[] = []
  for (const member of cluster.members) {
    if (!member.started || member.id === null) continue
    const asked = cluster.statuses.filter((s) => member.clientURLs.includes(s.endpoint))
    if (asked.some((s) => s.error === null && s.memberId === member.id)) continue
    const errors = [...new Set(asked.map((s) => (s.error === null ? `answered as member ${s.memberId === null ? '?' : BigInt(s.memberId).toString(16)}` : stableError(s.error))))]
    down.push({id: member.id, error: errors.length === 0 ? 'not asked: it lists no client URL' : errors.join('; ')})
  }
  return down.sort((a, b) => a.id.localeCompare(b.id))
}

/**
 * The error without what changes from one attempt to the next (gRPC's timestamps, elapsed times), so
 * that planning twice against the same cluster gives the same plan, byte for byte.
 */
function stableError(error: string): string {
  if (/deadline exceeded/i.test(error)) return 'no answer before the deadline (deadline exceeded)'
  return error.replace(/\s*\(\d{4}-\d\d-\d\dT[^)]*\)/g, '').trim()
}
