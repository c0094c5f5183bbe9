import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {buildPlan} from '../../src/plan/build-plan.js'
import {observeFromSpec} from '../../src/cluster/offline-observation.js'
import {checkPlanSafety} from '../../src/plan/check-plan-safety.js'
import {UnsafePlanError} from '../../src/plan/unsafe-plan-error.js'
import type {Observation} from '../../src/cluster/observation.js'
import type {Plan, Step} from '../../src/plan/types.js'
import {buildSpec, member, members, type SpecOverrides} from '../fixtures/spec-builder.js'

function planFor(o: SpecOverrides, observation?: Observation): Plan {
  const spec = buildSpec(o)
  return buildPlan(spec, 'sha256:' + '0'.repeat(64), observation ?? observeFromSpec(spec))
}
const ids = (plan: Plan) => plan.steps.map((s) => s.id)
const ofKind = (plan: Plan, kind: Step['kind']) => plan.steps.filter((s) => s.kind === kind).map((s) => ('member' in s ? s.member : s.id))
const old3 = members('etcd', 1, 3, 1)
const new3 = members('etcd', 4, 6, 2)

describe('planner: the runbook, 3 → 3 disjoint, add-first with learners', () => {
  const plan = planFor({source: old3, target: new3})

  it('adds each new member as a learner, one at a time, then switches DNS, then removes the old ones', () => {
    assert.deepEqual(ids(plan).slice(0, 18), [
      'preflight',
      'write-config/etcd4', 'add-learner/etcd4', 'start-member/etcd4', 'wait-caught-up/etcd4', 'promote/etcd4',
      'write-config/etcd5', 'add-learner/etcd5', 'start-member/etcd5', 'wait-caught-up/etcd5', 'promote/etcd5',
      'write-config/etcd6', 'add-learner/etcd6', 'start-member/etcd6', 'wait-caught-up/etcd6', 'promote/etcd6',
      'switch-dns', 'move-leader/etcd1',
    ])
    assert.deepEqual(ofKind(plan, 'remove-member'), ['etcd1', 'etcd2', 'etcd3'])
    assert.equal(ids(plan).at(-1), 'verify')
  })

  it('moves leadership away right before every removal and restart', () => {
    plan.steps.forEach((step, i) => {
      if (step.kind === 'remove-member' || step.kind === 'restart-member') {
        const previous = plan.steps[i - 1]!
        assert.equal(previous.id, `move-leader/${step.member}`)
      }
    })
  })

  it('writes initial-cluster with exactly the members that exist when each new member starts', () => {
    const config = (name: string) => plan.steps.find((s) => s.id === `write-config/${name}`)
    const initial = (name: string) => {
      const step = config(name)
      assert.ok(step && step.kind === 'write-config')
      return /initial-cluster: (.*)/.exec(step.config.content)?.[1]
    }
    assert.equal(initial('etcd4'), 'etcd1=http://127.0.1.1:2380,etcd2=http://127.0.1.2:2380,etcd3=http://127.0.1.3:2380,etcd4=http://127.0.2.1:2380')
    assert.equal(initial('etcd6')?.split(',').length, 6)
    const step = config('etcd4')
    assert.ok(step?.kind === 'write-config')
    assert.match(step.config.content, /^initial-cluster-state: existing$/m)
    assert.match(step.config.content, /^initial-cluster-token: test-token$/m)
    assert.match(step.config.content, /^name: etcd4$/m)
  })

  it('rewrites the new members to the final membership, restarts them one by one, and stays existing by default', () => {
    const rewrites = plan.steps.filter((s) => s.kind === 'rewrite-config')
    assert.equal(rewrites.length, 3)
    for (const r of rewrites) {
      assert.ok(r.kind === 'rewrite-config')
      assert.match(r.config.content, /initial-cluster: etcd4=http:\/\/127.0.2.1:2380,etcd5=http:\/\/127.0.2.2:2380,etcd6=http:\/\/127.0.2.3:2380\n/)
      assert.match(r.config.content, /^initial-cluster-state: existing$/m)
    }
    assert.deepEqual(ofKind(plan, 'restart-member'), ['etcd6', 'etcd5', 'etcd4'])
  })

  it('never lets fault tolerance drop below the 3-member cluster\'s one failure', () => {
    for (const step of plan.steps) assert.ok(step.after.tolerates >= 1, `${step.id} tolerates ${step.after.tolerates}`)
    assert.equal(Math.max(...plan.steps.map((s) => s.after.voters)), 6)
    assert.equal(Math.max(...plan.steps.map((s) => s.after.learners)), 1)
  })

  it('counts 3 to add, 3 to remove and passes its own safety check', () => {
    assert.deepEqual(plan.summary, {add: 3, change: 3, remove: 3, configRewrites: 3, restarts: 3})
    assert.deepEqual(checkPlanSafety(plan), [])
    assert.match(plan.contentHash, /^sha256:[0-9a-f]{64}$/)
  })

  it('is deterministic: the same input gives the same plan', () => {
    assert.deepEqual(planFor({source: old3, target: new3}), plan)
  })

  it("records the real dependencies: a member's own steps in order, membership changes one after another, barriers around cluster-wide steps", () => {
    const deps = (id: string) => plan.steps.find((s) => s.id === id)!.dependsOn
    assert.deepEqual(deps('preflight'), [])
    // A config can be written as soon as preflight passed; the add waits for it and for the last membership change.
    assert.deepEqual(deps('write-config/etcd5'), ['preflight'])
    assert.deepEqual(deps('add-learner/etcd5'), ['promote/etcd4', 'write-config/etcd5'])
    assert.deepEqual(deps('start-member/etcd5'), ['add-learner/etcd5'])
    assert.deepEqual(deps('promote/etcd5'), ['wait-caught-up/etcd5'])
    assert.deepEqual(deps('switch-dns'), ['promote/etcd6'])
    assert.deepEqual(deps('remove-member/etcd1'), ['move-leader/etcd1'])
    // Confirming a removed member stopped holds nothing else up.
    assert.deepEqual(deps('stop-member/etcd1'), ['remove-member/etcd1'])
    assert.deepEqual(deps('move-leader/etcd2'), ['remove-member/etcd1'])
    assert.deepEqual(deps('fence-member/etcd1'), ['stop-member/etcd1'])
    assert.deepEqual(deps('verify').slice().sort(), ['fence-member/etcd1', 'fence-member/etcd2', 'fence-member/etcd3', 'restart-member/etcd4'])
    // Every edge points backwards, so plan order is a walk of the graph.
    plan.steps.forEach((step, i) => step.dependsOn.forEach((d) => assert.ok(plan.steps.findIndex((s) => s.id === d) < i, `${step.id} → ${d}`)))
  })
})

