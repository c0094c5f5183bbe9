// The exit code of `etcdplan status`: 0 when the cluster answers, has no alarm and every member
// (of the spec or of the member list) is healthy or a learner in good order; 1 when no endpoint
// answers; 2 when the cluster answers but some member is unhealthy or unreachable, or an alarm is set.
import type {StatusReport} from './status-report.js'

export function statusExitCode(report: StatusReport): 0 | 1 | 2 {
  if (!report.reachable) return 1
  const allWell = report.alarms.length === 0 && report.members.every((m) => m.health === 'healthy' || m.health === 'learner')
  return allWell ? 0 : 2
}
