// Strategy `join`: grow the running cluster with the new members one at a time, move clients, then
// shrink it to the target — the runbook's approach 1, with etcd's rules made explicit
// (docs/etcd-facts.md). Pure: the steps follow from the spec and the observed membership.
import type {Observation, ObservedConfig, ObservedMember} from '../cluster/observation.js'
import type {MemberSpec, Spec} from '../spec/types.js'
import {copyCertificatesStep} from './copy-certificates-step.js'
import {fenceByHandWarning, fenceMemberStep, fenceUnavailableWarnings} from './fence-member-step.js'
import {renderEtcdConfig} from './etcd-config.js'
import {dnsMethod, dnsVerifyNote, dnsWaitNote} from './dns-step-description.js'
import {sameEtcdConfig} from './same-etcd-config.js'
import {certificatePreconditions, hostReadinessPreconditions} from './host-readiness-preconditions.js'
import type {LeavingMember, MembershipDiff, TargetMemberStatus} from './match-members.js'
import {downWarnings, refuseWhatCannotBePlanned} from './down-member-rules.js'
import {MembershipModel} from './membership-model.js'
import {membershipOf} from './observed-membership.js'
import {toleratedFailures} from './quorum.js'
import {precondition, StepBuilder} from './step-builder.js'
import type {PlanWarning, RenderedConfig, Step} from './types.js'

export interface StrategyPlan {
  readonly steps: readonly Step[]
  readonly warnings: readonly PlanWarning[]
}

export function planJoin(spec: Spec, observation: Observation, diff: MembershipDiff): StrategyPlan {
  const down = downMembers(observation)
  refuseWhatCannotBePlanned(observation, diff, down)
  const joining = orderJoining(diff.targets.filter((t) => t.progress !== 'voter'))
  const leaderName = leaderNameOf(observation, diff)
  const {stray, dead, leavingVoters} = orderLeaving(diff.leaving, leaderName, down)
  const found = observation.configs ?? []
  const membershipChanges = joining.length + stray.length + dead.length + leavingVoters.length
  // Nothing to do only when the configs on the hosts are what the target's must be, too.
  const model = initialModel(observation, diff)
  if (membershipChanges === 0 && configsToRewrite(spec, model.initialCluster(), found, new Set()).length === 0) return {steps: [], warnings: []}

  const planner = new JoinPlanner(spec, model, down, found)
  planner.preflight(
    joining.some((t) => t.progress === 'absent') && !observation.members.some((m) => m.isLearner),
    joining.filter((t) => t.progress === 'absent').map((t) => t.spec),
    new Set(joining.filter((t) => t.progress === 'absent' || t.progress.startsWith('unstarted')).map((t) => t.spec.name)),
  )
  // A learner or unstarted member that is not wanted goes first: it holds etcd's single learner slot
  // (`too many learner members in cluster`) or counts towards quorum without voting.
  for (const member of stray) planner.leave(member)
  // Then every voter that is down: etcd refuses any add while a voter is not connected (`unhealthy
  // cluster`, --strict-reconfig-check), and a voting add would raise the quorum while a voter is gone;
  // removing a member that is not connected it always allows (docs/etcd-facts.md, "Replacing a dead member").
  for (const member of dead) planner.leave(member)

  const switchesClients = spec.dns !== undefined && clientURLsChange(spec, diff)
  if (spec.join.order === 'add-first') {
    for (const target of joining) planner.join(target)
    if (switchesClients) planner.switchDns()
    for (const member of leavingVoters) planner.leave(member)
  } else {
    // one-for-one: the cluster never grows past N+1. DNS moves right after the last add, while one old
    // member still serves.
    const queue = [...leavingVoters]
    joining.forEach((target, index) => {
      planner.join(target)
      const last = index === joining.length - 1
      if (last && switchesClients) planner.switchDns()
      const next = queue.shift()
      if (next !== undefined) planner.leave(next)
    })
    if (joining.length === 0 && switchesClients) planner.switchDns()
    for (const member of queue) planner.leave(member)
  }
  planner.finalise()
  const fenceByHand = diff.leaving
    .filter((m) => m.observed.started && m.observed.id !== null && down.has(m.observed.id))
    .flatMap((m) => {
      const source = spec.source.members.find((s) => s.name === m.name)
      return source === undefined ? [] : [fenceByHandWarning(source)]
    })
  const steps = planner.builder.steps()
  return {steps, warnings: [...downWarnings(diff, down), ...joinWarnings(spec, diff, joining), ...fenceByHand, ...fenceUnavailableWarnings(spec, steps)]}
}

