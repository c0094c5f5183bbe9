// A hand-built plan for renderer tests: etcd1 (127.0.1.1) is replaced by etcd4 (127.0.2.1) in a
// 3-member cluster whose etcd2 and etcd3 stay — the join strategy's steps with learners, the fault
// tolerance each step leaves, and real-looking etcd configs. Built by hand, not by the planner, so a
// renderer test does not change when the planner does.
import {PLAN_FORMAT_VERSION, type FaultTolerance, type Plan, type PlanObservation, type Precondition, type RenderedConfig, type Step} from '../../src/plan/types.js'
import {pointOfNoReturn} from '../../src/plan/point-of-no-return.js'

export function faultTolerance(voters: number, startedVoters = voters, learners = 0): FaultTolerance {
  const quorum = Math.floor(voters / 2) + 1
  return {voters, startedVoters, learners, down: 0, quorum, tolerates: startedVoters - quorum}
}

const peer = {etcd1: 'http://127.0.1.1:2380', etcd2: 'http://127.0.1.2:2380', etcd3: 'http://127.0.1.3:2380', etcd4: 'http://127.0.2.1:2380'}

export function etcdConfig(initialCluster: readonly (keyof typeof peer)[]): RenderedConfig {
  return {
    path: '/etc/etcd/etcd4.yaml',
    content: [
      '# etcd config for etcd4, written by etcdplan (migration "move-to-rack-b")',
      'name: etcd4',
      'data-dir: /var/lib/etcd/etcd4',
      'listen-peer-urls: http://127.0.2.1:2380',
      'listen-client-urls: http://127.0.2.1:2379',
      'initial-advertise-peer-urls: http://127.0.2.1:2380',
      'advertise-client-urls: http://127.0.2.1:2379',
      `initial-cluster: ${initialCluster.map((n) => `${n}=${peer[n]}`).join(',')}`,
      'initial-cluster-state: existing',
      'initial-cluster-token: prod-etcd',
      '',
    ].join('\n'),
  }
}

const three = faultTolerance(3)
const threePlusLearner = faultTolerance(3, 3, 1)
const four = faultTolerance(4)
const check = (description: string, check: Precondition['check'] = 'voters-healthy'): Precondition => ({check, description})

/** The steps in plan order; each depends on the one before, as the planner makes them. */
function fixtureSteps(): Step[] {
  const written = etcdConfig(['etcd1', 'etcd2', 'etcd3', 'etcd4'])
  const drafts: Step[] = [
    {kind: 'preflight', id: 'preflight', description: 'Check that the live cluster is the one this plan was made for, healthy and free of alarms.', preconditions: [check('every voter answers and reports no errors'), check('no alarm (NOSPACE, CORRUPT) is raised', 'no-alarms')], before: three, after: three, dependsOn: []},
    {kind: 'write-config', id: 'write-config/etcd4', member: 'etcd4', config: written, description: "Write etcd4's etcd config to /etc/etcd/etcd4.yaml before it is added.", preconditions: [], before: three, after: three, dependsOn: []},
    {kind: 'add-learner', id: 'add-learner/etcd4', member: 'etcd4', peerURL: peer.etcd4, description: 'Add etcd4 (http://127.0.2.1:2380) as a learner: it receives the log but does not vote until promoted.', preconditions: [check('no learner is in the cluster (etcd allows one at a time)', 'no-learner')], before: three, after: threePlusLearner, dependsOn: []},
    {kind: 'start-member', id: 'start-member/etcd4', member: 'etcd4', configPath: written.path, description: 'Start etcd on etcd4 with --config-file /etc/etcd/etcd4.yaml.', preconditions: [], before: threePlusLearner, after: threePlusLearner, dependsOn: []},
    {kind: 'wait-caught-up', id: 'wait-caught-up/etcd4', member: 'etcd4', tolerance: 100, description: "Wait until etcd4's applied index is within 100 entries of the leader's.", preconditions: [], before: threePlusLearner, after: threePlusLearner, dependsOn: []},
    {kind: 'promote', id: 'promote/etcd4', member: 'etcd4', description: 'Promote learner etcd4 to a voting member.', preconditions: [check('etcd4 is in sync with the leader', 'member-caught-up')], before: threePlusLearner, after: four, dependsOn: []},
    {kind: 'switch-dns', id: 'switch-dns', name: 'etcd.example.internal', via: 'manual', clientURLs: ['http://127.0.1.2:2379', 'http://127.0.1.3:2379', 'http://127.0.2.1:2379'], description: 'Point etcd.example.internal at the target members via manual.', preconditions: [], before: four, after: four, dependsOn: []},
    {kind: 'move-leader', id: 'move-leader/etcd1', member: 'etcd1', candidates: ['etcd2', 'etcd3', 'etcd4'], description: 'If etcd1 leads at that moment, move leadership to a caught-up voter (etcd2, etcd3, etcd4).', preconditions: [], before: four, after: four, dependsOn: []},
    {kind: 'remove-member', id: 'remove-member/etcd1', member: 'etcd1', peerURL: peer.etcd1, description: 'Remove etcd1 (http://127.0.1.1:2380) from the cluster.', preconditions: [check('etcd1 is not the leader', 'not-leader')], before: four, after: three, dependsOn: []},
    {kind: 'stop-member', id: 'stop-member/etcd1', member: 'etcd1', description: 'Confirm etcd1 has shut down.', preconditions: [], before: three, after: three, dependsOn: []},
    {kind: 'rewrite-config', id: 'rewrite-config/etcd4', member: 'etcd4', previous: written, config: etcdConfig(['etcd2', 'etcd3', 'etcd4']), description: "Rewrite etcd4's config to the final membership.", preconditions: [], before: three, after: three, dependsOn: []},
    {kind: 'verify', id: 'verify', expectedVoters: ['etcd2', 'etcd3', 'etcd4'], description: 'Verify the cluster is exactly etcd2, etcd3, etcd4.', preconditions: [], before: three, after: three, dependsOn: []},
  ]
  return drafts.map((step, i) => ({...step, dependsOn: i === 0 ? [] : [drafts[i - 1]!.id]}))
}

