// The parts of via rfc2136 that need no DNS server: the nsupdate script and argv, server addresses,
// key files (read, parsed, their secrets scrubbed from output), nsupdate's failures in words (the
// samples are what BIND 9.18's nsupdate printed in test/dns/rfc2136.bind.test.ts's cases), and the
// refusals that come before anything is sent. The real updates: rfc2136.bind.test.ts.
import assert from 'node:assert/strict'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {DnsSwitchError} from '../../src/dns/dns-switch-error.js'
import {formatServer, parseServer} from '../../src/dns/dns-query.js'
import {absoluteName, explainNsupdateFailure, isInZone, nsupdateArgv, nsupdateScript, parseTsigKey, readTsigKey, redact, type FailureContext} from '../../src/dns/rfc2136.js'
import {switchDns} from '../../src/dns/switch-dns.js'
import {checkDns, verifyServer} from '../../src/dns/verify-dns.js'
import {dnsMethod, dnsVerifyNote, dnsWaitNote} from '../../src/plan/dns-step-description.js'
import type {DnsOptions} from '../../src/spec/types.js'
import {NAME, TARGET_URLS, tempDir} from './dns-fixture.js'

const KEY = 'key "etcdplan." {\n\talgorithm hmac-sha256;\n\tsecret "J5thuismN13DCF7x1VNfw98ja6dMwPW9Io5pdmllg0Q=";\n};\n'
const SECRET = 'J5thuismN13DCF7x1VNfw98ja6dMwPW9Io5pdmllg0Q='

function rfc2136(change: Partial<DnsOptions['switch']['rfc2136'] & object> = {}, name = NAME): DnsOptions {
  return {name, switch: {via: 'rfc2136', rfc2136: {server: '127.0.0.1:5353', zone: 'example.internal', keyFile: '/nonexistent/etcdplan.key', ttl: 30, ...change}}, verify: true}
}

describe('nsupdateScript', () => {
  it('replaces the whole A and AAAA set of the absolute name by one record per target, then sends', () => {
    assert.equal(
      nsupdateScript({server: {host: '10.0.0.53', port: 53}, zone: 'Example.Internal', name: 'etcd.example.internal', ttl: 30, addresses: ['10.0.1.1', '10.0.1.2', 'fd00::1']}),
      [
        'server 10.0.0.53 53',
        'zone example.internal.',
        'update delete etcd.example.internal. A',
        'update delete etcd.example.internal. AAAA',
        'update add etcd.example.internal. 30 A 10.0.1.1',
        'update add etcd.example.internal. 30 A 10.0.1.2',
        'update add etcd.example.internal. 30 AAAA fd00::1',
        'send',
        '',
      ].join('\n'),
    )
  })

  it('writes an IPv6 server without brackets (nsupdate takes the port as a separate word)', () => {
    assert.match(nsupdateScript({server: {host: 'fd00::53', port: 5353}, zone: 'z.', name: 'n.z.', ttl: 5, addresses: ['10.0.0.1']}), /^server fd00::53 5353\nzone z\.\nupdate delete n\.z\. A\n/)
  })

  it('refuses values that are not one word of a line (nothing can add a command to the script)', () => {
    const base = {server: {host: '10.0.0.53', port: 53}, zone: 'example.internal', name: 'etcd.example.internal', ttl: 30, addresses: ['10.0.1.1']}
    assert.throws(() => nsupdateScript({...base, name: 'etcd.example.internal\nupdate delete example.internal. ANY'}), /dns\.name ".*" is not a DNS name/)
    assert.throws(() => nsupdateScript({...base, name: 'etcd example.internal'}), /is not a DNS name/)
    assert.throws(() => nsupdateScript({...base, zone: 'example.internal;'}), /dns\.switch\.rfc2136\.zone .* is not a DNS name/)
    assert.throws(() => nsupdateScript({...base, ttl: 1.5}), /ttl 1\.5 is not a whole number/)
    assert.throws(() => nsupdateScript({...base, addresses: ['10.0.1.1 extra']}), /is not an IP address/)
    assert.throws(() => nsupdateScript({...base, server: {host: 'ns 1', port: 53}}), /neither an IP address nor a host name/)
    assert.doesNotThrow(() => nsupdateScript({...base, name: '_etcd-client._tcp.example.internal.'}))
  })

  it('runs nsupdate with the key file and its own deadline in whole seconds (at least 1)', () => {
    assert.deepEqual(nsupdateArgv('/etc/etcdplan/tsig.key', 120_000), ['nsupdate', '-k', '/etc/etcdplan/tsig.key', '-t', '120'])
    assert.deepEqual(nsupdateArgv('k', 300), ['nsupdate', '-k', 'k', '-t', '1'])
  })
})

