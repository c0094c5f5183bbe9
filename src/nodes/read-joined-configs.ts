// Before a live plan: the config files on the hosts of target members that have already joined the
// cluster (added by an earlier apply, not source members: a source member's config is the
// operator's, and etcdplan never rewrites a file it did not write). The planner compares them with
// what the target's configs must be, so that a migration re-planned after it stopped half-way still
// rewrites those configs and restarts those members (an initial-cluster naming removed members is
// what a rewrite fixes). Read through the node provider: the files are on the members' hosts.
import type {LiveCluster} from '../cluster/live-cluster.js'
import type {ObservedConfig} from '../cluster/observation.js'
import type {Spec} from '../spec/types.js'
import type {NodeProvider} from './node-provider.js'
import {NotObservableError} from './not-observable.js'

export async function readJoinedConfigs(spec: Spec, cluster: LiveCluster, provider: NodeProvider): Promise<ObservedConfig[]> {
  if (spec.strategy !== 'join') return []
  const joined = spec.target.members.filter(
    (t) => !spec.source.members.some((s) => s.name === t.name && s.peerURL === t.peerURL) && cluster.members.some((m) => m.started && m.peerURLs.includes(t.peerURL)),
  )
  return Promise.all(joined.map(async (member) => ({member: member.name, path: member.configFile, content: await readOrUnknown(provider, member)})))
}

/** A config the provider cannot read (exec without readConfig, manual) is planned as one to rewrite, as a missing one is: the safe side. */
async function readOrUnknown(provider: NodeProvider, member: Spec['target']['members'][number]): Promise<string | null> {
  try {
    return await provider.readConfig(member, member.configFile)
  } catch (error) {
    if (error instanceof NotObservableError) return null
    throw error
  }
}