const offline: PlanObservation = {
  mode: 'offline',
  clusterId: null,
  leaderId: null,
  members: (['etcd1', 'etcd2', 'etcd3'] as const).map((name) => ({id: null, name, peerURLs: [peer[name]], clientURLs: [peer[name].replace(':2380', ':2379')], isLearner: false, started: true})),
  down: [],
  configs: [],
  fingerprint: `sha256:${'f'.repeat(64)}`,
}

/** The same cluster as seen live: decimal IDs as etcd reports them. */
export const liveObservation: PlanObservation = {
  mode: 'live',
  clusterId: '14841639068965178418', // 0xcdf818194e3a8c32
  leaderId: '10501334649042878790',
  members: [
    {id: '10501334649042878790', name: 'etcd1', peerURLs: [peer.etcd1], clientURLs: [peer.etcd1.replace(':2380', ':2379')], isLearner: false, started: true},
    {id: '13803658152347727308', name: 'etcd2', peerURLs: [peer.etcd2], clientURLs: [peer.etcd2.replace(':2380', ':2379')], isLearner: false, started: true},
    {id: '16375495366153237322', name: 'etcd3', peerURLs: [peer.etcd3], clientURLs: [peer.etcd3.replace(':2380', ':2379')], isLearner: false, started: true},
  ],
  down: [],
  configs: [],
  fingerprint: `sha256:${'e'.repeat(64)}`,
}

export function buildPlanFixture(overrides: Partial<Plan> = {}): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    name: 'move-to-rack-b',
    strategy: 'join',
    specHash: `sha256:${'a'.repeat(64)}`,
    specFile: 'move-to-rack-b.yaml',
    observation: offline,
    options: {learner: true, order: 'add-first', finalState: 'existing', rollingRestart: true, catchUpTolerance: 100},
    members: [
      {name: 'etcd1', action: 'remove', peerURL: peer.etcd1, clientURL: 'http://127.0.1.1:2379', id: null},
      {name: 'etcd2', action: 'keep', peerURL: peer.etcd2, clientURL: 'http://127.0.1.2:2379', id: null},
      {name: 'etcd3', action: 'keep', peerURL: peer.etcd3, clientURL: 'http://127.0.1.3:2379', id: null},
      {name: 'etcd4', action: 'add', peerURL: peer.etcd4, clientURL: 'http://127.0.2.1:2379', id: null},
    ],
    sourceVoters: ['etcd1', 'etcd2', 'etcd3'],
    targetVoters: ['etcd2', 'etcd3', 'etcd4'],
    warnings: [],
    steps: fixtureSteps(),
    summary: {add: 1, change: 1, remove: 1, configRewrites: 1, restarts: 0},
    pointOfNoReturn: pointOfNoReturn('join', fixtureSteps(), new Set(['etcd1', 'etcd2', 'etcd3'])),
    contentHash: `sha256:${'c'.repeat(64)}`,
    ...overrides,
  }
}

/** A plan with nothing to do: the cluster already is the target. */
export function buildNoChangesPlan(overrides: Partial<Plan> = {}): Plan {
  return buildPlanFixture({members: [], steps: [], summary: {add: 0, change: 0, remove: 0, configRewrites: 0, restarts: 0}, pointOfNoReturn: null, ...overrides})
}
