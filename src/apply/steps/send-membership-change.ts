// Sends a membership change (add, remove) to the first voter that accepts it. etcd checks its 5-s rule
// on the member that RECEIVES the request, with that member's own view of how long each peer stream has
// been up (etcd-facts.md, "Membership gates"), and answers a refusal at once, before anything is
// proposed: so an `unhealthy cluster` from one receiver is tried on the next in the same attempt, and
// the change goes out the moment any receiver's window has ended. Any other answer (sent, refused for
// good, no reply) ends the attempt: a request without a reply may have been applied and is never sent
// again before an observation says it was not (converge.ts). When every receiver refuses, the wait
// carries the earliest moment the window can end (health-window.ts), so the step sleeps until then
// and re-checks tightly from there.
import type {LiveCluster} from '../../cluster/live-cluster.js'
import {act, isHealthWindowWait, type Attempt} from '../converge.js'
import {healthWindow, type HealthWindowClock} from '../health-window.js'
import type {StepContext} from '../step-context.js'
import type {ReceiverRotation} from './leader-endpoint.js'

/** The outcome of the first receiver that did not refuse as `unhealthy cluster`; that refusal, with the window's predicted end, when all did; null when there is no leader or healthy voter to send to. */
export async function sendMembershipChange(ctx: StepContext, cluster: LiveCluster, receivers: ReceiverRotation, excludeId: string | null, description: string, call: (endpoint: string) => Promise<unknown>, clock: HealthWindowClock = healthWindow): Promise<Attempt | null> {
  const endpoints = receivers.inTurn(cluster, excludeId)
  let refused: (Attempt & {readonly wait: string}) | null = null
  for (const endpoint of endpoints) {
    const result = await act(ctx, description, () => call(endpoint))
    if (!isHealthWindowWait(result)) {
      if ('wait' in result) receivers.rotate()
      return result
    }
    refused = result
    receivers.rotate()
  }
  if (refused === null) return null
  const end = clock.earliestEnd(cluster)
  return end === null ? refused : {...refused, notBefore: end}
}
