// End to end, against real etcd (3.4) on loopback: the runbook's 3 → 3 join (learners, add-first,
// rolling restart) driven by nodes.provider manual. etcdplan touches no host: every write-config,
// start, rewrite-config and restart stops the apply for the operator (the exit-3 path: an
// operator-needed event with the instructions, the journal waiting-for-operator). The test acts as
// the operator: it takes the instructions from the event, runs the shell commands they print with
// /bin/sh, and applies again with --confirm STEP_ID, until the migration is done. Proves: it ends with
// exactly the target, every key, and the configs the plan wrote; and a false confirmation — `--confirm
// start-member/etcd5` without starting etcd5 — is caught by what the cluster shows, with a clear
// message, and nothing beyond that step is taken; done for real then, the migration goes on.
// Planned and applied in this process (the YAML loader does not take nodes.manual yet): the same
// planner, applier and --json events as the CLI. Every etcd started here (by the lab or by the
// operator's commands) is stopped in `finally` (by pid file or its config file's command line),
// and the temp dir removed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Spec} from '../../src/spec/types.js'
import {pickLoopbackHosts} from '../../lab/loopback-hosts.js'
import {namedMembers} from '../../lab/migration-spec.js'
import {removeLab, RUNBOOK_JOIN, startedSpecCluster} from '../fixtures/lab-cluster.js'
import {applyInProcess, explainApply, planLive} from '../fixtures/apply-in-process.js'
import {runAsOperator, shellBlocks} from '../fixtures/operator-commands.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, assertJournalComplete, readJournal} from './migration-assertions.js'

const NAME = 'manual-join'
const KEYS = {count: 500, valueBytes: 256, prefix: '/e2e/manual/keys/'}
// health bounds how long a confirmed start may take to show in the cluster (and so the false confirmation's wait).
const TIMEOUTS = {catchUp: '2m', health: '15s', step: '30s'}
const FALSE_CONFIRM = 'start-member/etcd5'
/** More than the plan's host steps: a loop that does not end is a failure, not a hang. */
const MAX_ROUNDS = 40

test('the runbook 3 → 3 join through nodes.provider manual: the operator runs the printed commands, --confirm each, a false --confirm is caught', {timeout: 400_000}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-e2e-manual-'))
  let spec: Spec | null = null
  try {
    const members = namedMembers('etcd', await pickLoopbackHosts(6))
    const started = await startedSpecCluster({name: NAME, dir, source: members.slice(0, 3), target: members.slice(3), join: RUNBOOK_JOIN, timeouts: TIMEOUTS}, KEYS)
    spec = started.spec // the cleanup (lab's local provider) stops every member, the operator's too
    const s: Spec = {...started.spec, nodes: {...started.spec.nodes, provider: 'manual'}}
    const plan = await planLive(s, started.path)
    const journalPath = join(dir, '.etcdplan', NAME, 'state.json')

    const operatorSteps: string[] = []
    let confirms: string[] = []
    let falseConfirmCaught = false
    for (let round = 0; ; round++) {
      assert.ok(round < MAX_ROUNDS, `no end after ${MAX_ROUNDS} applies; operator steps so far: ${operatorSteps.join(', ')}`)
      const result = await applyInProcess(plan, s, journalPath, confirms)
      if (result.status === 'complete') break
      if (result.status === 'failed') {
        assert.fail(`apply failed:\n${explainApply(result)}`)
      }
      // Exit 3: the event --json prints, with the instructions; the journal waits for the operator.
      const needed = result.events.filter((e) => e.type === 'operator-needed')
      assert.equal(needed.length, 1, explainApply(result))
      const event = needed[0] as {id: string; instructions: string}
      assert.equal(event.id, result.stepId)
      assert.equal(event.instructions, result.instructions)
      assert.ok(shellBlocks(event.instructions).length > 0, `no commands in the instructions of ${event.id}:\n${event.instructions}`)
      const journal = await readJournal(dir, NAME)
      assert.equal(journal.status, 'waiting-for-operator')
      operatorSteps.push(event.id)

      if (event.id === FALSE_CONFIRM && !falseConfirmCaught) {
        // The operator confirms without having started etcd5: the cluster shows it unstarted.
        const lied = await applyInProcess(plan, s, journalPath, [FALSE_CONFIRM])
        assert.equal(lied.status, 'failed', explainApply(lied))
        assert.ok(lied.status === 'failed')
        assert.equal(lied.error.stepId, FALSE_CONFIRM)
        assert.match(lied.error.reason, /^start-member\/etcd5 was confirmed, but etcd5 is not running as planned: 15 s later the member list shows it unstarted \(it has not published its name\)\. Nothing beyond this step was done\.$/)
        assert.match(lied.error.hint ?? '', /start etcd for etcd5 on its host as the instructions said .*--confirm start-member\/etcd5$/)
        const after = await readJournal(dir, NAME)
        assert.equal(after.steps.find((step) => step.id === FALSE_CONFIRM)?.status, 'failed')
        for (const step of plan.steps.slice(plan.steps.findIndex((x) => x.id === FALSE_CONFIRM) + 1)) {
          assert.equal(after.steps.find((r) => r.id === step.id)?.status, 'pending', `${step.id} was taken after the false confirmation`)
        }
        falseConfirmCaught = true
        // The next run (no --confirm) asks again: the start is still the operator's to do.
        confirms = []
        continue
      }
      t.diagnostic(`operator does ${event.id}`)
      runAsOperator(event.instructions)
      confirms = [event.id]
    }

    assert.ok(falseConfirmCaught, `the plan never stopped at ${FALSE_CONFIRM}: ${operatorSteps.join(', ')}`)
    // Every host action of the join was the operator's.
    for (const m of s.target.members) {
      for (const kind of ['write-config', 'start-member', 'rewrite-config', 'restart-member']) {
        const id = `${kind}/${m.name}`
        if (plan.steps.some((step) => step.id === id)) assert.ok(operatorSteps.includes(id), `${id} did not stop for the operator: ${operatorSteps.join(', ')}`)
      }
    }
    const targetURLs = s.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, s.target.members)
    await assertDataIntact(targetURLs, KEYS)
    await assertConfigsMatchPlan(plan, s.target.members)
    assertJournalComplete(await readJournal(dir, NAME), plan)
  } finally {
    await removeLab(dir, spec)
  }
})
