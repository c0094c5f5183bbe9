// End to end, against real etcd (3.4.23) on loopback: Ctrl-C (SIGINT) during an apply says where the
// journal stands instead of exiting 130 without a word. A replace-one migration (etcd3 → etcd4) is
// interrupted while the journal records wait-caught-up/etcd4 as running (the failpoint hook holds the
// applier at that point while the test sends SIGINT to its pid): exit 130, and stderr names the step,
// the steps done of the total, the released lock and the resume command. The resumed apply (--json)
// is interrupted again at remove-member/etcd3 and says the same as one JSON line; the third run of the
// same command resumes to exactly the target, with every key. Every etcd started here is stopped.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {access, mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {ChildProcess} from 'node:child_process'
import type {Spec} from '../../src/spec/types.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {E2E_TIMEOUTS, RUNBOOK_JOIN, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {startFailpointHook, type FailpointHook} from '../fixtures/failpoint-hook.js'
import {cleanUpLab} from '../fixtures/leaked-etcd.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, explain, readJournal} from './migration-assertions.js'

const NAME = 'interrupt'
const KEYS = {count: 500, valueBytes: 256, prefix: '/e2e/interrupt/keys/'}

test('Ctrl-C during apply exits 130 saying which step ran, how far the journal is, that the lock is released and how to resume', {timeout: 300_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-interrupt-'))
  let spec: Spec | null = null
  let hook: FailpointHook | null = null
  try {
    const m = namedMembers('etcd', await pickLoopbackHosts(4))
    const started = await startedSpecCluster({name: NAME, dir, source: m.slice(0, 3), target: [m[0]!, m[1]!, m[3]!], join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS}, KEYS)
    spec = started.spec
    hook = await startFailpointHook(dir)
    const h = hook
    let child: ChildProcess | null = null
    /** Hold the applier at `step-running` of `stepId`, send it SIGINT, then let it go on (it handles the signal right after). */
    const interruptAt = (stepId: string) => {
      h.decide = async (call): Promise<'continue'> => {
        if (call.point === 'step-running' && call.step === stepId && child?.pid !== undefined) {
          process.kill(child.pid, 'SIGINT')
          await new Promise((r) => setTimeout(r, 100))
        }
        return 'continue'
      }
    }
    const apply = (json: boolean) =>
      runCliAsync(['apply', started.path, '--auto-approve', ...(json ? ['--json'] : [])], {cwd: dir, env: h.env, timeoutMs: 180_000, onStdoutLine: (_line, c) => (child = c)})

    // Text mode: the paragraph on stderr.
    interruptAt('wait-caught-up/etcd4')
    const first = await apply(false)
    assert.equal(first.status, 130, explain(first))
    t.diagnostic(first.stderr.trim().split('\n').slice(-4).join('\n'))
    const journal = await readJournal(dir, NAME)
    const done = journal.steps.filter((s) => s.status === 'done').length
    assert.equal(journal.steps.find((s) => s.id === 'wait-caught-up/etcd4')?.status, 'running')
    const lockPath = join(dir, '.etcdplan', NAME, 'state.json.lock')
    assert.match(first.stderr, new RegExp(`Interrupted \\(Ctrl-C\\) during wait-caught-up/etcd4\\. The journal \\.etcdplan/${NAME}/state\\.json records ${done} of ${journal.steps.length} steps done\\.`), explain(first))
    assert.match(first.stderr, /wait-caught-up\/etcd4 had started and is not recorded as done: the next apply looks at the cluster first/, explain(first))
    assert.match(first.stderr, /The state lock is released\.\nTo resume, run:\n {2}etcdplan apply \.etcdplan\/interrupt\/plan\.json\n/, explain(first))
    await assert.rejects(access(lockPath), 'the lock outlived the interrupted apply')

    // --json: one JSON line, then the same exit code.
    interruptAt('remove-member/etcd3')
    const second = await apply(true)
    assert.equal(second.status, 130, explain(second))
    const events = jsonEvents(second.stdout)
    assert.ok(events.some((e) => e.type === 'step-skip' && e.id === 'wait-caught-up/etcd4') === false, 'a step that had not finished was skipped')
    const interrupted = events.at(-1)
    assert.equal(interrupted?.type, 'interrupted', explain(second))
    assert.equal(interrupted?.['stepId'], 'remove-member/etcd3')
    assert.equal(interrupted?.['signal'], 'SIGINT')
    assert.equal(interrupted?.['lockReleased'], true)
    assert.equal(interrupted?.['resume'], `etcdplan apply .etcdplan/${NAME}/plan.json`)
    assert.equal(second.stderr.includes('Interrupted'), false, 'with --json the message is the JSON line only')

    // The same command resumes to the end.
    h.decide = () => 'continue'
    const third = await apply(true)
    assert.equal(third.status, 0, explain(third))
    assert.equal(jsonEvents(third.stdout).at(-1)?.type, 'apply-done', explain(third))
    const targetURLs = started.spec.target.members.map((x) => x.clientURL)
    await assertExactMembership(targetURLs, started.spec.target.members)
    await assertDataIntact(targetURLs, KEYS)
    assert.equal((await readJournal(dir, NAME)).status, 'complete')
  } finally {
    try {
      await hook?.close()
    } finally {
      await cleanUpLab(t, dir, spec)
    }
  }
})
