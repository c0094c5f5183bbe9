// dns.switch.via rfc2136 against a real BIND 9 (lab/bind-server.ts) on 127.0.0.1 and a free port:
// the switch from the old addresses to the target ones, verified through the server; a second
// switch that finds the name already pointing sends nothing (the zone's serial and journal do not
// move); the step waits out the old records' TTL and says so; a wrong or unknown key, a missing key
// file, a server that is down or silent are clear errors that leave the record as it was and never
// show the secret; verify notices a name that points elsewhere. Needs named, nsupdate and
// tsig-keygen (bind9, dnsutils): skipped, saying so, without them.
import assert from 'node:assert/strict'
import {execFileSync, spawn as spawnChild, spawnSync} from 'node:child_process'
import {createSocket, type Socket} from 'node:dgram'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {freeDnsPort, startBind, type BindServer} from '../../lab/bind-server.js'
import {runSwitchDns} from '../../src/apply/steps/switch-dns.js'
import {DnsSwitchError} from '../../src/dns/dns-switch-error.js'
import {isDnsSwitched, switchAndVerify, switchDns} from '../../src/dns/switch-dns.js'
import {checkDns} from '../../src/dns/verify-dns.js'
import type {DnsOptions, Spec} from '../../src/spec/types.js'
import {fakeCluster, snapshotMigration, stepOf} from '../fixtures/migration-plans.js'
import {stepHarness} from '../fixtures/step-context.js'
import {tempDir} from './dns-fixture.js'

const ZONE = 'example.internal'
const ADDRESS = '127.0.0.1'
const OLD = ['127.0.1.1', '127.0.1.2']
const TARGET_URLS = ['http://127.0.2.1:2379', 'http://127.0.2.2:2379', 'http://127.0.2.3:2379']
const TARGET = ['127.0.2.1', '127.0.2.2', '127.0.2.3']
/** Per name, so that every test has its own record on the one server. */
const NAMES = ['switch', 'again', 'wait', 'step', 'wrongkey', 'unknownkey', 'nokey', 'elsewhere', 'longttl', 'v6'] as const
type Name = (typeof NAMES)[number]
const fqdn = (name: Name): string => `${name}.${ZONE}`
const OLD_TTL = 2
const NEW_TTL = 1

const missing = ['named', 'nsupdate', 'tsig-keygen', 'dig'].filter((program) => spawnSync('sh', ['-c', `command -v ${program}`]).status !== 0)
const skip = missing.length > 0 ? `needs BIND and dnsutils: ${missing.join(', ')} not found (apt-get install bind9 dnsutils)` : false

let bind: BindServer
const dir = await tempDir()
/** Test figures, printed at the end (for the README). */
const figures: string[] = []
const spawned: string[] = []

function dnsFor(name: Name, change: Partial<{keyFile: string; server: string; ttl: number}> = {}, verify = true): DnsOptions {
  return {
    name: fqdn(name),
    switch: {via: 'rfc2136', rfc2136: {server: change.server ?? bind.server, zone: ZONE, keyFile: change.keyFile ?? bind.keyFile, ttl: change.ttl ?? NEW_TTL}},
    verify,
  }
}

/** What the server answers, by dig (not etcdplan's own resolver code): "TTL TYPE ADDRESS" lines, sorted. */
function dig(name: string): string[] {
  const out = execFileSync('dig', ['+noall', '+answer', '+norecurse', `@${bind.address}`, '-p', String(bind.port), name, 'A', name, 'AAAA'], {encoding: 'utf8'})
  return out
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [, ttl, , type, address] = line.split(/\s+/)
      return `${ttl} ${type} ${address}`
    })
    .sort()
}

const journal = (): number => {
  try {
    return statSync(`${bind.zoneFile}.jnl`).size
  } catch {
    return 0
  }
}

async function rejects(promise: Promise<unknown>): Promise<DnsSwitchError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof DnsSwitchError, `expected a DnsSwitchError, got ${String(error)}`)
    return error
  }
  assert.fail('expected the switch to fail')
}

const secretOf = (keyFile: string): string => /secret "([^"]+)"/.exec(readFileSync(keyFile, 'utf8'))![1]!

