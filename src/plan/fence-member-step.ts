// fence-member: what keeps a member that left the cluster from coming back. etcd refuses a removed
// member that restarts on its old data dir (peers answer 410 Gone: `the member has been permanently
// removed from the cluster`), but the same config started on an empty data dir (a person "fixing" a
// crash loop, a re-provisioned host) may bootstrap a one-member cluster under the old name and client
// URL: a split brain for clients still pointed there (docs/etcd-facts.md, "Removed members"; users
// report it: k3s#13498, kubespray#6084). So after its stop, the member's config — and with join its
// data dir — are renamed aside on its host: a supervisor or a person running
// `etcd --config-file <config>` then gets `no such file` and nothing starts. Nothing is deleted.
// - join: config, data dir and a wal-dir outside it move; the member is out of the membership for
//   good, its data is of no use to any cluster.
// - snapshot: only the config moves. The old cluster is retired, not changed: its members' data dirs
//   are the migration's fallback (restart them to roll back) and stay where they are, untouched; to
//   roll back, move each config back from its `.removed-<time>` name and start the members.
import {walDirOf} from '../nodes/read-wal-identity.js'
import type {MemberSpec, Spec} from '../spec/types.js'
import type {FenceMemberStep, PlanWarning, Step} from './types.js'

type Unbuilt = Omit<FenceMemberStep, 'dependsOn' | 'before' | 'after'>

export function fenceMemberStep(member: MemberSpec, strategy: 'join' | 'snapshot'): Unbuilt {
  const name = member.name
  if (strategy === 'snapshot') {
    return {
      kind: 'fence-member',
      id: `fence-member/${name}`,
      member: name,
      configFile: member.configFile,
      dataDir: null,
      description: `Move the old member ${name}'s config ${member.configFile} aside on its host to ${member.configFile}.removed-<time> (never deleted), so that a supervisor or a person cannot start it again; its data dir ${member.dataDir} stays in place untouched, the fallback of this migration (to roll back: move the config back and start the old members). Refused while ${name} still answers or runs.`,
      preconditions: [],
    }
  }
  const walDir = separateWalDir(member)
  const paths = [member.configFile, member.dataDir, ...(walDir === undefined ? [] : [walDir])]
  return {
    kind: 'fence-member',
    id: `fence-member/${name}`,
    member: name,
    configFile: member.configFile,
    dataDir: member.dataDir,
    ...(walDir === undefined ? {} : {walDir}),
    description: `Move ${name}'s config and data dir${walDir === undefined ? '' : ' and wal-dir'} aside on its host (never deleted), each to <path>.removed-<time> (${paths.join(', ')}): a restart by a supervisor or by hand cannot rejoin or bootstrap under the old identity. Refused while ${name} is still a member, answers or runs.`,
    preconditions: [],
  }
}

/** A wal-dir the member's config sets outside its data dir (moving the data dir would leave the WAL, and etcd restarts from a WAL). */
function separateWalDir(member: MemberSpec): string | undefined {
  if (typeof member.config['wal-dir'] !== 'string') return undefined
  const walDir = walDirOf(member)
  const dataDir = member.dataDir.replace(/\/+$/, '')
  return walDir === dataDir || walDir.startsWith(`${dataDir}/`) ? undefined : walDir
}

/** A member the plan found down keeps its files (its host may be gone): the operator fences it when the host is back. */
export function fenceByHandWarning(member: MemberSpec): PlanWarning {
  const walDir = separateWalDir(member)
  const moves = [member.configFile, member.dataDir, ...(walDir === undefined ? [] : [walDir])].map((p) => `mv ${p} ${p}.removed-$(date -u +%Y%m%dT%H%M%SZ)`)
  return {
    code: 'fence-by-hand',
    message: `${member.name} is down, so the plan does not fence its host (${member.host}): before anything can start it again there, move its files aside by hand (never delete them): ${moves.join('; ')}. Started on an empty data dir with a one-member initial-cluster, it would serve a separate cluster at ${member.clientURL}.`,
  }
}

/** With nodes.provider exec and no nodes.exec.fence, the plan's fence steps cannot move anything: said before apply, not only during it. */
export function fenceUnavailableWarnings(spec: Spec, steps: readonly Step[]): PlanWarning[] {
  if (spec.nodes.provider !== 'exec' || spec.nodes.exec?.fence !== undefined) return []
  const fenced = steps.filter((s) => s.kind === 'fence-member').map((s) => ('member' in s ? s.member : ''))
  if (fenced.length === 0) return []
  return [{code: 'fence-unavailable', message: `nodes.exec has no fence command, so the fence-member steps (${fenced.join(', ')}) cannot move the removed members' files aside: add nodes.exec.fence, or move each one's config and data dir aside by hand after apply (never delete them).`}]
}
