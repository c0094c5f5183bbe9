// End to end, against real etcd (3.4.23) on loopback: a source member dies in the middle of a
// migration. The runbook's 3 → 3 (disjoint) migration with 2,000 keys and timeouts.health of 15 s;
// the failpoint hook SIGKILLs a source member that does not lead (by the local provider's pid file)
// the moment add-learner/etcd5 starts, after etcd4 has joined as a voter. Proves both halves:
// - the apply stops at add-learner/etcd5 once the member has been down for timeouts.health, naming
//   it (name, client URL, its error), with the quorum arithmetic, saying the step changed nothing
//   and what to do; no membership change happens after the stop (the member list equals the one
//   observed right after it), the journal stops at that step, and the cluster still takes writes;
// - once the member is started again (from its existing config and data), the same apply finishes:
//   exactly the target members, every key present, journal complete.
// Every etcd started here is stopped in `finally`, and the temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import {localProvider} from '../../lab/local-cluster.js'
import {bulkClient} from '../../lab/load-keys.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {startedSpecCluster} from '../fixtures/lab-cluster.js'
import {startFailpointHook, type FailpointAnswer, type FailpointHook} from '../fixtures/failpoint-hook.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {waitForHealth} from '../fixtures/wait-for-health.js'
import {assertFailedAt, assertJournalStoppedAt, assertResumesToTarget, cleanUpLab, membership, pidOf} from './faults-fixture.js'
import {explain, observeLive, readJournal} from './migration-assertions.js'

/** observeLive, tried again for a while: reading the member list needs a leader, and an election can be under way. */
async function observeWithRetry(urls: readonly string[]): Promise<LiveCluster> {
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      return await observeLive(urls)
    } catch (error) {
      if (Date.now() >= deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

const NAME = 'source-down'
const KEYS = {count: 2000, valueBytes: 1024, prefix: '/e2e/source-down/keys/'}

test('a source member down mid-migration: apply stops before the next membership change, naming it; once it is back the same apply finishes', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-source-down-'))
  let spec: Spec | null = null
  let hook: FailpointHook | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const started = await startedSpecCluster(
      {name: NAME, dir, source: members.slice(0, 3), target: members.slice(3), join: {rollingRestart: false}, timeouts: {catchUp: '60s', health: '15s', step: '60s'}},
      KEYS,
    )
    spec = started.spec
    const s = spec
    const allURLs = [...s.source.members, ...s.target.members].map((m) => m.clientURL)
    const stopAt = 'add-learner/etcd5'
    let stopped: MemberSpec | null = null
    let afterStop: ReturnType<typeof membership> | null = null

    hook = await startFailpointHook(dir, async (call): Promise<FailpointAnswer> => {
      if (call.point !== 'step-running' || call.step !== stopAt || stopped !== null) return 'continue'
      const before = await observeWithRetry(allURLs)
      const victim = s.source.members.find((m) => before.members.some((o) => o.peerURLs.includes(m.peerURL) && o.id !== before.leaderId))
      assert.ok(victim, 'no source member that does not lead')
      process.kill(await pidOf(s, victim), 'SIGKILL')
      stopped = victim
      // The membership right after the stop (3 of 4 voters run: a leader remains, or is elected again).
      afterStop = membership(await observeWithRetry(allURLs))
      return 'continue'
    })
    const first = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, env: hook.env, timeoutMs: 240_000})
    t.diagnostic(`first run: exit ${first.status} after ${Math.round(first.durationMs)} ms`)
    const victim = stopped as MemberSpec | null
    assert.ok(victim !== null && afterStop !== null, `the hook never stopped a source member:\n${explain(first)}`)
    t.diagnostic(`stopped ${victim.name}`)

    const {message, hint} = assertFailedAt(first, stopAt)
    t.diagnostic(`error: ${message}\nhint: ${hint}`)
    assert.match(message, new RegExp(`${victim.name} is unhealthy \\(for \\d+ s, timeouts\\.health is 15 s\\), so etcdplan stopped before adding etcd5 as a learner`))
    assert.ok(message.includes(`${victim.name} (${victim.clientURL}): does not answer (`), message)
    assert.match(message, /Healthy voters: 3 of 4 now; after adding etcd5 as a learner: 3 of 4, quorum needs 3 \(it would keep quorum, but could not lose one more member\)/)
    assert.match(message, /This step changed nothing\.$/)
    assert.match(hint, new RegExp(`^start or fix ${victim.name} .*check with \`etcdplan status ${started.path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\` that every member is healthy, then run the same apply again`))
    // It said so while it waited, too.
    const waits = jsonEvents(first.stdout).filter((e) => e.type === 'step-wait' && e.id === stopAt).map((e) => String(e['reason']))
    assert.ok(waits.some((w) => w.startsWith(`waiting up to 15 s (timeouts.health) for ${victim.name} to be healthy before adding etcd5 as a learner`)), waits.join('\n'))

    // No membership change after the stop; the journal stops at the step; the others still take writes.
    assert.deepEqual(membership(await observeWithRetry(allURLs)), afterStop)
    assertJournalStoppedAt(await readJournal(dir, NAME), stopAt)
    const client = bulkClient(allURLs.filter((url) => url !== victim.clientURL))
    try {
      await client.put('/e2e/source-down/while-down').value('ok')
    } finally {
      client.close()
    }

    // The member comes back, from its existing config and data dir; the same apply finishes.
    await localProvider(s).start(victim, victim.configFile)
    assert.match(await waitForHealth(victim.clientURL, 30_000), /"health":"true"/)
    await assertResumesToTarget(t, dir, s, started.path, {startsAt: stopAt, keys: KEYS})
  } finally {
    await hook?.close()
    await cleanUpLab(t, dir, spec)
  }
})