/** True when the client URLs clients should use change, so DNS (or the user) must move them. */
function clientURLsChange(spec: Spec, diff: MembershipDiff): boolean {
  const now = new Set([...diff.targets.filter((t) => t.observed !== null).map((t) => t.spec.clientURL), ...diff.leaving.map((m) => m.clientURL)])
  const wanted = new Set(spec.target.members.map((m) => m.clientURL))
  return now.size !== wanted.size || [...wanted].some((url) => !now.has(url))
}

/** Members already part-way through a join go first: until they finish, etcd refuses the next add. */
function orderJoining(joining: readonly TargetMemberStatus[]): TargetMemberStatus[] {
  const inProgress = joining.filter((t) => t.progress !== 'absent')
  return [...inProgress, ...joining.filter((t) => t.progress === 'absent')]
}

function orderLeaving(leaving: readonly LeavingMember[], leaderName: string | null, down: ReadonlyMap<string, string>) {
  const stray = leaving.filter((m) => m.observed.isLearner || !m.observed.started)
  const voters = leaving.filter((m) => !m.observed.isLearner && m.observed.started)
  const isDown = (m: LeavingMember) => m.observed.id !== null && down.has(m.observed.id)
  const dead = voters.filter(isDown)
  const alive = voters.filter((m) => !isDown(m))
  // The leader goes last, so that leadership moves at most once more than it must.
  const leavingVoters = [...alive.filter((m) => m.name !== leaderName), ...alive.filter((m) => m.name === leaderName)]
  return {stray, dead, leavingVoters}
}

/** Members that did not answer when observed: member ID → the error. */
function downMembers(observation: Observation): ReadonlyMap<string, string> {
  return new Map((observation.down ?? []).map((d) => [d.id, d.error]))
}

function leaderNameOf(observation: Observation, diff: MembershipDiff): string | null {
  if (observation.leaderId === null) return null
  const target = diff.targets.find((t) => t.observed?.id === observation.leaderId)
  if (target) return target.spec.name
  return diff.leaving.find((m) => m.observed.id === observation.leaderId)?.name ?? null
}

function initialModel(observation: Observation, diff: MembershipDiff): MembershipModel {
  const nameOf = (peerURLs: readonly string[], fallback: string) =>
    diff.targets.find((t) => peerURLs.includes(t.spec.peerURL))?.spec.name ??
    diff.leaving.find((m) => peerURLs.includes(m.peerURL))?.name ??
    fallback
  return new MembershipModel(membershipOf(observation, nameOf))
}

class JoinPlanner {
  readonly builder: StepBuilder
  /** Configs this plan writes, by member: rewritten at the end to the final membership. */
  private readonly written = new Map<string, {member: MemberSpec; config: RenderedConfig}>()
  private readonly targetNames: ReadonlySet<string>

  constructor(
    private readonly spec: Spec,
    private readonly model: MembershipModel,
    private readonly down: ReadonlyMap<string, string>,
    /** Configs found on the hosts of members that joined before this plan. */
    private readonly found: readonly ObservedConfig[],
  ) {
    this.builder = new StepBuilder(model)
    this.targetNames = new Set(spec.target.members.map((m) => m.name))
  }

