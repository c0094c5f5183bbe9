// Gates on a new member's host, evaluated in the preflight, before the first change: etcd checks the
// binary's version against the cluster's, binds its ports, opens the files its config names and reads
// its data dir only when the member starts, which is after `member add` — a member that then cannot
// start is left added and unstarted (holding etcd's single learner slot, or counting towards quorum
// without voting). Everything is read through the node provider (probeHost, inspectDataDir): the host
// is the member's, never this machine by assumption. Each refusal names the member and the file or
// port, what to fix, and that nothing was changed. A port in use is a refusal, not a wait: etcdplan
// cannot know that whatever holds it will let go.
//
// A member the cluster already lists is past these checks (the cluster is one step ahead of the plan,
// and its own etcd may hold its ports and data): cluster-matches-plan speaks about that.
import {statusOf, type LiveCluster} from '../../cluster/live-cluster.js'
import {clusterVersionOf, joinRefusal} from '../../cluster/etcd-version-skew.js'
import {RESTORED_MARK, type HostProbe} from '../../nodes/node-provider.js'
import {NotObservableError} from '../../nodes/not-observable.js'
import {parseServerVersion} from '../../nodes/parse-etcd-version.js'
import {filesNamedByConfig} from '../../plan/config-named-files.js'
import {listenURLsOfConfig} from '../../plan/config-listen-urls.js'
import {filesOnHostAtPreflight} from '../../plan/host-readiness-preconditions.js'
import {requireMemberSpec} from '../step-context.js'
import {clusterOf, GateRefusal, PASS, type Gate, type GateInput, type GateVerdict} from './gate.js'
import {notObserved} from './not-observed.js'
import {observedSubject, subjectName} from './subject.js'

const NOTHING_CHANGED = 'Nothing was changed: the preflight runs before the first change to the cluster or any host.'

export const etcdVersionCompatible: Gate = async (input) => {
  const subject = await probed(input)
  if (subject === null) return PASS
  if (subject.probe instanceof NotObservableError) {
    return notObserved(input, subject.probe, `${subject.name}'s etcd binary and its version`, `If it cannot run, or its version cannot join this cluster, etcd fails at start, after ${subject.name} was added: check \`etcd --version\` on ${subject.name}'s host now.`)
  }
  const {name, probe} = subject
  const {binary} = probe
  if (binary.error !== null) {
    throw refusal(`${name}'s etcd binary ${binary.path} cannot be run: ${binary.error}.`, `install etcd on ${name}'s host, or point nodes.local.etcd at the binary (the one the node provider runs for ${name}), then apply again`)
  }
  const version = parseServerVersion(binary.version)
  if (version === null) throw refusal(`${name}'s etcd binary ${binary.path} reports version ${binary.version}, which etcdplan cannot read.`, `point nodes.local.etcd at an etcd 3.x binary, then apply again`)
  if (input.ctx.plan.strategy === 'snapshot') {
    // A new cluster: there is no cluster version to join yet, only a binary that must be etcd 3.
    if (version.major === 3) return PASS
    throw refusal(`${name}'s etcd binary ${binary.path} is ${binary.version}: etcdplan knows the rules of etcd 3.x only.`, `point nodes.local.etcd at an etcd 3.x binary, then apply again`)
  }
  const cluster = clusterVersionOf(runningVersions(clusterOf(input)))
  if (cluster === null) return {wait: 'waiting for a member to report its etcd version'}
  const why = joinRefusal(version, cluster)
  if (why === null) return PASS
  const cv = `${cluster.major}.${cluster.minor}`
  throw refusal(
    `${name}'s etcd binary ${binary.path} is ${binary.version}, but the cluster runs ${cv} (cluster version ${cv}, the lowest version its members report): ${why}.`,
    `install etcd ${cv} (or ${cluster.major}.${cluster.minor + 1}) on ${name}'s host, or point nodes.local.etcd at one, then apply again`,
  )
}

export const portsFree: Gate = async (input) => {
  const subject = await probed(input)
  if (subject === null) return PASS
  if (subject.probe instanceof NotObservableError) {
    return notObserved(input, subject.probe, `the ports ${subject.name} listens on`, `A port in use makes etcd exit at start, after ${subject.name} was added: check \`ss -ltnp\` on ${subject.name}'s host now.`)
  }
  const taken = subject.probe.listen.filter((l) => l.state !== 'free')
  if (taken.length === 0) return PASS
  const list = taken.map((l) => `${l.address} (${l.url}): ${l.error ?? l.state}`).join('; ')
  throw refusal(
    `${taken.length === 1 ? 'a port' : 'ports'} ${subject.name} must listen on cannot be bound on its host: ${list}. etcd would exit at start, after ${subject.name} was added.`,
    `stop whatever listens on ${taken.map((l) => l.address).join(', ')} on ${subject.name}'s host (\`ss -ltnp\` shows it), or give ${subject.name} other URLs in the spec and plan again; then apply again`,
  )
}