describe('planner: cases', () => {
  it('one-for-one never grows the cluster past N+1 and switches DNS before the last removal', () => {
    const plan = planFor({source: old3, target: new3, join: {order: 'one-for-one'}})
    assert.equal(Math.max(...plan.steps.map((s) => s.after.voters)), 4)
    const order = ids(plan).filter((id) => /^(promote|remove-member|switch-dns)/.test(id))
    assert.deepEqual(order, ['promote/etcd4', 'remove-member/etcd1', 'promote/etcd5', 'remove-member/etcd2', 'promote/etcd6', 'switch-dns', 'remove-member/etcd3'])
    assert.deepEqual(checkPlanSafety(plan), [])
  })

  it('learner off on an even cluster adds voters with add-member, starts each right away, and warns about the window', () => {
    const plan = planFor({source: members('etcd', 1, 4, 1), target: members('etcd', 5, 8, 2), join: {learner: false}})
    assert.deepEqual(ofKind(plan, 'add-member'), ['etcd5', 'etcd6', 'etcd7', 'etcd8'])
    assert.deepEqual(ofKind(plan, 'promote'), [])
    assert.deepEqual(ofKind(plan, 'add-learner'), [])
    const add = plan.steps.findIndex((s) => s.id === 'add-member/etcd5')
    assert.equal(plan.steps[add + 1]!.id, 'start-member/etcd5')
    // 4 started voters of 5: quorum 3, one failure tolerated, as before the add (never below the floor).
    assert.deepEqual(plan.steps[add]!.after, {voters: 5, startedVoters: 4, learners: 0, down: 0, quorum: 3, tolerates: 1})
    assert.ok(plan.warnings.some((w) => w.code === 'voting-add'))
  })

  for (const order of ['add-first', 'one-for-one'] as const) {
    it(`learner off on 3 members (${order}) is refused: a voting add would leave it tolerating no failure`, () => {
      assert.throws(
        () => planFor({source: old3, target: new3, join: {learner: false, order}}),
        (error: unknown) =>
          error instanceof UnsafePlanError &&
          error.reasons.length >= 1 &&
          error.reasons.every((r) => r.code === 'voting-add-lowers-fault-tolerance') &&
          /etcd4 would join as a voter .* tolerate 0 failed member\(s\) instead of 1/.test(error.reasons[0]!.message) &&
          /join\.learner: true/.test(error.reasons[0]!.hint) &&
          error.reasons[0]!.path.join('.') === 'join.learner',
      )
    })
  }

  it('learner off growing 1 → 3 is refused: the 2-voter cluster would have no quorum until the new member starts', () => {
    const source = [member('etcd1', '127.0.1.1')]
    assert.throws(() => planFor({source, target: [...source, member('etcd2', '127.0.1.2'), member('etcd3', '127.0.1.3')], join: {learner: false}}), UnsafePlanError)
  })

  it('scales out 3 → 5 keeping the three members', () => {
    const target = [...old3, member('etcd4', '127.0.2.1'), member('etcd5', '127.0.2.2')]
    const plan = planFor({source: old3, target})
    assert.deepEqual(ofKind(plan, 'add-learner'), ['etcd4', 'etcd5'])
    assert.deepEqual(ofKind(plan, 'remove-member'), [])
    assert.deepEqual(plan.summary, {add: 2, change: 1, remove: 0, configRewrites: 1, restarts: 1})
    assert.equal(plan.steps.at(-1)!.after.voters, 5)
    assert.equal(plan.steps.at(-1)!.after.tolerates, 2)
  })

  it('scales in 5 → 3 removing two members, leadership moved first', () => {
    const source = members('etcd', 1, 5, 1)
    const plan = planFor({source, target: source.slice(0, 3)})
    assert.deepEqual(ofKind(plan, 'remove-member'), ['etcd4', 'etcd5'])
    assert.deepEqual(ofKind(plan, 'move-leader'), ['etcd4', 'etcd5'])
    assert.deepEqual(ofKind(plan, 'add-learner'), [])
    assert.deepEqual(plan.summary, {add: 0, change: 0, remove: 2, configRewrites: 0, restarts: 0})
    assert.ok(plan.warnings.some((w) => w.code === 'fault-tolerance-drops'))
    assert.deepEqual(checkPlanSafety(plan), [])
  })

  it('replaces one member of 3: add the new one first, then remove the old one', () => {
    const target = [old3[0]!, old3[1]!, member('etcd4', '127.0.2.1')]
    const plan = planFor({source: old3, target})
    assert.deepEqual(
      ids(plan).filter((id) => /^(add|promote|remove)/.test(id)),
      ['add-learner/etcd4', 'promote/etcd4', 'remove-member/etcd3'],
    )
    const rewrite = plan.steps.find((s) => s.kind === 'rewrite-config')
    assert.ok(rewrite?.kind === 'rewrite-config')
    assert.match(rewrite.config.content, /initial-cluster: etcd1=http:\/\/127.0.1.1:2380,etcd2=http:\/\/127.0.1.2:2380,etcd4=http:\/\/127.0.2.1:2380\n/)
    assert.deepEqual(plan.summary, {add: 1, change: 1, remove: 1, configRewrites: 1, restarts: 1})
  })

  it('grows 1 → 3: passes through 2 voters because the source is 1', () => {
    const source = [member('etcd1', '127.0.1.1')]
    const plan = planFor({source, target: [...source, member('etcd2', '127.0.1.2'), member('etcd3', '127.0.1.3')]})
    assert.deepEqual(ofKind(plan, 'promote'), ['etcd2', 'etcd3'])
    assert.equal(plan.steps.at(-1)!.after.voters, 3)
    assert.deepEqual(checkPlanSafety(plan), [])
    const etcd2 = plan.steps.find((s) => s.id === 'write-config/etcd2')
    assert.ok(etcd2?.kind === 'write-config')
    assert.match(etcd2.config.content, /initial-cluster: etcd1=http:\/\/127.0.1.1:2380,etcd2=http:\/\/127.0.1.2:2380\n/)
  })

  it('shrinks 3 → 1 with a warning that fault tolerance drops', () => {
    const plan = planFor({source: old3, target: [old3[0]!]})
    assert.deepEqual(ofKind(plan, 'remove-member'), ['etcd2', 'etcd3'])
    assert.equal(plan.steps.at(-1)!.after.voters, 1)
    assert.ok(plan.warnings.some((w) => w.code === 'fault-tolerance-drops'))
  })

  it('plans no steps when the cluster already is the target', () => {
    const plan = planFor({source: old3, target: old3})
    assert.deepEqual(plan.steps, [])
    assert.deepEqual(plan.summary, {add: 0, change: 0, remove: 0, configRewrites: 0, restarts: 0})
  })

  it('finalState new writes initial-cluster-state: new and warns', () => {
    const plan = planFor({source: old3, target: new3, join: {finalState: 'new'}})
    const rewrite = plan.steps.find((s) => s.kind === 'rewrite-config')
    assert.ok(rewrite?.kind === 'rewrite-config')
    assert.match(rewrite.config.content, /^initial-cluster-state: new$/m)
    assert.ok(plan.warnings.some((w) => w.code === 'final-state-new'))
  })

  it('rollingRestart off rewrites configs without restarting', () => {
    const plan = planFor({source: old3, target: new3, join: {rollingRestart: false}})
    assert.equal(ofKind(plan, 'rewrite-config').length, 3)
    assert.deepEqual(ofKind(plan, 'restart-member'), [])
  })

  it('without dns there is no switch-dns step, and a warning says clients must be moved', () => {
    const plan = planFor({source: old3, target: new3, dns: false})
    assert.deepEqual(ofKind(plan, 'switch-dns'), [])
    assert.ok(plan.warnings.some((w) => w.code === 'no-dns'))
  })

  it('snapshot: configs, save, verify beside the restores, start, verify data, switch, stop the old', () => {
    const plan = planFor({source: old3, target: new3, strategy: 'snapshot'})
    assert.deepEqual(ids(plan).slice(0, 6), ['preflight', 'write-config/etcd4', 'write-config/etcd5', 'write-config/etcd6', 'snapshot-save', 'snapshot-verify'])
    // The check only reads the file: the restores wait for the save, not for it; verify waits for both.
    const dependsOn = (id: string) => plan.steps.find((s) => s.id === id)?.dependsOn
    assert.deepEqual(dependsOn('restore-member/etcd4'), ['snapshot-save'])
    assert.deepEqual(dependsOn('snapshot-verify'), ['snapshot-save'])
    assert.ok(dependsOn('verify')?.includes('snapshot-verify'))
    assert.deepEqual(ofKind(plan, 'restore-member'), ['etcd4', 'etcd5', 'etcd6'])
    assert.deepEqual(ofKind(plan, 'stop-member'), ['etcd1', 'etcd2', 'etcd3'])
    const kinds = plan.steps.map((s) => s.kind)
    assert.ok(kinds.indexOf('verify-data') < kinds.indexOf('switch-dns'))
    const restore = plan.steps.find((s) => s.kind === 'restore-member')
    assert.ok(restore?.kind === 'restore-member')
    assert.equal(restore.initialCluster, 'etcd4=http://127.0.2.1:2380,etcd5=http://127.0.2.2:2380,etcd6=http://127.0.2.3:2380')
    assert.equal(restore.initialClusterToken, 'test-token')
    const config = plan.steps.find((s) => s.kind === 'write-config')
    assert.ok(config?.kind === 'write-config')
    assert.match(config.config.content, /^initial-cluster-state: new$/m)
    assert.deepEqual(checkPlanSafety(plan), [])
  })
})