describe('names and zones', () => {
  it('makes names absolute and lowercase', () => {
    assert.equal(absoluteName('Etcd.Example.Internal'), 'etcd.example.internal.')
    assert.equal(absoluteName('etcd.example.internal.'), 'etcd.example.internal.')
  })

  it('knows whether a name is in a zone (the zone apex too; a name that only ends alike is not)', () => {
    assert.equal(isInZone('etcd.example.internal', 'example.internal.'), true)
    assert.equal(isInZone('example.internal.', 'EXAMPLE.internal'), true)
    assert.equal(isInZone('etcd.badexample.internal', 'example.internal'), false)
    assert.equal(isInZone('etcd.other.internal', 'example.internal'), false)
  })
})

describe('parseServer', () => {
  it('reads host, host:port, [v6]:port and a bare IPv6 address (port 53 by default)', () => {
    assert.deepEqual(parseServer('10.0.0.53'), {host: '10.0.0.53', port: 53})
    assert.deepEqual(parseServer('10.0.0.53:5353'), {host: '10.0.0.53', port: 5353})
    assert.deepEqual(parseServer('ns1.example.internal:53'), {host: 'ns1.example.internal', port: 53})
    assert.deepEqual(parseServer('[fd00::53]:5353'), {host: 'fd00::53', port: 5353})
    assert.deepEqual(parseServer('[fd00::53]'), {host: 'fd00::53', port: 53})
    assert.deepEqual(parseServer('fd00::53'), {host: 'fd00::53', port: 53})
    assert.equal(formatServer({host: 'fd00::53', port: 53}), '[fd00::53]:53')
    assert.equal(formatServer({host: '10.0.0.53', port: 53}), '10.0.0.53:53')
  })

  it('refuses what is not an address or has a bad port', () => {
    assert.throws(() => parseServer('10.0.0.53:0'), /port 0, not 1-65535/)
    assert.throws(() => parseServer('10.0.0.53:99999'), /port 99999/)
    assert.throws(() => parseServer('a b'), /is not a DNS server address/)
  })
})

describe('TSIG key files', () => {
  it("reads the key's name and secret from tsig-keygen's format and from a K*.private file", () => {
    assert.deepEqual(parseTsigKey(KEY), {name: 'etcdplan.', secrets: [SECRET]})
    assert.deepEqual(parseTsigKey('Private-key-format: v1.3\nAlgorithm: 165 (HMAC_SHA512)\nKey: c2VjcmV0c2VjcmV0\nBits: AAA=\n'), {name: null, secrets: ['c2VjcmV0c2VjcmV0']})
  })

  it('scrubs every secret from output', () => {
    assert.equal(redact(`bad.key:3: unknown option '${SECRET}'\nagain ${SECRET}`, [SECRET]), "bad.key:3: unknown option '[secret]'\nagain [secret]")
  })

  it('refuses a missing file, a directory and a file without a key, before anything runs', async () => {
    const dir = await tempDir()
    await assert.rejects(readTsigKey(join(dir, 'none.key')), (error: unknown) => {
      assert.ok(error instanceof DnsSwitchError)
      assert.match(error.message, /^the TSIG key file .*none\.key \(dns\.switch\.rfc2136\.keyFile\) does not exist\. Check the path, or create the key \(tsig-keygen -a hmac-sha256 NAME > .*none\.key, mode 0600\)/)
      return true
    })
    await mkdir(join(dir, 'keydir'))
    await assert.rejects(readTsigKey(join(dir, 'keydir')), /is a directory/)
    await writeFile(join(dir, 'empty.key'), '# nothing here\n')
    await assert.rejects(readTsigKey(join(dir, 'empty.key')), /holds no TSIG key/)
    await writeFile(join(dir, 'good.key'), KEY)
    assert.deepEqual(await readTsigKey(join(dir, 'good.key')), {name: 'etcdplan.', secrets: [SECRET]})
  })
})

