// End to end on the lab of separate hosts (real sshd, real etcd 3.4 inside network namespaces):
// strategy snapshot (the runbook's approach 2) across hosts with nodes.provider ssh. etcd1..etcd3 run
// on host A (the runbook's ports), etcd4..etcd6 are restored onto host B; `etcdplan apply SPEC
// --auto-approve --json` runs outside the hosts. Proves: exit 0; the snapshot is taken through the
// API onto the apply machine, copied to host B into its nodes.ssh.snapshotDir (the same sha256 as
// the apply machine's file) and nowhere else on the shared disk, checked there (snapshot-verify runs
// the tool on host B, from the ssh trace, on the path the restores read, after putting the file
// there; no other copy is left on host B), restored there (each target's data dir on host B carries etcdplan's
// restore mark); the new cluster is exactly the target with a new cluster ID and every key; the old
// members are stopped on host A, their data dirs kept; and nothing is written in the machine's
// real /etc/etcd, /var/lib/etcd, /var/lib/etcdplan.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {readdir, readFile} from 'node:fs/promises'
import {isAbsolute, join, posix} from 'node:path'
import {RESTORED_MARK} from '../../src/nodes/node-provider.js'
import {E2E_TIMEOUTS} from '../fixtures/lab-cluster.js'
import {startHostsCluster, type HostsCluster, realHostDirs} from '../fixtures/hosts-cluster.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertDataIntact, assertExactMembership, assertJournalComplete, explain, observeLive, readJournal, readSavedPlan} from './migration-assertions.js'

const NAME = 'snapshot-hosts'
const KEYS = {count: 3000, valueBytes: 512, prefix: '/e2e/snapshot-hosts/keys/'}
const SNAPSHOT_DIR = '/var/lib/etcdplan/snapshots'


async function sha256Of(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex')
}

