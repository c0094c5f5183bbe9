// End to end on the lab of separate hosts (real sshd, real etcd 3.4): a new member too far behind for
// the leader's raft log receives the leader's whole database as a snapshot, and apply shows it
// arriving. The source members keep few raft entries (snapshot-count 200; etcd keeps 5,000 after each
// snapshot), the cluster holds ~40 MB in 64 KiB values behind more than 5,000 later entries, and host
// A (where the leader is) sends at most 40 Mbit/s, so each snapshot takes several seconds to arrive.
// While it does, the new member answers no Status (docs/etcd-facts.md, "Caught up"); the progress
// comes from the file etcd receives it into, read over ssh. Proves: the apply succeeds with exactly the
// target, and its start-member steps (the member answers nothing until the snapshot is in) reported
// progress in bytes, growing, below the leader's DB size, with an ETA.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {loadKeys} from '../../lab/load-keys.js'
import {E2E_TIMEOUTS, RUNBOOK_JOIN} from '../fixtures/lab-cluster.js'
import {startHostsCluster, type HostsCluster} from '../fixtures/hosts-cluster.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertExactMembership, explain} from './migration-assertions.js'

const NAME = 'catch-up-snapshot'

interface Progress {
  readonly unit: string
  readonly done: number
  readonly total: number
  readonly etaMs: number | null
}

test('a new member receiving the leader\'s snapshot over a slow link: apply shows the bytes arriving, over ssh', {timeout: 420_000}, async (t) => {
  let cluster: HostsCluster | null = null
  try {
    cluster = await startHostsCluster({name: NAME, spec: {join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS}, sourceConfig: {'snapshot-count': 200}})
    const {spec, lab, specPath, dir} = cluster
    const urls = spec.source.members.map((m) => m.clientURL)
    const big = await loadKeys(urls, {count: 640, valueBytes: 65_536, prefix: '/e2e/snapshot/big/', batchSize: 1, inFlight: 8})
    // More single-put entries than etcd keeps after a snapshot: the new members cannot be sent the log.
    const small = await loadKeys(urls, {count: 6000, valueBytes: 16, prefix: '/e2e/snapshot/small/', batchSize: 1, inFlight: 32})
    t.diagnostic(`loaded ${big.bytes + small.bytes} bytes in ${Math.round(big.durationMs + small.durationMs)} ms`)
    await lab.host('a').limitEgress('40mbit')

    const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 360_000, env: {ETCDPLAN_PROGRESS_EVERY_MS: '1000'}})
    assert.equal(result.status, 0, explain(result))
    const events = jsonEvents(result.stdout)
    const caughtUp = events.filter((e) => e.type === 'step-done' && /^(start-member|wait-caught-up)\//.test(String(e.id))).map((e) => `${String(e.id)} ${Math.round(Number(e.elapsedMs))} ms`)
    t.diagnostic(`apply took ${Math.round(result.durationMs)} ms; ${caughtUp.join(', ')}`)

    const receiving = events.filter((e) => e.type === 'still-waiting' && String(e.id).startsWith('start-member/') && (e.progress as Progress | null)?.unit === 'bytes')
    t.diagnostic(`progress: ${receiving.map((e) => `${String(e.id)} ${(e.progress as Progress).done}/${(e.progress as Progress).total} eta ${(e.progress as Progress).etaMs}`).join('; ')}`)
    assert.ok(receiving.length >= 2, `fewer than two progress reports in bytes while a snapshot arrived:\n${result.stdout.split('\n').filter((l) => l.includes('still-waiting')).join('\n')}`)
    for (const e of receiving) {
      const p = e.progress as Progress
      assert.ok(p.done > 0 && p.done < p.total, `received ${p.done} of ${p.total}`)
      assert.equal(e.waitingFor, `${String(e.id).slice('start-member/'.length)} to receive the leader's snapshot`)
    }
    const first = receiving.filter((e) => e.id === receiving[0]!.id).map((e) => e.progress as Progress)
    if (first.length >= 2) {
      assert.ok(first.at(-1)!.done > first[0]!.done, `the bytes did not grow: ${first.map((p) => p.done).join(', ')}`)
      assert.ok(first.at(-1)!.etaMs !== null, 'no ETA once the bytes grew')
    }
    await lab.host('a').limitEgress(null)
    await assertExactMembership(spec.target.members.map((m) => m.clientURL), spec.target.members)
  } finally {
    await cluster?.close()
  }
})