describe("nsupdate's failures, in words", () => {
  const c: FailureContext = {server: '10.0.0.53:53', zone: 'example.internal', name: NAME, keyName: 'etcdplan.', keyFile: '/etc/etcdplan/tsig.key'}
  const cases: {output: string; problem: RegExp; remedy: RegExp}[] = [
    {output: '; TSIG error with server: tsig indicates error\nupdate failed: NOTAUTH(BADSIG)', problem: /TSIG signature did not verify \(tsig verify failure\), so the secret of key etcdplan\. in \/etc\/etcdplan\/tsig\.key is not the one the server has/, remedy: /put the server's secret/},
    {output: '; TSIG error with server: tsig verify failure\nupdate failed: NOTAUTH', problem: /tsig verify failure/, remedy: /secret/},
    {output: '; TSIG error with server: tsig indicates error\nupdate failed: NOTAUTH(BADKEY)', problem: /^10\.0\.0\.53:53 does not know key etcdplan\. \(NOTAUTH\/BADKEY\)$/, remedy: /add key etcdplan\. to the server's configuration/},
    {output: 'update failed: NOTAUTH(BADTIME)', problem: /out of time \(BADTIME\)/, remedy: /synchronise the clocks/},
    {output: 'update failed: NOTAUTH', problem: /^10\.0\.0\.53:53 is not authoritative for zone example\.internal\. \(NOTAUTH\)$/, remedy: /primary of example\.internal\./},
    {output: 'update failed: NOTZONE', problem: /is not in zone example\.internal\. \(NOTZONE\)/, remedy: /dns\.switch\.rfc2136\.zone/},
    {output: 'update failed: REFUSED', problem: /refused the update of etcd\.example\.internal in example\.internal\. \(REFUSED\): its policy does not let key etcdplan\. change that name/, remedy: /allow-update \{ key "etcdplan\."; \}/},
    {output: 'update failed: SERVFAIL', problem: /SERVFAIL/, remedy: /server's log/},
    {output: '; Communication with 10.0.0.53#53 failed: connection refused', problem: /could not reach the DNS server 10\.0\.0\.53:53/, remedy: /reachable/},
    {output: '; Communication with 10.0.0.53#53 failed: timed out', problem: /could not reach/, remedy: /reachable/},
    {output: 'could not read key from /etc/etcdplan/tsig.{private,key}: file not found', problem: /could not use the TSIG key file/, remedy: /tsig-keygen/},
  ]
  for (const sample of cases) {
    it(sample.output.split('\n').at(-1)!, () => {
      const explained = explainNsupdateFailure(sample.output, c)
      assert.ok(explained !== null)
      assert.match(explained.problem, sample.problem)
      assert.match(explained.remedy, sample.remedy)
    })
  }

  it('says nothing it does not know', () => {
    assert.equal(explainNsupdateFailure('something new', c), null)
  })
})

describe('switchDns via rfc2136 refuses before sending anything', () => {
  it('a host name in a target client URL (an A record needs an address)', async () => {
    await assert.rejects(switchDns(rfc2136(), ['http://etcd4.lan:2379', 'http://127.0.2.1:2379'], {confirmed: false, timeoutMs: 1000}), (error: unknown) => {
      assert.ok(error instanceof DnsSwitchError)
      assert.match(error.message, /^an A\/AAAA record holds an IP address, but the target client URLs use the host name etcd4\.lan\. Use IP addresses/)
      return true
    })
  })

  it('a name outside the zone', async () => {
    await assert.rejects(switchDns(rfc2136({zone: 'other.internal'}), TARGET_URLS, {confirmed: false, timeoutMs: 1000}), /etcd\.example\.internal \(dns\.name\) is not in zone other\.internal \(dns\.switch\.rfc2136\.zone\)/)
  })

  it('a missing key file (before the server is asked)', async () => {
    await assert.rejects(switchDns(rfc2136(), TARGET_URLS, {confirmed: false, timeoutMs: 1000}), /the TSIG key file \/nonexistent\/etcdplan\.key \(dns\.switch\.rfc2136\.keyFile\) does not exist/)
  })
})

describe('where verify asks', () => {
  it('dns.resolver, else the rfc2136 server, else the hosts file or getaddrinfo', () => {
    assert.equal(verifyServer(rfc2136()), '127.0.0.1:5353')
    assert.equal(verifyServer({...rfc2136(), resolver: '127.0.0.2:53'}), '127.0.0.2:53')
    assert.equal(verifyServer({name: NAME, switch: {via: 'exec', command: ['true']}, verify: true, resolver: '127.0.0.2'}), '127.0.0.2')
    assert.equal(verifyServer({name: NAME, switch: {via: 'exec', command: ['true']}, verify: true}), null)
  })

  it('a bad resolver address is a failed check, not a throw', async () => {
    const check = await checkDns({...rfc2136(), resolver: '127.0.0.1:0'}, TARGET_URLS)
    assert.equal(check.ok, false)
    assert.match(check.detail, /cannot ask the DNS server 127\.0\.0\.1:0: .*port 0/)
  })
})

describe("the plan's description of switch-dns", () => {
  it('says with rfc2136 what is sent where, where verify asks, and that the step waits out the old TTL', () => {
    const dns = rfc2136()
    assert.equal(dnsMethod(dns), 'via rfc2136 (a TSIG-signed dynamic update at 127.0.0.1:5353, zone example.internal, TTL 30 s)')
    assert.equal(dnsVerifyNote(dns), ', then resolve it at 127.0.0.1:5353 to verify')
    assert.match(dnsWaitNote(dns), /^, then wait out the old A\/AAAA records' TTL \(read at the server when the step runs, at most timeouts\.step\) so that clients have dropped the old members' addresses before the steps after it$/)
  })

  it('is unchanged for the other methods', () => {
    const dns: DnsOptions = {name: NAME, switch: {via: 'manual'}, verify: true}
    assert.equal(`${dnsMethod(dns)}${dnsVerifyNote(dns)}${dnsWaitNote(dns)}`, 'via manual, then resolve it to verify')
  })
})