export const configFilesReadable: Gate = async (input) => {
  const subject = await probed(input)
  if (subject === null) return PASS
  if (subject.probe instanceof NotObservableError) {
    const files = filesOnHostAtPreflight(input.ctx.spec, requireMemberSpec(input.ctx, subject.name), filesNamedByConfig(plannedConfig(input, subject.name)))
    if (files.length === 0) return PASS // the config names no file: nothing to check
    return notObserved(input, subject.probe, `the files ${subject.name}'s config names (${files.join(', ')})`, `A file etcd cannot read makes it exit at start, after ${subject.name} was added: check them on ${subject.name}'s host now.`)
  }
  const unreadable = subject.probe.files.filter((f) => f.error !== null)
  if (unreadable.length === 0) return PASS
  throw refusal(
    `${subject.name}'s config names ${unreadable.length === 1 ? 'a file' : 'files'} its host cannot read: ${unreadable.map((f) => `${f.path} (${f.error})`).join(', ')}. etcd would exit at start, after ${subject.name} was added.`,
    `put ${unreadable.length === 1 ? 'the file' : 'the files'} on ${subject.name}'s host, readable by the user etcd runs as, or correct the path in the spec (cluster.peerTLS, the member's config) and plan again; then apply again`,
  )
}

/** data-dir-empty in the preflight: a member not added yet must find its data dir absent or empty (snapshot: or restored by etcdplan). */
export async function dataDirAbsentOrEmpty(input: GateInput): Promise<GateVerdict> {
  const name = subjectName(input)
  if (name === null || observedSubject(input) !== null) return PASS
  let dir
  try {
    dir = await input.ctx.provider.inspectDataDir(requireMemberSpec(input.ctx, name))
  } catch (error) {
    if (!(error instanceof NotObservableError)) throw error
    return notObserved(input, error, `${name}'s data dir`, `The cluster lists ${name} as not added yet; if its data dir holds data, etcd starts with it under another identity: check that it is absent or empty on ${name}'s host.`)
  }
  if (!dir.exists || (dir.isDirectory && dir.entries.length === 0)) return PASS
  if (input.ctx.plan.strategy === 'snapshot' && dir.isDirectory && dir.entries.includes(RESTORED_MARK)) return PASS // restore-member finds it done
  const found = !dir.isDirectory ? 'is not a directory' : `is not empty (it holds ${dir.entries.slice(0, 5).join(', ')}${dir.entries.length > 5 ? `, and ${dir.entries.length - 5} more` : ''})`
  throw refusal(
    `${name}'s data dir ${dir.path} ${found}. etcd would start with that data, under another identity, instead of joining as ${name}.`,
    `move ${dir.path} away on ${name}'s host (never delete a data dir you have not checked), then apply again`,
  )
}

function refusal(reason: string, hint: string): GateRefusal {
  return preflightRefusal(reason, hint)
}

/** A preflight check that does not hold: says that nothing was changed. */
export function preflightRefusal(reason: string, hint: string): GateRefusal {
  return new GateRefusal(`${reason} ${NOTHING_CHANGED}`, hint)
}

/**
 * The probe of the subject member's host, for everything its planned config needs (binary, listen
 * URLs, named files), made once per run of the step; null when the member is already in the cluster
 * (past preflight).
 */
async function probed(input: GateInput): Promise<{name: string; probe: HostProbe | NotObservableError} | null> {
  const name = subjectName(input)
  if (name === null || observedSubject(input) !== null) return null
  let probe = input.memory.probes.get(name)
  if (probe === undefined) {
    const config = plannedConfig(input, name)
    try {
      const member = requireMemberSpec(input.ctx, name)
      probe = await input.ctx.provider.probeHost(member, {files: filesOnHostAtPreflight(input.ctx.spec, member, filesNamedByConfig(config)), listen: listenURLsOfConfig(config)})
    } catch (error) {
      // The provider cannot see the host (exec, manual): each check says it was not checked.
      if (error instanceof NotObservableError) return {name, probe: error}
      throw error
    }
    input.memory.probes.set(name, probe)
  }
  return {name, probe}
}

/** The config the plan writes for the member (its first write-config): what etcd will read. */
function plannedConfig(input: GateInput, name: string): string {
  const written = input.ctx.plan.steps.find((s) => s.kind === 'write-config' && s.member === name)
  if (written === undefined || written.kind !== 'write-config') throw new Error(`plan checks ${input.precondition.check} for ${name} but writes no config for it`)
  return written.config.content
}

/** The server versions of the members that answered Status. */
function runningVersions(cluster: LiveCluster): (string | null)[] {
  return cluster.members.map((m) => statusOf(cluster, m.id)?.version ?? null)
}
