// The run-time gates decide from one observation: these pin the etcd rules they encode.
import assert from 'node:assert/strict'
import {test} from 'node:test'
import {StepFailedError} from '../../src/apply/apply-errors.js'
import {describeQuorum, describeSickVoter, isCaughtUp, keepsQuorumWithout, laggingMembers, memberWithPeerURL, unhealthyVoters, VoterHealthGate, voterHealth} from '../../src/apply/cluster-gates.js'
import {liveCluster} from './live-cluster-builder.js'

const three = [
  {name: 'etcd1', host: '127.0.1.1'},
  {name: 'etcd2', host: '127.0.1.2'},
  {name: 'etcd3', host: '127.0.1.3'},
]

test('a voter that does not answer is unhealthy; a learner never counts as an unhealthy voter', () => {
  const cluster = liveCluster([...three.slice(0, 2), {...three[2]!, down: true}, {name: 'etcd4', host: '127.0.2.1', learner: true, down: true}], {leader: 'etcd1'})
  assert.deepEqual(unhealthyVoters(cluster).map((m) => m.name), ['etcd3'])
})

test('caught up = applied index within the tolerance of the leader\'s committed index', () => {
  const cluster = liveCluster([...three, {name: 'etcd4', host: '127.0.2.1', learner: true, applied: 350}], {leader: 'etcd1', leaderIndex: 500})
  const learner = memberWithPeerURL(cluster, 'http://127.0.2.1:2380')!
  assert.equal(isCaughtUp(cluster, learner, 100), false)
  assert.equal(isCaughtUp(cluster, learner, 150), true)
  assert.deepEqual(laggingMembers(cluster, 100).map((m) => m.name), ['etcd4'])
})

test('removing a voter keeps quorum only with enough healthy voters left', () => {
  const healthy = liveCluster(three, {leader: 'etcd1'})
  const etcd3 = memberWithPeerURL(healthy, 'http://127.0.1.3:2380')!
  assert.deepEqual(keepsQuorumWithout(healthy, etcd3, 2), {ok: true, healthy: 2, needed: 2})
  const oneDown = liveCluster([three[0]!, {...three[1]!, down: true}, three[2]!], {leader: 'etcd1'})
  const target = memberWithPeerURL(oneDown, 'http://127.0.1.3:2380')!
  assert.deepEqual(keepsQuorumWithout(oneDown, target, 2), {ok: false, healthy: 1, needed: 2})
})

// The health gate before a membership change (add, promote, remove): it waits for a sick voter up to
// timeouts.health, then stops with the member, its client URL and error, the quorum arithmetic and
// what to do, having changed nothing.

const four = [...three, {name: 'etcd4', host: '127.0.2.1'}]

function clock(start = 1_000_000): {now: () => number; advance: (ms: number) => void} {
  let t = start
  return {now: () => t, advance: (ms) => (t += ms)}
}

test('voterHealth: the quorum arithmetic of each kind of change', () => {
  const oneDown = liveCluster([three[0]!, {...three[1]!, down: true}, three[2]!, {name: 'etcd4', host: '127.0.2.1', learner: true}], {leader: 'etcd1'})
  const learner = memberWithPeerURL(oneDown, 'http://127.0.2.1:2380')!
  const etcd1 = memberWithPeerURL(oneDown, 'http://127.0.1.1:2380')!
  const etcd2 = memberWithPeerURL(oneDown, 'http://127.0.1.2:2380')!
  const pick = (h: ReturnType<typeof voterHealth>) => [h.sick.map((m) => m.name), h.healthyNow, h.votersNow, h.healthyAfter, h.votersAfter, h.quorumAfter]
  assert.deepEqual(pick(voterHealth(oneDown, {kind: 'add-learner', name: 'etcd5'})), [['etcd2'], 2, 3, 2, 3, 2])
  // An added voter counts towards quorum before it can vote.
  assert.deepEqual(pick(voterHealth(oneDown, {kind: 'add-voter', name: 'etcd5'})), [['etcd2'], 2, 3, 2, 4, 3])
  assert.deepEqual(pick(voterHealth(oneDown, {kind: 'promote', member: learner})), [['etcd2'], 2, 3, 3, 4, 3])
  assert.deepEqual(pick(voterHealth(oneDown, {kind: 'remove', member: etcd1})), [['etcd2'], 2, 3, 1, 2, 2])
  // Removing the sick member itself relies on the others only.
  assert.deepEqual(pick(voterHealth(oneDown, {kind: 'remove', member: etcd2})), [[], 2, 3, 2, 2, 2])
  // A restart keeps the membership but takes the member down for a moment: one healthy voter fewer.
  assert.deepEqual(pick(voterHealth(oneDown, {kind: 'restart', member: etcd1})), [['etcd2'], 2, 3, 1, 3, 2])
  assert.deepEqual(pick(voterHealth(oneDown, {kind: 'restart', member: etcd2})), [[], 2, 3, 2, 3, 2])
})

