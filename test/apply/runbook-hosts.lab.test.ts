// End to end on the lab of separate hosts (real sshd, real BIND, real etcd 3.4 inside network
// namespaces): the runbook's own layout. etcd1..etcd3 run on host A, all on one address with peer
// ports 23801..23803 and client ports 23791..23793; etcd4..etcd6 go to host B on the same ports;
// clients find the cluster by etcd.lab.internal, served by BIND on a third host and switched by an
// RFC 2136 update. `etcdplan apply SPEC` runs outside the hosts and reaches them only by ssh and by
// the members' URLs, with 20,000 keys of 1 KiB in the cluster and a writer putting a key every 20 ms
// on all six URLs. Proves: exit 0; exactly the target; every key and acknowledged write; host B's
// configs as planned (read inside host B); the old members stopped; the name at the target; and
// nothing written by the provider outside the hosts' own directories.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readdir} from 'node:fs/promises'
import {Resolver} from 'node:dns/promises'
import {readFile} from 'node:fs/promises'
import {LAB_DNS_NAME} from '../../lab/hosts-layout.js'
import {startWriter, type Writer, type WriterFigures} from '../../lab/writer.js'
import {HOST_DIRS} from '../../lab/netns-lab.js'
import {E2E_TIMEOUTS, RUNBOOK_JOIN} from '../fixtures/lab-cluster.js'
import {startHostsCluster, type HostsCluster} from '../fixtures/hosts-cluster.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, assertJournalComplete, explain, readJournal, readSavedPlan} from './migration-assertions.js'

const NAME = 'runbook-hosts'
const KEYS = {count: 20_000, valueBytes: 1024, prefix: '/e2e/hosts/keys/'}

/** What is in the real machine's /etc/etcd, /var/lib/etcd, /var/lib/etcdplan (the hosts' mount points): must not change. */
async function realHostDirs(): Promise<Record<string, string[]>> {
  const seen: Record<string, string[]> = {}
  for (const dir of HOST_DIRS.filter((d) => d !== '/root')) seen[dir] = await readdir(dir).catch(() => ['(absent)'])
  return seen
}

test('the runbook across hosts: ssh join with DNS by RFC 2136 under load — exact target, nothing lost, nothing written outside the hosts', {timeout: 420_000}, async (t) => {
  let cluster: HostsCluster | null = null
  let writer: Writer | null = null
  try {
    const before = await realHostDirs()
    cluster = await startHostsCluster({name: NAME, dnsTtl: 2, spec: {join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS}, keys: KEYS})
    const {spec, lab, specPath, dir} = cluster
    t.diagnostic(`loaded ${cluster.keysLoaded!.keys} keys in ${Math.round(cluster.keysLoaded!.durationMs)} ms on host ${lab.host('a').address}`)

    const allURLs = [...spec.source.members, ...spec.target.members].map((m) => m.clientURL)
    writer = startWriter(allURLs, {intervalMs: 20, prefix: '/e2e/hosts/writer/'})
    const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 360_000})
    const figures: WriterFigures = await writer.stop()
    writer = null
    t.diagnostic(`apply took ${Math.round(result.durationMs)} ms; writer: ${figures.acknowledged} acknowledged, ${figures.failedAttempts} failed attempts, max stall ${Math.round(figures.maxStallMs)} ms`)

    assert.equal(result.status, 0, explain(result))
    const events = jsonEvents(result.stdout)
    assert.deepEqual(events.filter((e) => e.type === 'step-failed'), [])
    const durations = events.filter((e) => e.type === 'step-done').map((e) => `${String(e.id)} ${Math.round(Number(e.elapsedMs ?? 0))}ms`)
    t.diagnostic(`steps: ${durations.join(', ')}`)

    const targetURLs = spec.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, spec.target.members)
    await assertDataIntact(targetURLs, KEYS, figures)

    // Host B's configs, read inside host B (its own /etc/etcd), are the plan's last ones.
    const plan = await readSavedPlan(dir, NAME)
    const hostB = lab.host('b')
    await assertConfigsMatchPlan(plan, spec.target.members, (m) => readFile(hostB.rootOf(m.configFile), 'utf8'))
    assertJournalComplete(await readJournal(dir, NAME), plan)

    // The old members stopped on host A.
    for (const m of spec.source.members) assert.equal(await cluster.provider.isRunning(m), false, `${m.name} still runs on host a`)

    // The name leads to host B at the server.
    const resolver = new Resolver()
    resolver.setServers([cluster.bind!.server])
    assert.deepEqual((await resolver.resolve4(LAB_DNS_NAME)).sort(), [hostB.address])

    // Nothing written outside the hosts' own directories.
    assert.deepEqual(await realHostDirs(), before)
  } finally {
    await writer?.stop()
    await cluster?.close()
  }
})