test('strategy snapshot across hosts over ssh: taken through the API, copied to host b, checked and restored there — exact target, every key', {timeout: 420_000}, async (t) => {
  let cluster: HostsCluster | null = null
  try {
    const before = await realHostDirs()
    cluster = await startHostsCluster({name: NAME, spec: {strategy: 'snapshot', timeouts: E2E_TIMEOUTS}, keys: KEYS, ssh: {snapshotDir: SNAPSHOT_DIR}})
    const {spec, lab, specPath, dir} = cluster
    const hostA = lab.host('a')
    const hostB = lab.host('b')
    const sourceURLs = spec.source.members.map((m) => m.clientURL)
    const targetURLs = spec.target.members.map((m) => m.clientURL)
    const sourceBefore = await observeLive(sourceURLs)

    const trace = join(dir, 'ssh-trace.txt')
    const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 360_000, env: {ETCDPLAN_SSH_TRACE: trace}})
    t.diagnostic(`snapshot apply across hosts took ${Math.round(result.durationMs)} ms`)
    assert.equal(result.status, 0, explain(result))
    const events = jsonEvents(result.stdout)
    assert.deepEqual(events.filter((e) => e.type === 'step-failed'), [])
    const done = events.filter((e) => e.type === 'step-done')
    t.diagnostic(`steps: ${done.map((e) => `${String(e.id)} ${Math.round(Number(e.elapsedMs ?? 0))}ms`).join(', ')}`)
    const doneIds = done.map((e) => e.id)
    for (const id of ['snapshot-save', 'snapshot-verify', ...spec.target.members.map((m) => `restore-member/${m.name}`), 'verify-data', ...spec.source.members.map((m) => `stop-member/${m.name}`)]) {
      assert.ok(doneIds.includes(id), `${id} ran: ${doneIds.join(', ')}`)
    }

    // Taken through the API onto the apply machine: the plan's path, resolved as the CLI (cwd dir) does.
    const plan = await readSavedPlan(dir, NAME)
    assertJournalComplete(await readJournal(dir, NAME), plan)
    const save = plan.steps.find((s) => s.kind === 'snapshot-save')
    assert.ok(save !== undefined && save.kind === 'snapshot-save')
    const local = isAbsolute(save.path) ? save.path : join(dir, save.path)
    assert.ok(existsSync(local), `the snapshot is not on the apply machine at ${local}`)
    const localSha = await sha256Of(local)
    const saveEvent = done.find((e) => e.id === 'snapshot-save')
    assert.match(String(saveEvent?.outcome), /^saved \d+ bytes from etcd\d at revision \d+ to /)

    // Copied to host B into its snapshotDir, the same bytes; checked and restored there (the restore mark).
    const onB = hostB.rootOf(posix.join(SNAPSHOT_DIR, posix.basename(save.path)))
    assert.ok(existsSync(onB), `no snapshot in host b's ${SNAPSHOT_DIR}: ${JSON.stringify(await readdir(hostB.rootOf(SNAPSHOT_DIR)).catch(() => 'absent'))}`)
    assert.equal(await sha256Of(onB), localSha, 'host b holds another file than the apply machine saved')
    assert.equal(existsSync(hostA.rootOf(SNAPSHOT_DIR)) ? (await readdir(hostA.rootOf(SNAPSHOT_DIR))).length : 0, 0, 'the snapshot was copied to host a')
    // Checked there: within snapshot-verify's span the tool ran on host b (and never on host a), after
    // a put of the file to host b began; the restores put the same bytes to the same path (each put
    // is checked against the save's sha256 on the host before it is renamed into place), so the check
    // and the restores read one content whichever put renamed last.
    const journal = await readJournal(dir, NAME)
    const verifyStep = journal.steps.find((s) => s.id === 'snapshot-verify')
    const span = {start: Date.parse(verifyStep?.startedAt ?? ''), end: Date.parse(verifyStep?.finishedAt ?? '')}
    const roundTrips = (await readFile(trace, 'utf8')).trim().split('\n').map((line) => {
      const [at = '', ms = '', host = '', operation = '', status = ''] = line.split(' ')
      return {at: Number(at), ms: Number(ms), host, operation, status}
    })
    const checks = roundTrips.filter((r) => r.operation === 'snapshot-status')
    t.diagnostic(`snapshot-status round trips: ${JSON.stringify(checks)}; snapshot-verify ${span.start}-${span.end}`)
    assert.ok(checks.length >= 1 && checks.every((r) => r.host === hostB.address && r.status === '0'), `the snapshot tool ran on host b only: ${JSON.stringify(checks)}`)
    const check = checks.find((r) => r.at >= span.start - 5 && r.at + r.ms <= span.end + 5)
    assert.ok(check !== undefined, `no snapshot-status round trip inside snapshot-verify's span: ${JSON.stringify(checks)}`)
    assert.ok(roundTrips.some((r) => r.operation === 'put-file' && r.host === hostB.address && r.status === '0' && r.at + r.ms <= check.at + 5), 'the snapshot was not put on host b before it was checked there')
    assert.deepEqual(await readdir(hostB.rootOf('/root')), await readdir(hostA.rootOf('/root')), 'something beside the snapshotDir copy was written into host b\'s home')
    for (const m of spec.target.members) {
      const entries = await readdir(hostB.rootOf(m.dataDir))
      assert.ok(entries.includes(RESTORED_MARK) && entries.includes('member'), `${m.name}'s data dir on host b is not etcdplan's restore: ${entries.join(', ')}`)
    }
    // The verify steps ran the tool on host b, by etcdctl: the summary names it.
    const verify = done.find((e) => e.id === 'snapshot-verify')
    assert.match(String(verify?.outcome), /\(etcdctl snapshot status\)$/)

    // Exactly the target, a new cluster, every key.
    const after = await assertExactMembership(targetURLs, spec.target.members)
    assert.notEqual(after.clusterId, sourceBefore.clusterId, 'a restored cluster has a new cluster ID')
    await assertDataIntact(targetURLs, KEYS)

    // The old members stopped on host A, their data dirs kept there.
    for (const m of spec.source.members) {
      assert.equal(await cluster.provider.isRunning(m), false, `${m.name} still runs on host a`)
      assert.ok((await readdir(hostA.rootOf(m.dataDir))).includes('member'), `${m.name}'s data dir on host a is gone`)
    }

    // Nothing written outside the hosts' own directories.
    assert.deepEqual(await realHostDirs(), before)
  } finally {
    await cluster?.close()
  }
})