test('VoterHealthGate before a restart: stops naming the other sick voter and that the restart would lose quorum', () => {
  const t = {ms: 0, now: () => t.ms}
  const oneDown = liveCluster([three[0]!, {...three[1]!, down: true}, three[2]!], {leader: 'etcd1'})
  const etcd3 = memberWithPeerURL(oneDown, 'http://127.0.1.3:2380')!
  const gate = new VoterHealthGate('restart-member/etcd3', 1_000, 'etcdplan status s.yaml', t.now)
  assert.match(gate.check(oneDown, {kind: 'restart', member: etcd3})?.wait ?? '', /before restarting etcd3/)
  t.ms = 1_000
  assert.throws(() => gate.check(oneDown, {kind: 'restart', member: etcd3}), (error: unknown) => error instanceof StepFailedError && /stopped before restarting etcd3: etcd2 \(/.test(error.message) && /after restarting etcd3: 1 of 3, quorum needs 2 \(fewer healthy voters than quorum needs/.test(error.message))
})

test('describeQuorum says whether the change keeps quorum, and with how much to spare', () => {
  const oneDown = liveCluster([three[0]!, {...three[1]!, down: true}, three[2]!], {leader: 'etcd1'})
  const etcd1 = memberWithPeerURL(oneDown, 'http://127.0.1.1:2380')!
  const remove = {kind: 'remove', member: etcd1} as const
  assert.equal(
    describeQuorum(voterHealth(oneDown, remove), remove),
    'healthy voters: 2 of 3 now; after removing etcd1: 1 of 2, quorum needs 2 (fewer healthy voters than quorum needs: the cluster would stop accepting writes)',
  )
  const add = {kind: 'add-learner', name: 'etcd5'} as const
  assert.match(describeQuorum(voterHealth(oneDown, add), add), /after adding etcd5 as a learner: 2 of 3, quorum needs 2 \(it would keep quorum, but could not lose one more member\)/)
  const fiveOneDown = liveCluster([...four, {name: 'etcd5', host: '127.0.2.2'}].map((m) => (m.name === 'etcd3' ? {...m, down: true} : m)), {leader: 'etcd1'})
  assert.match(describeQuorum(voterHealth(fiveOneDown, add), add), /4 of 5, quorum needs 3 \(it would keep quorum with 1 healthy voter to spare\)/)
})

test('describeSickVoter names the member, its client URL and why it is unhealthy', () => {
  const cluster = liveCluster([three[0]!, {...three[1]!, down: true}, three[2]!, {name: 'etcd4', host: '127.0.2.1', started: false}], {leader: 'etcd1'})
  assert.equal(describeSickVoter(cluster, memberWithPeerURL(cluster, 'http://127.0.1.2:2380')!), 'etcd2 (http://127.0.1.2:2379): does not answer (connect ECONNREFUSED)')
  // An unstarted member publishes no client URL; it is shown by its ID.
  const unstarted = {...memberWithPeerURL(cluster, 'http://127.0.2.1:2380')!, clientURLs: []}
  assert.equal(describeSickVoter(cluster, unstarted), 'unstarted 3eb: added but never started (the member list shows it unstarted)')
})

test('VoterHealthGate: passes healthy clusters; waits for a sick voter up to the limit, then stops naming it and what to do', () => {
  const t = clock()
  const gate = new VoterHealthGate('add-learner/etcd5', 10_000, 'etcdplan status spec.yaml', t.now)
  const change = {kind: 'add-learner', name: 'etcd5'} as const
  const healthy = liveCluster(four, {leader: 'etcd1'})
  assert.equal(gate.check(healthy, change), null)

  const sick = liveCluster(four.map((m) => (m.name === 'etcd2' ? {...m, down: true} : m)), {leader: 'etcd1'})
  const first = gate.check(sick, change)
  assert.ok(first !== null)
  assert.match(first.wait, /^waiting up to 10 s \(timeouts.health\) for etcd2 to be healthy before adding etcd5 as a learner: etcd2 \(http:\/\/127.0.1.2:2379\): does not answer/)
  assert.match(first.wait, /healthy voters: 3 of 4 now; after adding etcd5 as a learner: 3 of 4, quorum needs 3/)
  t.advance(9_999)
  assert.ok(gate.check(sick, change) !== null)
  t.advance(1)
  assert.throws(
    () => gate.check(sick, change),
    (error: unknown) => {
      assert.ok(error instanceof StepFailedError)
      assert.equal(error.stepId, 'add-learner/etcd5')
      assert.match(error.message, /^step add-learner\/etcd5 failed: etcd2 is unhealthy \(for 10 s, timeouts.health is 10 s\), so etcdplan stopped before adding etcd5 as a learner/)
      assert.match(error.message, /etcd2 \(http:\/\/127\.0\.1\.2:2379\): does not answer \(connect ECONNREFUSED\)/)
      assert.match(error.message, /Healthy voters: 3 of 4 now; after adding etcd5 as a learner: 3 of 4, quorum needs 3 \(it would keep quorum, but could not lose one more member\)/)
      assert.match(error.message, /This step changed nothing\.$/)
      assert.equal(error.hint, 'start or fix etcd2 (see its etcd log), check with `etcdplan status spec.yaml` that every member is healthy, then run the same apply again: it resumes at this step')
      return true
    },
  )
})

test('VoterHealthGate: the wait starts again when the voter recovers; a sent request is not called "nothing changed"', () => {
  const t = clock()
  const gate = new VoterHealthGate('promote/etcd4', 5_000, 'etcdplan status s.yaml', t.now)
  const members = [...three, {name: 'etcd4', host: '127.0.2.1', learner: true}]
  const sick = liveCluster(members.map((m) => (m.name === 'etcd3' ? {...m, down: true} : m)), {leader: 'etcd1'})
  const healthy = liveCluster(members, {leader: 'etcd1'})
  const change = {kind: 'promote', member: memberWithPeerURL(healthy, 'http://127.0.2.1:2380')!} as const
  assert.ok(gate.check(sick, change) !== null)
  t.advance(4_000)
  assert.equal(gate.check(healthy, change), null)
  t.advance(1_000)
  // Sick again: a new wait of the full limit.
  assert.ok(gate.check(sick, change) !== null)
  t.advance(4_999)
  assert.ok(gate.check(sick, change) !== null)
  t.advance(1)
  assert.throws(() => gate.check(sick, change, true), (error: unknown) => error instanceof StepFailedError && /after promoting etcd4: 3 of 4, quorum needs 3/.test(error.message) && /sent its request earlier and its effect is not known yet/.test(error.message) && !/changed nothing/.test(error.message))
})

test('VoterHealthGate before a removal: only the voters that stay count; removing the sick member itself passes', () => {
  const t = clock()
  const gate = new VoterHealthGate('remove-member/etcd1', 1_000, 'etcdplan status s.yaml', t.now)
  const oneDown = liveCluster([three[0]!, {...three[1]!, down: true}, three[2]!], {leader: 'etcd3'})
  assert.equal(gate.check(oneDown, {kind: 'remove', member: memberWithPeerURL(oneDown, 'http://127.0.1.2:2380')!}), null)
  const etcd1 = memberWithPeerURL(oneDown, 'http://127.0.1.1:2380')!
  assert.ok(gate.check(oneDown, {kind: 'remove', member: etcd1}) !== null)
  t.advance(1_000)
  assert.throws(() => gate.check(oneDown, {kind: 'remove', member: etcd1}), (error: unknown) => error instanceof StepFailedError && /after removing etcd1: 1 of 2, quorum needs 2 \(fewer healthy voters than quorum needs/.test(error.message))
})
