// End to end on the lab of separate hosts (real sshd, real etcd 3.4 inside network namespaces): the
// runbook's join (learners, add-first, rolling restart) from etcd1..etcd3 on host A to etcd4..etcd6 on
// host B with nodes.provider manual, through the CLI. etcdplan touches no host: every host action
// stops `etcdplan apply SPEC --json` with exit code 3 and an operator-needed event carrying the
// instructions. The test acts as the operator: it finds the member's host from the step (the
// instructions name it), runs each ```sh block of the instructions INSIDE that host (sh -e, as
// pasted), and runs `etcdplan apply SPEC --json --confirm STEP_ID`, until the migration is done.
// Proves: it ends with exactly the target, every key, host B's configs as planned, the old members
// stopped, and every host action of the target members was the operator's, on host B; a false
// confirmation — `--confirm start-member/etcd5` without starting etcd5 — is caught by what the
// cluster shows (exit 1, a clear message naming the step and the member), nothing beyond that step
// is taken, and the next apply asks for the start again; nothing is written in the machine's real
// /etc/etcd, /var/lib/etcd, /var/lib/etcdplan.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import {runbookHostsSpec} from '../../lab/hosts-layout.js'
import {manualPidFile} from '../../src/nodes/manual-provider.js'
import type {MemberSpec} from '../../src/spec/types.js'
import {RUNBOOK_JOIN, writeAndLoadSpec} from '../fixtures/lab-cluster.js'
import {startHostsCluster, type HostsCluster, realHostDirs} from '../fixtures/hosts-cluster.js'
import {shellBlocks} from '../fixtures/operator-commands.js'
import {jsonEvents, runCliAsync, type AsyncCliResult} from '../fixtures/run-cli-async.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, assertJournalComplete, explain, readJournal, readSavedPlan} from './migration-assertions.js'

const NAME = 'manual-hosts'
const KEYS = {count: 2000, valueBytes: 512, prefix: '/e2e/manual-hosts/keys/'}
// health bounds how long a confirmed start may take to show in the cluster (and so the false confirmation's wait).
const TIMEOUTS = {catchUp: '2m', health: '15s', step: '60s'}
const FALSE_CONFIRM = 'start-member/etcd5'
/** More than the plan's host steps: a loop that does not end is a failure, not a hang. */
const MAX_ROUNDS = 40
const HOST_KINDS = ['write-config', 'start-member', 'rewrite-config', 'restart-member'] as const


