// What clients notice during each step. A leader change makes the client library retry in-flight
// requests; a member whose etcd stops drops the gRPC connections (and watches) of the clients on it,
// which reconnect to another endpoint and resume their watches from the last revision they saw; after
// a DNS switch, clients that resolved the name before keep the old addresses until the TTL runs out.
import {assertNever, type Step} from '../plan/types.js'
import type {ClientImpact} from './estimate-types.js'
import type {EstimateInputs} from './estimate-inputs.js'

export function clientImpactOf(step: Step, inputs: EstimateInputs): ClientImpact[] {
  switch (step.kind) {
    case 'move-leader':
      return [{kind: 'leader-change', member: step.member, description: `leadership moves away from ${step.member} if it leads: requests in flight are retried`}]
    case 'remove-member':
      return [{kind: 'connection-drop', member: step.member, description: `clients connected to ${step.member} lose their connections and watches and reconnect elsewhere`}]
    case 'stop-member':
    case 'restart-member':
      return [{kind: 'connection-drop', member: step.member, description: `clients connected to ${step.member} lose their connections and watches ${step.kind === 'restart-member' ? 'during its restart' : 'and reconnect elsewhere'}`}]
    case 'switch-dns': {
      const ttl = inputs.dns?.ttlSeconds ?? null
      const until = ttl === null ? 'until their resolver\'s cached answer expires (the TTL of your DNS records; etcdplan does not know it)' : `for up to ${ttl} s (the records' TTL)`
      return [{kind: 'old-name-window', durationMs: ttl === null ? null : ttl * 1000, description: `clients resolving ${step.name} may still reach an old member ${until}`}]
    }
    case 'preflight':
    case 'copy-certificates':
    case 'write-config':
    case 'add-learner':
    case 'add-member':
    case 'start-member':
    case 'wait-caught-up':
    case 'promote':
    case 'rewrite-config':
    case 'verify':
    case 'snapshot-save':
    case 'snapshot-verify':
    case 'restore-member':
    case 'verify-data':
    case 'fence-member':
      return []
    default:
      return assertNever(step)
  }
}