describe('dns.switch.via rfc2136 against BIND', {skip}, () => {
  before(async () => {
    const port = await freeDnsPort(ADDRESS)
    const started = performance.now()
    bind = await startBind({
      dir: join(dir, 'bind'),
      address: ADDRESS,
      port,
      zone: ZONE,
      records: [
        ...NAMES.map((name) => ({name: fqdn(name), addresses: OLD, ttl: OLD_TTL})),
        {name: fqdn('v6'), addresses: ['fd00::1'], ttl: OLD_TTL},
        {name: `longttl2.${ZONE}`, addresses: OLD, ttl: 3600},
      ],
      // The lab passes a spawn that starts named inside a host; here: this machine, counted.
      spawn: (command, args, options) => {
        spawned.push(command)
        return spawnChild(command, args, options)
      },
    })
    assert.deepEqual(spawned, ['named'])
    figures.push(`named started and answering in ${Math.round(performance.now() - started)} ms`)
  })
  after(async () => {
    await bind?.stop()
    if (figures.length > 0) console.log(`# figures:\n${figures.map((f) => `#   ${f}`).join('\n')}`)
  })

  it('switches the name from the old addresses to the targets in one update, and verifies it at the server', async () => {
    const dns = dnsFor('switch')
    assert.deepEqual(dig(fqdn('switch')), ['2 A 127.0.1.1', '2 A 127.0.1.2'])
    assert.equal(await isDnsSwitched(dns, TARGET_URLS), false)
    const serial = await bind.serial()
    const t0 = performance.now()
    const result = await switchDns(dns, TARGET_URLS, {confirmed: false, timeoutMs: 10_000})
    const t1 = performance.now()
    const check = await checkDns(dns, TARGET_URLS)
    const t2 = performance.now()
    assert.equal(result.kind, 'switched')
    assert.equal(result.kind === 'switched' ? result.waitSeconds : -1, OLD_TTL)
    assert.match(result.kind === 'switched' ? result.detail : '', new RegExp(`^updated switch\\.example\\.internal at ${bind.server} \\(zone example\\.internal\\., key etcdplan-test\\.\\): 127\\.0\\.1\\.1, 127\\.0\\.1\\.2 \\(TTL 2 s\\) → 127\\.0\\.2\\.1, 127\\.0\\.2\\.2, 127\\.0\\.2\\.3 \\(TTL 1 s\\)$`))
    assert.deepEqual(dig(fqdn('switch')), ['1 A 127.0.2.1', '1 A 127.0.2.2', '1 A 127.0.2.3'])
    assert.equal(check.ok, true, check.detail)
    assert.equal(check.detail, `${bind.server} resolves switch.example.internal to 127.0.2.1, 127.0.2.2, 127.0.2.3 as expected`)
    assert.equal(await bind.serial(), serial + 1, 'one update, one serial')
    assert.equal(await isDnsSwitched(dns, TARGET_URLS), true)
    figures.push(`update (query at the server + nsupdate): ${Math.round(t1 - t0)} ms; verify through the server: ${Math.round(t2 - t1)} ms`)
  })

  it('replaces AAAA records too, and writes AAAA for IPv6 targets', async () => {
    const dns = dnsFor('v6')
    assert.deepEqual(dig(fqdn('v6')), ['2 A 127.0.1.1', '2 A 127.0.1.2', '2 AAAA fd00::1'])
    await switchDns(dns, ['http://127.0.2.1:2379', 'http://[FD00:0::2]:2379'], {confirmed: false, timeoutMs: 10_000})
    assert.deepEqual(dig(fqdn('v6')), ['1 A 127.0.2.1', '1 AAAA fd00::2'])
    assert.equal((await checkDns(dns, ['http://127.0.2.1:2379', 'http://[fd00::2]:2379'])).ok, true)
  })

  it('sends nothing when the name already points at the targets (serial and journal unchanged)', async () => {
    const dns = dnsFor('again')
    await switchDns(dns, TARGET_URLS, {confirmed: false, timeoutMs: 10_000})
    const serial = await bind.serial()
    const size = journal()
    assert.ok(size > 0, 'the first update is in the journal')
    const result = await switchDns(dns, TARGET_URLS, {confirmed: false, timeoutMs: 10_000})
    assert.equal(result.kind === 'switched' ? result.detail : '', `again.example.internal already points at 127.0.2.1, 127.0.2.2, 127.0.2.3 at ${bind.server}; no update sent`)
    assert.equal(await bind.serial(), serial)
    assert.equal(journal(), size)
    // Through the step's path: observed as switched, the gates are not even run.
    let gates = 0
    const outcome = await switchAndVerify(dns, TARGET_URLS, {confirmed: false, timeoutMs: 10_000, beforeChange: async () => void gates++, sleep: async () => {}})
    assert.equal(gates, 0)
    assert.equal(outcome.kind, 'done')
    assert.equal(await bind.serial(), serial)
  })

  it("waits out the old record's TTL after the update, and the current TTL again on a rerun", async () => {
    const dns = dnsFor('wait')
    const waits: string[] = []
    const t0 = performance.now()
    const first = await switchAndVerify(dns, TARGET_URLS, {confirmed: false, timeoutMs: 10_000, beforeChange: async () => {}, onWait: (reason) => waits.push(reason)})
    const firstMs = performance.now() - t0
    assert.equal(first.kind, 'done')
    if (first.kind !== 'done') return
    assert.ok(first.waitedMs >= OLD_TTL * 1000 - 5 && first.waitedMs < OLD_TTL * 1000 + 500, `waited ${first.waitedMs} ms`)
    assert.match(first.detail, /^updated wait\.example\.internal .*; verified: wait\.example\.internal → 127\.0\.2\.1, 127\.0\.2\.2, 127\.0\.2\.3; waited 2 s for the old record's TTL$/)
    assert.deepEqual(waits, ["waiting 2 s for the old record's TTL: clients may still use the old members' addresses until then"])
    const t1 = performance.now()
    const again = await switchAndVerify(dns, TARGET_URLS, {confirmed: false, timeoutMs: 10_000, beforeChange: async () => assert.fail('no gates when already switched')})
    const againMs = performance.now() - t1
    assert.equal(again.kind, 'done')
    if (again.kind !== 'done') return
    assert.ok(again.waitedMs >= NEW_TTL * 1000 - 5, `waited ${again.waitedMs} ms`)
    assert.match(again.detail, /^wait\.example\.internal already points at the target members; verified: .*; waited 1 s for the record's TTL \(it already pointed at the targets, and when it changed is unknown: the full TTL again\)$/)
    figures.push(`switch-dns with TTL 2 s old records: ${Math.round(firstMs)} ms in all (waited ${Math.round(first.waitedMs)} ms); rerun, TTL 1 s now: ${Math.round(againMs)} ms (waited ${Math.round(again.waitedMs)} ms)`)
  })

  it('runs as the switch-dns step: gates, update, verify, the TTL wait as a step-wait event and in the outcome', async () => {
    const migration = snapshotMigration(join(dir, 'snapshots'))
    const step = stepOf(migration.plan, 'switch-dns', 'switch-dns')
    assert.deepEqual(step.clientURLs, TARGET_URLS)
    const {dns: _planned, ...rest} = migration.spec
    const spec: Spec = {...rest, dns: dnsFor('step'), timeouts: {...rest.timeouts, stepMs: 10_000}}
    const h = stepHarness({spec, plan: migration.plan, step, cluster: fakeCluster(spec, ['etcd4', 'etcd5', 'etcd6'], {leader: 'etcd4', clusterId: '88'}), source: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd1'})})
    const t0 = performance.now()
    const result = await runSwitchDns(h.ctx, step)
    const ms = performance.now() - t0
    assert.ok('done' in result, JSON.stringify(result))
    assert.match(result.done, /; waited 2 s for the old record's TTL$/)
    assert.ok(ms >= OLD_TTL * 1000, `the step took ${ms} ms`)
    assert.equal(h.cluster.observations, 1, 'the health gate ran before the update')
    assert.deepEqual(h.waits(), ["waiting 2 s for the old record's TTL: clients may still use the old members' addresses until then"])
    assert.deepEqual(dig(fqdn('step')), ['1 A 127.0.2.1', '1 A 127.0.2.2', '1 A 127.0.2.3'])
  })

  it('refuses a TTL the step could not wait out (longer than timeouts.step) before changing anything', async () => {
    const dns: DnsOptions = {...dnsFor('longttl'), name: `longttl2.${ZONE}`}
    const serial = await bind.serial()
    const error = await rejects(switchDns(dns, TARGET_URLS, {confirmed: false, timeoutMs: 1000}))
    assert.match(error.message, /longttl2\.example\.internal has records at .* \(127\.0\.1\.1, 127\.0\.1\.2\) with a TTL of 3600 s: clients may hold them that long after the switch, longer than timeouts\.step \(1s\), the longest this step waits; nothing was changed/)
    assert.match(error.message, /lower the TTL .* or raise timeouts\.step above 3600 s/i)
    assert.equal(await bind.serial(), serial)
  })

  it('a wrong secret: tsig verify failure, said clearly, the record unchanged, the secret not shown', async () => {
    const wrong = join(dir, 'wrong.key')
    writeFileSync(wrong, execFileSync('tsig-keygen', ['-a', 'hmac-sha256', 'etcdplan-test.'], {encoding: 'utf8'}), {mode: 0o600})
    const serial = await bind.serial()
    const error = await rejects(switchDns(dnsFor('wrongkey', {keyFile: wrong}), TARGET_URLS, {confirmed: false, timeoutMs: 10_000}))
    assert.match(error.message, /refused the update for wrongkey\.example\.internal: the TSIG signature did not verify \(tsig verify failure\), so the secret of key etcdplan-test\. in .*wrong\.key is not the one the server has/)
    assert.match(error.message, /Put the server's secret for key etcdplan-test\. in/)
    assert.match(error.message, /NOTAUTH\(BADSIG\)/, 'nsupdate\'s own words are shown')
    assert.ok(!error.message.includes(secretOf(wrong)) && !error.message.includes(secretOf(bind.keyFile)))
    assert.deepEqual(dig(fqdn('wrongkey')), ['2 A 127.0.1.1', '2 A 127.0.1.2'])
    assert.equal(await bind.serial(), serial)
  })

  it('a key the server does not know: BADKEY, said clearly, the record unchanged', async () => {
    const other = join(dir, 'other.key')
    writeFileSync(other, execFileSync('tsig-keygen', ['-a', 'hmac-sha256', 'someone-else.'], {encoding: 'utf8'}), {mode: 0o600})
    const error = await rejects(switchDns(dnsFor('unknownkey', {keyFile: other}), TARGET_URLS, {confirmed: false, timeoutMs: 10_000}))
    assert.match(error.message, /does not know key someone-else\. \(NOTAUTH\/BADKEY\)/)
    assert.ok(!error.message.includes(secretOf(other)))
    assert.deepEqual(dig(fqdn('unknownkey')), ['2 A 127.0.1.1', '2 A 127.0.1.2'])
  })

  it('a missing key file: refused before anything is sent', async () => {
    const serial = await bind.serial()
    const error = await rejects(switchDns(dnsFor('nokey', {keyFile: join(dir, 'nope.key')}), TARGET_URLS, {confirmed: false, timeoutMs: 10_000}))
    assert.match(error.message, /the TSIG key file .*nope\.key \(dns\.switch\.rfc2136\.keyFile\) does not exist\. Check the path, or create the key \(tsig-keygen/)
    assert.equal(await bind.serial(), serial)
    assert.deepEqual(dig(fqdn('nokey')), ['2 A 127.0.1.1', '2 A 127.0.1.2'])
  })

  it('a server that is down, or that never answers: a clear error naming it, nothing sent', async () => {
    const downPort = await freeDnsPort(ADDRESS)
    const down = await rejects(switchDns(dnsFor('nokey', {server: `${ADDRESS}:${downPort}`}), TARGET_URLS, {confirmed: false, timeoutMs: 3000}))
    assert.match(down.message, new RegExp(`cannot ask the DNS server 127\\.0\\.0\\.1:${downPort} \\(dns\\.switch\\.rfc2136\\.server\\) where nokey\\.example\\.internal points now: .*connection refused .*; nothing was changed\\. Check that the server runs`))
    // A socket that swallows every question: the deadline, not a hang.
    const silent: Socket = createSocket('udp4')
    await new Promise<void>((resolve) => silent.bind(0, ADDRESS, resolve))
    try {
      const t0 = performance.now()
      const error = await rejects(switchDns(dnsFor('nokey', {server: `${ADDRESS}:${silent.address().port}`}), TARGET_URLS, {confirmed: false, timeoutMs: 1500}))
      const ms = performance.now() - t0
      assert.match(error.message, /where nokey\.example\.internal points now: .*(no answer|within 1500 ms)/)
      assert.ok(ms < 3000, `took ${ms} ms`)
    } finally {
      silent.close()
    }
    assert.deepEqual(dig(fqdn('nokey')), ['2 A 127.0.1.1', '2 A 127.0.1.2'])
  })

  it('verify notices a name that points elsewhere (at the server), and isDnsSwitched says no', async () => {
    const dns = dnsFor('elsewhere')
    const check = await checkDns(dns, TARGET_URLS)
    assert.equal(check.ok, false)
    assert.deepEqual(check.addresses, OLD)
    assert.equal(check.detail, `${bind.server} resolves elsewhere.example.internal to 127.0.1.1, 127.0.1.2; expected 127.0.2.1, 127.0.2.2, 127.0.2.3 (missing 127.0.2.1, 127.0.2.2, 127.0.2.3; not a target 127.0.1.1, 127.0.1.2)`)
    assert.equal(await isDnsSwitched(dns, TARGET_URLS), false)
    // dns.resolver wins over the rfc2136 server: a server that is down is a failed check, not a throw.
    const port = await freeDnsPort(ADDRESS)
    const viaResolver = await checkDns({...dns, resolver: `${ADDRESS}:${port}`}, TARGET_URLS)
    assert.equal(viaResolver.ok, false)
    assert.match(viaResolver.detail, new RegExp(`could not be resolved at 127\\.0\\.0\\.1:${port}: .*connection refused`))
    // A name missing at the server.
    const none = await checkDns({...dns, name: `absent.${ZONE}`}, TARGET_URLS)
    assert.match(none.detail, /resolves absent\.example\.internal to nothing \(no entry for absent\.example\.internal\)/)
    assert.deepEqual(TARGET, check.expected)
  })
})
