// Strategy `snapshot`: save a snapshot from one source member, restore it into a fresh target
// cluster, verify the data, move clients, stop the old members — the runbook's approach 2.
// Fault tolerance is that of the cluster serving clients: the source until clients are moved, then
// the target (etcd-facts.md, "Snapshot": the restored cluster has a new cluster ID and member IDs).
import type {Observation} from '../cluster/observation.js'
import type {Spec} from '../spec/types.js'
import {renderEtcdConfig} from './etcd-config.js'
import {dnsMethod, dnsVerifyNote, dnsWaitNote} from './dns-step-description.js'
import {fenceMemberStep, fenceUnavailableWarnings} from './fence-member-step.js'
import {copyCertificatesStep} from './copy-certificates-step.js'
import {hostReadinessPreconditions} from './host-readiness-preconditions.js'
import {MembershipModel} from './membership-model.js'
import {membershipOf} from './observed-membership.js'
import type {StrategyPlan} from './plan-join.js'
import {precondition, StepBuilder} from './step-builder.js'

export function planSnapshot(spec: Spec, observation: Observation): StrategyPlan {
  const model = new MembershipModel(membershipOf(observation, (peerURLs, fallback) => spec.source.members.find((s) => peerURLs.includes(s.peerURL))?.name ?? fallback))
  // The model is the cluster serving clients (source, then target), moved by the cut-over below.
  const builder = new StepBuilder(model, {replayMembership: false})
  const targets = spec.target.members
  const snapshotPath = `${spec.snapshot.dir}/${spec.name}.db`
  const initialCluster = targets.map((m) => `${m.name}=${m.peerURL}`).join(',')
  const token = spec.cluster.token ?? ''
  const cutOver = (m: MembershipModel) => m.replaceWith(targets.map((t) => ({name: t.name, peerURL: t.peerURL, isLearner: false, started: true})))

  builder.push({
    kind: 'preflight',
    id: 'preflight',
    description: 'Check that the source cluster is the one this plan was made for, healthy and free of alarms, that no target member runs yet, and that every target member\'s host can start it.',
    preconditions: [
      precondition('cluster-matches-plan', 'the live membership matches the plan'),
      precondition('voters-healthy', 'every source voter answers and reports no errors'),
      precondition('no-alarms', 'no alarm is raised'),
      // Before the snapshot is even taken: a target that cannot start would leave a half-made cluster.
      ...targets.flatMap((member) => hostReadinessPreconditions(spec, member, 'new-cluster')),
    ],
  })
  for (const member of targets) {
    // Its certificates first (cluster.distribute): the new cluster's members start with them.
    const copy = copyCertificatesStep(spec, member)
    if (copy !== null) builder.push(copy)
    const config = renderEtcdConfig({member, spec, initialCluster, initialClusterState: 'new'})
    builder.push({
      kind: 'write-config',
      id: `write-config/${member.name}`,
      member: member.name,
      config,
      description: `Write ${member.name}'s etcd config to ${config.path} (a new cluster of ${targets.length}, token ${token}).`,
      preconditions: [],
    })
  }
  // The new members' configs (and certificates) come first: files on their own hosts, written while
  // the source is left alone; the snapshot is taken once everything else for the restores is ready.
  builder.push({
    kind: 'snapshot-save',
    id: 'snapshot-save',
    from: spec.snapshot.from,
    path: snapshotPath,
    description: `Save a snapshot from ${spec.snapshot.from === 'auto' ? 'the leader' : spec.snapshot.from} to ${snapshotPath} and record the source revision.`,
    // A snapshot is the sending member's applied state, not a linearizable read: take it from the
    // leader or a member whose applied index equals the leader's committed index. Learners refuse.
    preconditions: [precondition('member-caught-up', 'the member saved from is a voter whose applied index equals the leader\'s commit index')],
  })
  // The snapshot tool's check runs beside the restores (parallel-steps.ts): it only reads the file,
  // each restore checks the sha256 trailer etcd appends to a saved snapshot itself (a truncated or
  // altered file is refused), and the restored members serve no client before verify, which waits
  // for the check, and verify-data, which compares them with the source.
  builder.push({
    kind: 'snapshot-verify',
    id: 'snapshot-verify',
    path: snapshotPath,
    description: `Check the snapshot's integrity hash and record its revision and key count.`,
    preconditions: [precondition('snapshot-present', `${snapshotPath} exists`)],
  })
  for (const member of targets) {
    builder.push({
      kind: 'restore-member',
      id: `restore-member/${member.name}`,
      member: member.name,
      snapshotPath,
      dataDir: member.dataDir,
      initialCluster,
      initialClusterToken: token,
      peerURL: member.peerURL,
      description: `Restore the snapshot into ${member.dataDir} as ${member.name}; every member gets the same initial-cluster and token.`,
      preconditions: [precondition('data-dir-empty', `${member.dataDir} does not exist yet (etcd refuses to restore into a used data dir)`, member.name)],
    })
  }
  for (const member of targets) {
    builder.push({
      kind: 'start-member',
      id: `start-member/${member.name}`,
      member: member.name,
      configPath: member.configFile,
      description: `Start etcd on ${member.name} with --config-file ${member.configFile}.`,
      preconditions: [precondition('config-written', `${member.configFile} holds the planned config`, member.name)],
    })
  }
  builder.push({
    kind: 'verify',
    id: 'verify',
    expectedVoters: targets.map((m) => m.name),
    description: `Verify the new cluster is exactly ${targets.map((m) => m.name).join(', ')}, all healthy voters with one leader.`,
    preconditions: [],
  })
  builder.push(
    {
      kind: 'verify-data',
      id: 'verify-data',
      snapshotPath,
      description:
        "Compare the new cluster's content with the source's at the snapshot revision (HashKV on every new member and the source's leader; revision and key count where the compaction revisions differ), and check that the source's revision has not moved since the snapshot (a write after it would be lost).",
      preconditions: [precondition('snapshot-present', `${snapshotPath} was verified`)],
    },
    spec.dns === undefined ? cutOver : undefined,
  )
  if (spec.dns !== undefined) {
    builder.push(
      {
        kind: 'switch-dns',
        id: 'switch-dns',
        name: spec.dns.name,
        via: spec.dns.switch.via,
        clientURLs: targets.map((m) => m.clientURL),
        description: `Point ${spec.dns.name} at the new cluster ${dnsMethod(spec.dns)}${spec.dns.switch.via === 'rfc2136' ? `${dnsVerifyNote(spec.dns)}${dnsWaitNote(spec.dns)}` : ''}.`,
        preconditions: [precondition('voters-healthy', 'every target member is a healthy voter')],
      },
      cutOver,
    )
  }
  // The old members' stops, then their fences: the applier stops them together, the leader last
  // (parallel-steps.ts, leaderLast). Followers stopped together each wait out their own graceful
  // close side by side (3.5.16 waits up to 1 s for its peer listener to drain: 1.0 s for the three
  // together against 2.1 s one after another, measured); a leader stopped with them tries to hand its
  // leadership to a stopping follower and waits ~7 s for it, while alone it stops at once (3.4.23
  // and 3.5.16, docs/etcd-facts.md, "Stopping").
  for (const member of spec.source.members) {
    builder.push({
      kind: 'stop-member',
      id: `stop-member/${member.name}`,
      member: member.name,
      description: `Stop the old member ${member.name}; its data dir is kept as a fallback and must not rejoin.`,
      preconditions: [],
    })
  }
  for (const member of spec.source.members) builder.push(fenceMemberStep(member, 'snapshot'))
  const warnings = [
    {
      code: 'snapshot-write-fence',
      message: 'Writes to the source cluster after the snapshot are not copied: stop writers before apply (verify-data refuses to continue if the source revision moved).',
    },
    ...(spec.dns === undefined
      ? [{code: 'no-dns', message: 'The spec has no dns section: point clients at the new cluster yourself after verify-data.'}]
      : []),
  ]
  const steps = builder.steps()
  return {steps, warnings: [...warnings, ...fenceUnavailableWarnings(spec, steps)]}
}