  /**
   * `added`: the members this plan adds. Each one's host is checked before the first add (binary and
   * version, ports, files, data dir): etcd checks them only when the member starts, after it was
   * added. A member already added (resumed, unstarted) is not: its data dir may hold its own WAL.
   * Every other target member's certificates are checked too (`started`: those the plan starts, and
   * copies to with distribute): read-only, and etcd reads them at its next start — a kept member's
   * rewritten config names the spec's paths, which may not be the ones it runs with now.
   */
  preflight(adds: boolean, added: readonly MemberSpec[], started: ReadonlySet<string>): void {
    const addedNames = new Set(added.map((m) => m.name))
    const others = this.spec.target.members.filter((m) => !addedNames.has(m.name))
    const copies = this.spec.cluster.distribute !== undefined
    this.builder.push({
      kind: 'preflight',
      id: 'preflight',
      description:
        added.length === 0
          ? 'Check that the live cluster is the one this plan was made for, healthy and free of alarms.'
          : `Check that the live cluster is the one this plan was made for, healthy and free of alarms, and that the host of every member it adds can start it (${added.map((m) => m.name).join(', ')}).`,
      preconditions: [
        precondition('cluster-matches-plan', 'the live membership matches the plan (cluster ID, member IDs, peer URLs, learner flags)'),
        precondition('voters-healthy', 'every voter answers and reports no errors'),
        precondition('no-alarms', 'no alarm (NOSPACE, CORRUPT) is raised'),
        ...(adds ? [precondition('no-learner', 'no learner is in the cluster (etcd allows one at a time)')] : []),
        ...added.flatMap((member) => hostReadinessPreconditions(this.spec, member, 'join')),
        ...others.flatMap((member) => certificatePreconditions(this.spec, member, copies && started.has(member.name))),
      ],
    })
  }

  join(target: TargetMemberStatus): void {
    const member = target.spec
    const name = member.name
    const learner = target.progress === 'absent' ? this.spec.join.learner : target.progress.includes('learner')
    if (target.progress === 'absent' || target.progress.startsWith('unstarted')) {
      // The config lists exactly the members that exist once this one is added, itself included
      // (etcd: `member count is unequal` / `couldn't find local name` otherwise).
      const initialCluster = target.progress === 'absent' ? `${this.model.initialCluster()},${name}=${member.peerURL}` : this.model.initialCluster()
      // Its certificates first (cluster.distribute): etcd reads them at start, right after the add.
      const copy = copyCertificatesStep(this.spec, member)
      if (copy !== null) this.builder.push(copy)
      this.writeConfig(member, initialCluster)
    }
    if (target.progress === 'absent') this.add(member, learner)
    if (target.progress === 'absent' || target.progress.startsWith('unstarted')) this.start(member)
    this.builder.push({
      kind: 'wait-caught-up',
      id: `wait-caught-up/${name}`,
      member: name,
      tolerance: this.spec.join.catchUpTolerance,
      description: `Wait until ${name}'s applied index is within ${this.spec.join.catchUpTolerance} entries of the leader's, stable over two polls.`,
      preconditions: [precondition('member-started', `${name} has started and published its name`, name)],
    })
    if (learner) {
      this.builder.push(
        {
          kind: 'promote',
          id: `promote/${name}`,
          member: name,
          description: `Promote learner ${name} to a voting member.`,
          preconditions: [
            // etcd 3.4.23 promotes a learner that never started; check it ourselves (etcd-facts.md).
            precondition('member-is-learner', `${name} is a started learner`, name),
            // etcd refuses below 90% of the leader's index: `can only promote a learner member which is in sync with leader`.
            precondition('member-caught-up', `${name} is in sync with the leader`, name),
            // A promote raises the quorum at once: with a voter sick the cluster would have no failure to spare.
            precondition('voters-healthy', 'every voter is healthy (the promote raises the quorum)'),
          ],
        },
      )
    }
  }

  private writeConfig(member: MemberSpec, initialCluster: string): void {
    const config = renderEtcdConfig({member, spec: this.spec, initialCluster, initialClusterState: 'existing'})
    this.written.set(member.name, {member, config})
    this.builder.push({
      kind: 'write-config',
      id: `write-config/${member.name}`,
      member: member.name,
      config,
      description: `Write ${member.name}'s etcd config to ${config.path} before it is added, so nothing is left half-done if writing fails.`,
      preconditions: [],
    })
  }

  private add(member: MemberSpec, learner: boolean): void {
    const kind = learner ? 'add-learner' : 'add-member'
    this.builder.push(
      {
        kind,
        id: `${kind}/${member.name}`,
        member: member.name,
        peerURL: member.peerURL,
        description: learner
          ? `Add ${member.name} (${member.peerURL}) as a learner: it receives the log but does not vote until promoted.`
          : `Add ${member.name} (${member.peerURL}) as a voter: quorum grows at once, before ${member.name} can vote.`,
        preconditions: [
          // etcd --strict-reconfig-check: `unhealthy cluster` unless the receiver saw every voter for 5 s.
          precondition('voters-healthy', 'every voter is healthy and connected'),
          precondition('no-learner', 'no learner is in the cluster (etcd allows one at a time)'),
          precondition('previous-member-caught-up', 'the member added before has started and caught up'),
          precondition('member-absent', `no member has peer URL ${member.peerURL} yet`, member.name),
        ],
      },
    )
  }

