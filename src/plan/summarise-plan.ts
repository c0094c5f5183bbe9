// The plan's summary (`Plan: 3 to add, 3 to change, 3 to remove (3 config rewrites, 3 restarts).`),
// counted by member like terraform counts resources. A join that adds three members and then
// rewrites their configs and restarts them one by one changes running members: those restarts are
// what a reviewer must see (each one lowers the fault tolerance while the member is down), so they
// count as changes even for a member the same plan adds.
import type {PlannedMember, PlanSummary, Step} from './types.js'

export function summarisePlan(members: readonly PlannedMember[], steps: readonly Step[]): PlanSummary {
  const rewrites = steps.filter((s) => s.kind === 'rewrite-config')
  const restarts = steps.filter((s) => s.kind === 'restart-member')
  const changed = new Set([...members.filter((m) => m.action === 'change').map((m) => m.name), ...rewrites.map((s) => s.member), ...restarts.map((s) => s.member)])
  return {
    add: members.filter((m) => m.action === 'add').length,
    change: changed.size,
    remove: members.filter((m) => m.action === 'remove').length,
    configRewrites: rewrites.length,
    restarts: restarts.length,
  }
}
