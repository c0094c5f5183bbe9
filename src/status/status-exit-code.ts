// The exit code of `etcdplan status`, from the cluster that should serve at this point (a join
// migration's only cluster; a snapshot migration's serving section, which the report's top-level
// fields are): 0 it answers, has no alarm, and every member it lists is healthy (or a learner in good
// order); 1 no endpoint of it answers; 2 it answers but a member it lists is unhealthy or unreachable,
// or an alarm is set. Spec members the cluster does not list (removed, not added yet) are not
// faults: only the live membership says who should be in the cluster now.
import type {StatusReport} from './status-report.js'

export function statusExitCode(report: StatusReport): 0 | 1 | 2 {
  if (!report.reachable) return 1
  if (report.alarms.length > 0) return 2
  const listedWell = report.members.every((m) => m.membership !== 'member' || m.health === 'healthy' || m.health === 'learner')
  return listedWell ? 0 : 2
}
