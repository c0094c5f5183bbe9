// `etcdplan diff` on plans made against a real cluster (etcd 3.4.23 on loopback) that moved between
// them: first the leader moved (etcd's MoveLeader, as an operator or a flaky network does), then a
// learner was added by hand with etcdctl. The diff names the leader change (the fingerprint stays:
// it covers membership and versions, not the leader) and the removals the planner reordered (it
// removes the leader last); then the new fingerprint, the added member and the step that removes it.
// Member IDs and loopback addresses vary between runs, so the output's structure is asserted here;
// the byte-exact goldens are the offline pairs (diff-plans.test.ts). Every etcd is stopped in `after`.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import type {PlanDiff} from '../../src/diff/plan-diff.js'
import {PEER_PORT, pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, useLabCluster} from '../fixtures/lab-cluster.js'
import {moveLeader} from '../fixtures/move-leader.js'
import {addLearnerByHand} from '../fixtures/add-learner-by-hand.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {explain, observeLive} from '../apply/migration-assertions.js'

let strayPeerURL = ''

const lab = useLabCluster(
  'etcdplan-diff-live-',
  async (dir) => {
    const hosts = await pickLoopbackHosts(7)
    const members = namedMembers('etcd', hosts.slice(0, 6))
    strayPeerURL = `http://${hosts[6]}:${PEER_PORT}`
    return {name: 'moved', dir, source: members.slice(0, 3), target: members.slice(3), timeouts: E2E_TIMEOUTS}
  },
  {start: true},
)

async function plan(file: string): Promise<void> {
  const r = await runCliAsync(['plan', lab.specPath, '-o', file], {cwd: lab.dir, timeoutMs: 60_000})
  assert.equal(r.status, 0, explain(r))
}

async function diff(oldFile: string, newFile: string): Promise<{json: PlanDiff; text: string}> {
  const json = await runCliAsync(['diff', oldFile, newFile, '--json'], {cwd: lab.dir, timeoutMs: 30_000})
  assert.equal(json.status, 1, explain(json))
  const text = await runCliAsync(['diff', oldFile, newFile, '--no-color'], {cwd: lab.dir, timeoutMs: 30_000})
  assert.equal(text.status, 1, explain(text))
  return {json: JSON.parse(json.stdout) as PlanDiff, text: text.stdout}
}

test('a cluster that moved between two plans: the leader, then a member added by hand', {timeout: 180_000}, async (t) => {
  await plan('first.plan.json')
  const first = await observeLive(lab.sourceURLs())
  const move = await moveLeader(lab.sourceURLs())
  assert.ok(move.moved, move.moved ? '' : move.why)
  assert.equal(move.from, first.members.find((m) => m.id === first.leaderId)?.name)
  await plan('leader-moved.plan.json')

  const moved = await diff('first.plan.json', 'leader-moved.plan.json')
  t.diagnostic(moved.text)
  assert.deepEqual(moved.json.observation.leader, {old: move.from, new: move.to})
  assert.equal(moved.json.observation.fingerprint, null, 'the fingerprint covers the membership, which did not change')
  assert.equal(moved.json.specHash, null)
  // The planner removes the leader last: the old leader's removal comes earlier now, or the new one's later.
  const reordered = moved.json.steps.moved.map((m) => m.id)
  assert.ok(reordered.some((id) => id === `remove-member/${move.from}` || id === `remove-member/${move.to}`), reordered.join(', '))
  assert.deepEqual([moved.json.steps.added, moved.json.steps.removed], [[], []])
  assert.match(moved.text, new RegExp(`leader: ${move.from} → ${move.to}`))
  assert.match(moved.text, /Observed cluster: same fingerprint:/)

  await addLearnerByHand(lab.sourceURLs(), 'stray', strayPeerURL)
  await plan('member-added.plan.json')
  const added = await diff('leader-moved.plan.json', 'member-added.plan.json')
  t.diagnostic(added.text)
  assert.notEqual(added.json.observation.fingerprint, null, 'a new member changes the fingerprint')
  assert.deepEqual(added.json.observation.membersAdded.map((m) => m.peerURLs), [[strayPeerURL]])
  assert.equal(added.json.observation.membersAdded[0]!.name, '', 'etcd lists a member that never started without a name')
  assert.ok(added.json.steps.added.some((a) => a.id.startsWith('remove-member/')), added.json.steps.added.map((a) => a.id).join(', '))
  assert.ok(added.json.warnings.added.length > 0, 'the plan warns about the member that never started')
  assert.match(added.text, new RegExp(`\\+ member [0-9a-f]+ ${strayPeerURL.replace(/[.:/]/g, '\\$&')}`))
})