  private start(member: MemberSpec): void {
    this.builder.push(
      {
        kind: 'start-member',
        id: `start-member/${member.name}`,
        member: member.name,
        configPath: member.configFile,
        description: `Start etcd on ${member.name} with --config-file ${member.configFile}.`,
        preconditions: [
          precondition('member-present', `${member.name} is a member, not yet started`, member.name),
          precondition('config-written', `${member.configFile} holds the planned config`, member.name),
          precondition('data-dir-empty', `${member.dataDir} is empty (a used data dir would rejoin under an old identity)`, member.name),
        ],
      },
    )
  }

  switchDns(): void {
    const dns = this.spec.dns
    if (dns === undefined) return
    const clientURLs = this.spec.target.members.map((m) => m.clientURL)
    this.builder.push({
      kind: 'switch-dns',
      id: 'switch-dns',
      name: dns.name,
      via: dns.switch.via,
      clientURLs,
      description: `Point ${dns.name} at the target members (${clientURLs.join(', ')}) ${dnsMethod(dns)}${dnsVerifyNote(dns)}${dnsWaitNote(dns)}.`,
      preconditions: [precondition('voters-healthy', 'every target member is a healthy voter')],
    })
  }

  leave(member: LeavingMember): void {
    const name = member.name
    const voter = !member.observed.isLearner && member.observed.started
    const downError = member.observed.id === null ? undefined : this.down.get(member.observed.id)
    // A member that is down does not lead; should it answer again by apply time, not-leader moves leadership away then.
    if (voter && downError === undefined) this.moveLeaderAway(name, `before it is removed: removing the leader stalls writes for an election (1-3 s)`)
    this.builder.push(
      {
        kind: 'remove-member',
        id: `remove-member/${name}`,
        member: name,
        peerURL: member.peerURL,
        description:
          downError === undefined
            ? `Remove ${name} (${member.peerURL}) from the cluster.`
            : `Remove ${name} (${member.peerURL}), which is down (${downError}): it counts towards quorum without voting, and etcd adds no member while a voter is not connected.`,
        preconditions: [
          precondition('member-present', `${name} is a member`, name),
          ...(voter
            ? [
                precondition('not-leader', `${name} is not the leader`, name),
                // etcd: `re-configuration failed due to not enough started members` otherwise.
                precondition('quorum-after-change', 'the started voters left still form a quorum'),
                precondition('voters-healthy', downError === undefined ? 'every other voter is healthy and connected' : 'every other voter is healthy and connected (members the plan found down and removes are not waited for)'),
              ]
            : []),
        ],
      },
    )
    if (member.observed.started) {
      this.builder.push({
        kind: 'stop-member',
        id: `stop-member/${name}`,
        member: name,
        description: `Confirm ${name} has shut down (a removed member stops itself); its data dir must never be reused under its old identity.`,
        preconditions: [],
      })
      const source = this.spec.source.members.find((m) => m.name === name)
      // A member found down keeps its files: its host may be gone, and a fence that cannot reach it
      // would hold up the whole migration (the 'fence-by-hand' warning says what to move).
      if (source !== undefined && downError === undefined) this.builder.push(fenceMemberStep(source, 'join'))
    }
  }

  private moveLeaderAway(name: string, why: string): void {
    const staying = this.model.voters().filter((m) => m.started && m.name !== name && this.targetNames.has(m.name))
    const others = staying.length > 0 ? staying : this.model.voters().filter((m) => m.started && m.name !== name)
    const byTargetOrder = this.spec.target.members.map((m) => m.name).filter((n) => others.some((o) => o.name === n))
    const candidates = [...byTargetOrder, ...others.map((o) => o.name).filter((n) => !byTargetOrder.includes(n))]
    this.builder.push({
      kind: 'move-leader',
      id: `move-leader/${name}`,
      member: name,
      candidates,
      description: `If ${name} leads at that moment, move leadership to a caught-up voter (${candidates.join(', ')}) ${why}.`,
      preconditions: [precondition('member-caught-up', 'the new leader is a caught-up voter')],
    })
  }