test('the runbook join across hosts with nodes.provider manual: the operator runs each printed block inside its host and --confirms it; a false --confirm is caught', {timeout: 480_000}, async (t) => {
  let cluster: HostsCluster | null = null
  try {
    const before = await realHostDirs()
    cluster = await startHostsCluster({name: NAME, spec: {join: RUNBOOK_JOIN, timeouts: TIMEOUTS}, keys: KEYS})
    const {lab, dir} = cluster
    const hostB = lab.host('b')
    // The same migration, now with nodes.provider manual (the fixture started the source with ssh).
    const {spec, path: specPath} = await writeAndLoadSpec({
      ...runbookHostsSpec(lab, {name: NAME, dir, join: RUNBOOK_JOIN, timeouts: TIMEOUTS}),
      nodes: {provider: 'manual', manual: {}},
      fileName: `${NAME}-manual.yaml`,
    })
    assert.equal(spec.nodes.provider, 'manual')
    const members = new Map<string, MemberSpec>([...spec.source.members, ...spec.target.members].map((m) => [m.name, m]))
    const apply = async (confirm: string | null): Promise<AsyncCliResult> => {
      const args = ['apply', specPath, '--json', ...(confirm === null ? ['--auto-approve'] : ['--confirm', confirm])]
      const result = await runCliAsync(args, {cwd: dir, timeoutMs: 240_000})
      applyMs += result.durationMs
      return result
    }
    let applyMs = 0
    let applies = 0

    const operatorSteps: Array<{id: string; host: string}> = []
    let confirm: string | null = null
    let falseConfirmCaught = false
    for (let round = 0; ; round++) {
      assert.ok(round < MAX_ROUNDS, `no end after ${MAX_ROUNDS} applies; operator steps so far: ${operatorSteps.map((s) => s.id).join(', ')}`)
      const result = await apply(confirm)
      applies++
      if (result.status === 0) break
      assert.equal(result.status, 3, explain(result))
      // Exit 3: the operator-needed event with the instructions; the journal waits for the operator.
      const needed = jsonEvents(result.stdout).filter((e) => e.type === 'operator-needed')
      assert.equal(needed.length, 1, explain(result))
      const id = String(needed[0]!.id)
      const instructions = String(needed[0]!.instructions)
      assert.equal((await readJournal(dir, NAME)).status, 'waiting-for-operator')
      // The member's host: the step names the member, the spec its host, and the instructions say it.
      const member = members.get(id.split('/')[1] ?? '')
      assert.ok(member !== undefined, `operator step ${id} names no member of the spec`)
      assert.ok(instructions.includes(`On ${member.name}'s host (${member.host})`), `the instructions of ${id} do not name ${member.name}'s host ${member.host}:\n${instructions}`)
      const host = lab.hosts.find((h) => h.address === member.host)
      assert.ok(host !== undefined, `${member.name}'s host ${member.host} is no lab host`)
      const blocks = shellBlocks(instructions)
      assert.ok(blocks.length > 0, `no commands in the instructions of ${id}:\n${instructions}`)
      operatorSteps.push({id, host: host.name})

      if (id === FALSE_CONFIRM && !falseConfirmCaught) {
        // The operator confirms without having started etcd5: the cluster shows it unstarted.
        const lied = await apply(FALSE_CONFIRM)
        applies++
        assert.equal(lied.status, 1, explain(lied))
        const events = jsonEvents(lied.stdout)
        assert.deepEqual(events.filter((e) => e.type === 'step-failed').map((e) => e.id), [FALSE_CONFIRM], explain(lied))
        const error = events.find((e) => e.type === 'error')?.error as {message?: string; hint?: string; stepId?: string} | undefined
        assert.equal(error?.stepId, FALSE_CONFIRM, explain(lied))
        assert.match(error?.message ?? '', /start-member\/etcd5 was confirmed, but etcd5 is not running as planned: 15 s later the member list shows it unstarted \(it has not published its name\)\. Nothing beyond this step was done\.$/)
        assert.match(error?.hint ?? '', /start etcd for etcd5 on its host as the instructions said .*--confirm start-member\/etcd5$/)
        const plan = await readSavedPlan(dir, NAME)
        const after = await readJournal(dir, NAME)
        assert.equal(after.steps.find((s) => s.id === FALSE_CONFIRM)?.status, 'failed')
        for (const step of plan.steps.slice(plan.steps.findIndex((s) => s.id === FALSE_CONFIRM) + 1)) {
          assert.equal(after.steps.find((s) => s.id === step.id)?.status, 'pending', `${step.id} was taken after the false confirmation`)
        }
        assert.equal((await hostB.exec(['test', '-e', manualPidFile(member)])).status, 1, 'etcd5 was started although the operator did nothing')
        falseConfirmCaught = true
        // The next run (no --confirm) asks again: the start is still the operator's to do.
        confirm = null
        continue
      }
      t.diagnostic(`operator does ${id} on host ${host.name}`)
      for (const block of blocks) {
        const ran: {status: number | null; stdout: string; stderr: string} = await host.exec(['sh', '-e', '-c', block], {timeoutMs: 60_000})
        assert.equal(ran.status, 0, `the operator's commands for ${id} failed on host ${host.name}:\n${block}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`)
      }
      confirm = id
    }
    t.diagnostic(`${applies} applies, ${Math.round(applyMs)} ms of apply wall time in all; operator steps: ${operatorSteps.map((s) => `${s.id}@${s.host}`).join(', ')}`)

    assert.ok(falseConfirmCaught, `the plan never stopped at ${FALSE_CONFIRM}: ${operatorSteps.map((s) => s.id).join(', ')}`)
    const plan = await readSavedPlan(dir, NAME)
    assertJournalComplete(await readJournal(dir, NAME), plan)
    // Every host action of the join was the operator's, on the member's host (host B for the target).
    for (const m of spec.target.members) {
      for (const kind of HOST_KINDS) {
        const id = `${kind}/${m.name}`
        if (plan.steps.some((step) => step.id === id)) assert.ok(operatorSteps.some((s) => s.id === id && s.host === 'b'), `${id} was not done by the operator on host b: ${JSON.stringify(operatorSteps)}`)
      }
      // Running from the operator's pid file on host B.
      const pid = Number((await readFile(hostB.rootOf(manualPidFile(m)), 'utf8')).trim())
      const cmdline = (await hostB.exec(['cat', `/proc/${pid}/cmdline`])).stdout.split('\0')
      assert.deepEqual(cmdline.slice(1, 3), ['--config-file', m.configFile], `${m.name}'s pid file on host b names no etcd of its config`)
    }
    // Fencing each removed member is the operator's too, on its own host (host A); nothing else is done there.
    for (const m of spec.source.members) {
      assert.ok(operatorSteps.some((s) => s.id === `fence-member/${m.name}` && s.host === 'a'), `fence-member/${m.name} was not done by the operator on host a: ${JSON.stringify(operatorSteps)}`)
      assert.equal((await lab.host('a').exec(['test', '-e', m.configFile])).status, 1, `${m.name}'s config is still in place on host a after its fence`)
    }
    assert.deepEqual(operatorSteps.filter((s) => s.host !== 'b' && !s.id.startsWith('fence-member/')), [], 'an operator step on another host than b')

    const targetURLs = spec.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, spec.target.members)
    await assertDataIntact(targetURLs, KEYS)
    await assertConfigsMatchPlan(plan, spec.target.members, (m) => readFile(hostB.rootOf(m.configFile), 'utf8'))
    // The old members stopped (shut themselves down once removed) on host A.
    for (const m of spec.source.members) assert.equal(await cluster.provider.isRunning(m), false, `${m.name} still runs on host a`)

    // Nothing written outside the hosts' own directories.
    assert.deepEqual(await realHostDirs(), before)
  } finally {
    await cluster?.close()
  }
})
