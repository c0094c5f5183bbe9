// What a live plan is made from: the cluster as its members report it, plus the configs on the hosts
// of target members that joined before (read-joined-configs.ts), and the etcd versions (observe-versions.ts). `plan` and `apply SPEC` both plan
// from this, so they make the same plan.
import {leaderStatus, type LiveCluster} from '../cluster/live-cluster.js'
import {observeSpecCluster} from '../cluster/observe-spec-cluster.js'
import {providerFor} from '../nodes/provider-for.js'
import {readJoinedConfigs} from '../nodes/read-joined-configs.js'
import type {Spec} from '../spec/types.js'
import {observeVersions, startBinaryProbes} from './observe-versions.js'

export async function observeForPlanning(spec: Spec): Promise<LiveCluster> {
  const provider = providerFor(spec)
  try {
    // The new hosts' etcd binaries are probed while the cluster is observed (they only read).
    const probes = spec.strategy === 'snapshot' ? new Map() : startBinaryProbes(spec, provider)
    const cluster = await observeSpecCluster(spec)
    // The joined members' configs and the versions only read (files on hosts, /version, `etcd
    // --version`), each from the observed cluster alone: asked together, not one after the other.
    // Snapshot restores into a new cluster: no cluster version to join, so its versions are not planned from.
    const [configs, versions] = await Promise.all([readJoinedConfigs(spec, cluster, provider), spec.strategy === 'snapshot' ? null : observeVersions(spec, cluster, provider, probes)])
    // What a new member must receive to catch up, for the plan's estimates.
    const dbSize = leaderStatus(cluster)?.dbSize ?? null
    const leaderDbSize = dbSize === null ? {} : {leaderDbSize: dbSize}
    return {...cluster, configs, ...leaderDbSize, ...(versions === null ? {} : {versions})}
  } finally {
    await provider.close?.()
  }
}