  /** Runbook steps 9-10: configs to the final membership, then restart one by one, leader last. */
  finalise(): void {
    const finalCluster = this.model.initialCluster()
    const rewritten: string[] = []
    for (const {member, config: previous} of this.written.values()) {
      const config = renderEtcdConfig({member, spec: this.spec, initialCluster: finalCluster, initialClusterState: this.spec.join.finalState})
      if (config.content === previous.content) continue
      rewritten.push(member.name)
      this.rewrite(member, previous, config, 'what this plan wrote')
    }
    // Members that joined in an earlier apply whose config on the host is not the target's (a
    // migration re-planned after it stopped before its rewrites): rewritten and restarted the same way.
    for (const stale of configsToRewrite(this.spec, finalCluster, this.found, new Set(this.written.keys()))) {
      rewritten.push(stale.member.name)
      if (stale.found.content === null) {
        this.builder.push({
          kind: 'write-config',
          id: `write-config/${stale.member.name}`,
          member: stale.member.name,
          config: stale.config,
          description: `Write ${stale.member.name}'s config to ${stale.config.path}: ${stale.member.name} joined in an earlier apply and its config file is missing on its host, so its next start would fail.`,
          preconditions: [],
        })
      } else {
        this.rewrite(stale.member, {path: stale.found.path, content: stale.found.content}, stale.config, 'what was found there when this plan was made')
      }
    }
    // A restart takes a voter down: with a target that tolerates no failure (1 or 2 members) it would
    // stop writes, so those members are not restarted (see the 'restart-skipped' warning).
    if (this.spec.join.rollingRestart && toleratedFailures(this.spec.target.members.length) > 0) {
      // Leadership tends to land on the first target member (move-leader prefers it), so restart in
      // reverse target order: the likely leader goes last.
      for (const name of [...rewritten].reverse()) this.restart(name)
    }
    this.builder.push({
      kind: 'verify',
      id: 'verify',
      expectedVoters: this.spec.target.members.map((m) => m.name),
      description: `Verify the cluster is exactly ${this.spec.target.members.map((m) => m.name).join(', ')}: all started voters, healthy, in sync, no learner left.`,
      preconditions: [],
    })
  }

  private rewrite(member: MemberSpec, previous: RenderedConfig, config: RenderedConfig, holds: string): void {
    this.builder.push({
      kind: 'rewrite-config',
      id: `rewrite-config/${member.name}`,
      member: member.name,
      previous,
      config,
      description: `Rewrite ${member.name}'s config to the final membership (initial-cluster-state: ${this.spec.join.finalState}). etcd reads initial-cluster only on first start, so this is hygiene for whoever reads the file next.`,
      preconditions: [precondition('config-written', `${previous.path} still holds ${holds}`, member.name)],
    })
  }

  private restart(name: string): void {
    const member = this.spec.target.members.find((m) => m.name === name)
    if (member === undefined) return
    this.moveLeaderAway(name, 'before it restarts')
    this.builder.push({
      kind: 'restart-member',
      id: `restart-member/${name}`,
      member: name,
      configPath: member.configFile,
      description: `Restart ${name} with its rewritten config and wait until it is healthy and caught up; while it is down the cluster tolerates ${Math.max(0, this.model.tolerance().tolerates - 1)} failed member(s).`,
      preconditions: [
        precondition('voters-healthy', 'every voter is healthy and in sync'),
        precondition('not-leader', `${name} is not the leader`, name),
        precondition('quorum-after-change', 'the other started voters form a quorum while it is down'),
      ],
    })
  }
}

/**
 * The configs found on the hosts (of members that joined before this plan, not in `skip`) that differ
 * from what the target's config must be once the membership is `finalCluster`.
 */
function configsToRewrite(spec: Spec, finalCluster: string, found: readonly ObservedConfig[], skip: ReadonlySet<string>) {
  return found.flatMap((f) => {
    const member = spec.target.members.find((m) => m.name === f.member)
    if (member === undefined || skip.has(member.name)) return []
    const config = renderEtcdConfig({member, spec, initialCluster: finalCluster, initialClusterState: spec.join.finalState})
    return f.content !== null && f.path === config.path && sameEtcdConfig(f.content, config.content) ? [] : [{member, found: f, config}]
  })
}

