// End to end, against real etcd (3.4.23) on loopback: the new member is cut off while it catches up.
// A 3 → 3 migration (etcd3 replaced by etcd4) with 2,000 keys and timeouts.catchUp of 5 s; the
// failpoint hook freezes etcd4 (SIGSTOP, by the local provider's pid file) at the moment
// wait-caught-up/etcd4 starts, so it answers nobody, as if its network were cut. Proves: the apply
// stops at wait-caught-up/etcd4 with a message naming etcd4, its client URL, the timeout, why (it
// does not answer Status) and what to do; no step beyond is taken (no promote: etcd4 is still a
// learner; the journal records the step failed and every later step pending); the cluster keeps its
// quorum. After SIGCONT, the same apply finishes: exactly the target, every key present. Every etcd
// started here is stopped in `finally` (continued first), and the temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {startedSpecCluster} from '../fixtures/lab-cluster.js'
import {startFailpointHook, type FailpointAnswer, type FailpointHook} from '../fixtures/failpoint-hook.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertFailedAt, assertJournalStoppedAt, assertQuorumKept, assertResumesToTarget, cleanUpLab, memberOf, pidOf} from './faults-fixture.js'
import {explain, readJournal} from './migration-assertions.js'

const NAME = 'catch-up-cut'
const KEYS = {count: 2000, valueBytes: 1024, prefix: '/e2e/catch-up-cut/keys/'}

test('a new member cut off during catch-up: wait-caught-up stops with a clear message, nothing beyond; after it is back the same apply finishes', {timeout: 240_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-catchup-'))
  let spec: Spec | null = null
  let hook: FailpointHook | null = null
  let frozen: number | null = null
  try {
    const [etcd1, etcd2, etcd3, etcd4] = namedMembers('etcd', await pickLoopbackHosts(4))
    const started = await startedSpecCluster(
      {name: NAME, dir, source: [etcd1!, etcd2!, etcd3!], target: [etcd1!, etcd2!, etcd4!], join: {rollingRestart: false}, timeouts: {catchUp: '5s', health: '60s', step: '60s'}},
      KEYS,
    )
    spec = started.spec
    const s = spec
    const newMember = memberOf(s, 'etcd4')
    const stepId = 'wait-caught-up/etcd4'

    hook = await startFailpointHook(dir, async (call): Promise<FailpointAnswer> => {
      if (call.point === 'step-running' && call.step === stepId && frozen === null) {
        frozen = await pidOf(s, newMember)
        process.kill(frozen, 'SIGSTOP')
      }
      return 'continue'
    })
    const first = await runCliAsync(['apply', started.path, '--auto-approve', '--json'], {cwd: dir, env: hook.env, timeoutMs: 180_000})
    t.diagnostic(`first run: exit ${first.status} after ${Math.round(first.durationMs)} ms`)
    assert.ok(frozen !== null, `the hook never froze etcd4:\n${explain(first)}`)

    const {message, hint} = assertFailedAt(first, stepId)
    t.diagnostic(`error: ${message}\nhint: ${hint}`)
    assert.match(message, new RegExp(`etcd4 \\(${newMember.clientURL}\\) did not catch up within 5 s \\(timeouts\\.catchUp\\)`))
    assert.match(message, /it has not reported a usable status for \d+ s: it does not answer Status/)
    assert.match(message, /etcd4 is still a learner: it does not vote, so the cluster's quorum does not depend on it, and it was not promoted/)
    assert.match(hint, /check that etcd for etcd4 is running and can reach the leader/)
    assert.match(hint, /run the same apply again: it resumes waiting at this step/)
    // While it waited, it said what it was waiting for.
    const waits = jsonEvents(first.stdout).filter((e) => e.type === 'step-wait' && e.id === stepId).map((e) => String(e['reason']))
    assert.ok(waits.some((w) => /waiting for etcd4 to report its status: it does not answer Status/.test(w)), waits.join('\n'))

    // Nothing beyond: etcd4 is still a learner, the journal stops there; the cluster keeps its quorum.
    assertJournalStoppedAt(await readJournal(dir, NAME), stepId)
    await assertQuorumKept(s.source.members, {member: newMember, unstarted: false})

    // Back on the network: the same apply finishes.
    process.kill(frozen, 'SIGCONT')
    frozen = null
    hook.decide = () => 'continue'
    await assertResumesToTarget(t, dir, s, started.path, {startsAt: stepId, keys: KEYS})
  } finally {
    try {
      if (frozen !== null) process.kill(frozen, 'SIGCONT')
    } catch {
      // gone already
    }
    await hook?.close()
    await cleanUpLab(t, dir, spec)
  }
})