describe('planner: from a live observation mid-migration', () => {
  const live = (extra: Observation['members'][number][], leaderId: string | null = '1'): Observation => ({
    mode: 'live',
    clusterId: '1234',
    leaderId,
    members: [
      ...old3.map((m, i) => ({id: String(i + 1), name: m.name, peerURLs: [m.peerURL], clientURLs: [m.clientURL], isLearner: false, started: true})),
      ...extra,
    ],
  })

  it('continues a learner that was added but never started instead of adding it again', () => {
    const obs = live([{id: '44', name: '', peerURLs: [new3[0]!.peerURL], clientURLs: [], isLearner: true, started: false}])
    const plan = planFor({source: old3, target: new3}, obs)
    assert.deepEqual(ofKind(plan, 'add-learner'), ['etcd5', 'etcd6'])
    assert.ok(ids(plan).includes('start-member/etcd4'))
    assert.ok(ids(plan).indexOf('promote/etcd4') < ids(plan).indexOf('add-learner/etcd5'))
    const orphan = plan.warnings.find((w) => w.code === 'never-started')
    assert.ok(orphan !== undefined, JSON.stringify(plan.warnings))
    assert.match(orphan.message, /^etcd4 \(ID 2c, http:\/\/[^)]+\) was added to the cluster as a learner but has never started: .*journal was lost\. The plan starts it/)
    assert.equal(plan.members.find((m) => m.name === 'etcd4')?.action, 'change')
  })

  it('says a started learner is resumed', () => {
    const obs = live([{id: '44', name: 'etcd4', peerURLs: [new3[0]!.peerURL], clientURLs: [new3[0]!.clientURL], isLearner: true, started: true}])
    const plan = planFor({source: old3, target: new3}, obs)
    assert.ok(!ids(plan).includes('start-member/etcd4'))
    assert.ok(plan.warnings.some((w) => w.code === 'resumed' && w.message.startsWith('etcd4 is already a member (learner)')))
    assert.ok(!plan.warnings.some((w) => w.code === 'never-started'))
  })

  it('removes the observed leader last', () => {
    const plan = planFor({source: old3, target: new3}, live([], '1'))
    assert.deepEqual(ofKind(plan, 'remove-member'), ['etcd2', 'etcd3', 'etcd1'])
  })

  it('removes a stray learner that is not in the target before any add', () => {
    const obs = live([{id: '99', name: 'stray', peerURLs: ['http://127.0.9.9:2380'], clientURLs: [], isLearner: true, started: true}])
    const plan = planFor({source: old3, target: new3}, obs)
    assert.ok(ids(plan).indexOf('remove-member/stray') < ids(plan).indexOf('add-learner/etcd4'))
    assert.ok(plan.warnings.some((w) => w.code === 'unknown-member'))
  })

  it('removes an unnamed member that never started and that the spec does not name, first, saying why', () => {
    const obs = live([{id: '255', name: '', peerURLs: ['http://127.0.9.9:2380'], clientURLs: [], isLearner: false, started: false}])
    const plan = planFor({source: old3, target: new3}, obs)
    assert.equal(ids(plan).indexOf('remove-member/unnamed-ff'), ids(plan).findIndex((id) => id.startsWith('remove-member/')))
    assert.ok(ids(plan).indexOf('remove-member/unnamed-ff') < ids(plan).indexOf('add-learner/etcd4'))
    assert.ok(!ids(plan).includes('stop-member/unnamed-ff'), 'a member that never started has no process to stop')
    const orphan = plan.warnings.find((w) => w.code === 'never-started')
    assert.match(orphan?.message ?? '', /^unnamed-ff \(ID ff, http:\/\/127\.0\.9\.9:2380\) was added to the cluster as a voter but has never started: .* the plan removes it first: as an unstarted voter it counts towards quorum without voting\.$/)
  })

  it('fingerprints the live cluster: a different member ID gives a different fingerprint', () => {
    const a = planFor({source: old3, target: new3}, live([]))
    const other = live([])
    const b = planFor({source: old3, target: new3}, {...other, members: other.members.map((m, i) => (i === 0 ? {...m, id: '77'} : m))})
    assert.notEqual(a.observation.fingerprint, b.observation.fingerprint)
    assert.notEqual(a.contentHash, b.contentHash)
  })
})