/**
 * An orphan: a member etcd lists that has never started (no name published). It is what an apply leaves
 * when it is stopped between `member add` and starting etcd and its journal is lost (deleted, another
 * machine, another working directory).
 */
function neverStarted(name: string, observed: ObservedMember, action: string): PlanWarning {
  const id = observed.id === null ? '' : `ID ${BigInt(observed.id).toString(16)}, `
  return {
    code: 'never-started',
    message: `${name} (${id}${observed.peerURLs.join(', ')}) was added to the cluster as a ${observed.isLearner ? 'learner' : 'voter'} but has never started: an apply was stopped between adding and starting it, or its journal was lost. ${action}`,
  }
}

function joinWarnings(spec: Spec, diff: MembershipDiff, joining: readonly TargetMemberStatus[]): PlanWarning[] {
  const warnings: PlanWarning[] = []
  const sourceVoters = diff.targets.filter((t) => t.progress === 'voter').length + diff.leaving.filter((m) => !m.observed.isLearner).length
  const target = spec.target.members.length
  if (toleratedFailures(target) < toleratedFailures(sourceVoters)) {
    warnings.push({
      code: 'fault-tolerance-drops',
      message: `The target tolerates ${toleratedFailures(target)} failed member(s), the cluster now ${toleratedFailures(sourceVoters)}: the migration reduces fault tolerance.`,
    })
  }
  if (!spec.join.learner && joining.some((t) => t.progress === 'absent')) {
    warnings.push({
      code: 'voting-add',
      message: 'join.learner is false: between each add-member and start-member the new voter counts towards quorum without voting, so the cluster tolerates one failure fewer. Set join.learner: true to avoid that window.',
    })
  }
  for (const t of joining.filter((j) => j.progress !== 'absent')) {
    if (t.observed !== null && !t.observed.started) warnings.push(neverStarted(t.spec.name, t.observed, 'The plan starts it with the planned config rather than adding it again (etcd would refuse a second add of its peer URL).'))
    else warnings.push({code: 'resumed', message: `${t.spec.name} is already a member (${t.progress}): the plan continues its join from there.`})
  }
  for (const m of diff.leaving.filter((l) => !spec.source.members.some((s) => s.peerURL === l.peerURL))) {
    if (!m.observed.started) {
      const holds = m.observed.isLearner ? "it holds etcd's only learner slot" : 'as an unstarted voter it counts towards quorum without voting'
      warnings.push(neverStarted(m.name, m.observed, `The spec does not name it, so the plan removes it first: ${holds}.`))
    } else {
      warnings.push({code: 'unknown-member', message: `${m.name} (${m.peerURL}) is a member but not in the spec's source or target: it will be removed.`})
    }
  }
  if (spec.join.rollingRestart && toleratedFailures(target) === 0 && joining.length > 0) {
    warnings.push({
      code: 'restart-skipped',
      message: `join.rollingRestart is on, but a target of ${target} member(s) tolerates no failure: restarting a member would stop writes, so the rewritten configs take effect at the next restart you choose (etcd reads initial-cluster only on first start, so nothing depends on it).`,
    })
  }
  if (spec.join.finalState === 'new') {
    warnings.push({
      code: 'final-state-new',
      message: "join.finalState is 'new': if a member's data dir is ever lost, restarting it with this config bootstraps a separate cluster instead of rejoining. 'existing' is the safer final value.",
    })
  }
  if (spec.dns === undefined && spec.target.members.some((t) => !spec.source.members.some((s) => s.clientURL === t.clientURL))) {
    warnings.push({code: 'no-dns', message: "The client URLs change but the spec has no dns section: point clients at the target members yourself before the old members are removed."})
  }
  if (spec.dns !== undefined && spec.join.order === 'one-for-one' && joining.length > 0 && diff.leaving.length > 1) {
    warnings.push({code: 'one-for-one-dns', message: 'In one-for-one order old members are removed before DNS switches: clients must be configured with more than one endpoint.'})
  }
  return warnings
}
