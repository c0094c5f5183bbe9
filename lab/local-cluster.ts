// Starts a spec's SOURCE members as a fresh etcd cluster on this machine — the "cluster as it runs
// today" that a lab migration starts from — and stops every member of the spec afterwards. It goes
// through the project's own LocalNodeProvider and renderEtcdConfig, so the lab exercises the same
// pid files, logs and config rendering the applier uses. Callers must call stopAllMembers in a
// finally/after: it is safe when some (or all) members never started, and leaves no etcd behind.
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {EtcdEndpoints} from '../src/cluster/etcd-endpoints.js'
import {messageOf} from '../src/cluster/etcd-failure.js'
import type {LiveCluster} from '../src/cluster/live-cluster.js'
import {observeCluster} from '../src/cluster/observe-cluster.js'
import {LocalNodeProvider} from '../src/nodes/local-provider.js'
import type {NodeProvider} from '../src/nodes/node-provider.js'
import {renderEtcdConfig} from '../src/plan/etcd-config.js'
import type {MemberSpec, Spec} from '../src/spec/types.js'

const POLL_MS = 100
const START_DEADLINE_MS = 20_000
const STOP_TIMEOUT_MS = 10_000

/** The provider the lab (and the spec's `nodes.local`) uses for this spec's members. */
export function localProvider(spec: Spec): LocalNodeProvider {
  if (spec.nodes.provider !== 'local') throw new Error(`the lab runs members locally; the spec says nodes.provider: ${spec.nodes.provider}`)
  return new LocalNodeProvider(spec.nodes.local)
}

/** `name=peerURL,...` of the members, as initial-cluster wants it. */
export function initialClusterOf(members: readonly MemberSpec[]): string {
  return members.map((m) => `${m.name}=${m.peerURL}`).join(',')
}

/** Every client URL of the spec, source first, each once. */
export function clusterEndpoints(spec: Spec): string[] {
  return [...new Set([...spec.source.members, ...spec.target.members].map((m) => m.clientURL))]
}

/**
 * Writes each source member's config (initial-cluster-state new, initial-cluster = all source
 * members, the spec's token), starts them all, and resolves once every source member answers Status
 * naming the same leader and the member list shows each of them started. Resolves with that last
 * observation. On failure the members it started are stopped again and the error carries their logs.
 */
export async function startSourceCluster(spec: Spec, provider: NodeProvider = localProvider(spec)): Promise<LiveCluster> {
  const members = spec.source.members
  for (const m of members) {
    // initial-cluster* are ignored once a data dir has member/wal (etcd-facts.md): that is not fresh.
    const data = provider instanceof LocalNodeProvider ? {exists: existsSync(join(m.dataDir, 'member'))} : {exists: (await provider.inspectDataDir(m)).entries.includes('member')}
    if (data.exists) throw new Error(`${m.name}: data dir ${m.dataDir} already holds a member; startSourceCluster starts fresh clusters only`)
  }
  const initialCluster = initialClusterOf(members)
  try {
    for (const member of members) {
      const config = renderEtcdConfig({member, spec, initialCluster, initialClusterState: 'new'})
      await provider.writeConfig(member, config.path, config.content)
    }
    await Promise.all(members.map((m) => provider.start(m, m.configFile)))
    return await awaitAgreedLeader(spec, provider)
  } catch (error) {
    await stopMembers(provider, members)
    throw error
  }
}

/** Stops every source and target member through the provider (by pid file); members that never started are skipped. */
export async function stopAllMembers(spec: Spec, timeoutMs = STOP_TIMEOUT_MS, provider: NodeProvider = localProvider(spec)): Promise<void> {
  const byName = new Map<string, MemberSpec>()
  for (const m of [...spec.source.members, ...spec.target.members]) byName.set(m.name, m)
  await stopMembers(provider, [...byName.values()], timeoutMs)
}

/**
 * One member after the other, never in parallel: a leader stopped with SIGTERM first hands leadership
 * to a follower, and when that follower is stopping at the same moment the leader waits ~7 s for the
 * transfer to time out (measured on 3.4.23). One at a time, each stop takes ~50 ms.
 */
async function stopMembers(provider: NodeProvider, members: readonly MemberSpec[], timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  const failed: string[] = []
  for (const member of members) {
    try {
      await provider.stop(member, timeoutMs)
    } catch (error) {
      failed.push(`${member.name}: ${messageOf(error)}`)
    }
  }
  if (failed.length > 0) throw new Error(`could not stop ${failed.join('; ')}`)
}

async function awaitAgreedLeader(spec: Spec, provider: NodeProvider): Promise<LiveCluster> {
  const members = spec.source.members
  const urls = members.map((m) => m.clientURL)
  // A TLS cluster is asked with etcdplan's own client identity, as plan and apply ask it.
  const endpoints = new EtcdEndpoints({callTimeoutMs: 1000, ...(spec.cluster.tls === undefined ? {} : {tls: spec.cluster.tls})})
  const deadline = Date.now() + START_DEADLINE_MS
  let last = 'no observation yet'
  try {
    while (true) {
      try {
        const cluster = await observeCluster(endpoints, urls, {statusTimeoutMs: 1000})
        const problem = readinessProblem(cluster, members)
        if (problem === null) return cluster
        last = problem
      } catch (error) {
        last = messageOf(error)
      }
      if (Date.now() >= deadline) break
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
  } finally {
    endpoints.close()
  }
  const logs = await Promise.all(members.map(async (m) => `--- ${m.name} on ${m.host}:\n${await provider.logTail(m, 15)}`))
  throw new Error(`the source cluster did not agree on a leader within ${START_DEADLINE_MS / 1000} s: ${last}\n${logs.join('\n')}`)
}

/** Why the cluster is not ready yet, or null when every member answers with the same leader and has started. */
function readinessProblem(cluster: LiveCluster, members: readonly MemberSpec[]): string | null {
  const leaders = new Set<string | null>()
  for (const m of members) {
    const status = cluster.statuses.find((s) => s.endpoint === m.clientURL)
    if (status === undefined || status.error !== null) return `${m.name} does not answer Status (${status?.error ?? 'not asked'})`
    leaders.add(status.leaderId)
  }
  if (leaders.has(null)) return 'a member knows no leader yet'
  if (leaders.size > 1) return `members name different leaders (${[...leaders].join(', ')})`
  const unstarted = members.filter((m) => !cluster.members.some((o) => o.started && o.peerURLs.includes(m.peerURL)))
  if (unstarted.length > 0) return `not started yet: ${unstarted.map((m) => m.name).join(', ')}`
  return null
}
