import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {isDnsSwitched, switchDns} from '../../src/dns/switch-dns.js'
import {DnsSwitchError} from '../../src/dns/dns-switch-error.js'
import {TARGET_URLS, dnsOptions} from './dns-fixture.js'

describe('switchDns via manual', () => {
  it('asks the operator: the name, its records and the client URLs (how to confirm is added by the apply view)', async () => {
    const result = await switchDns(dnsOptions({via: 'manual'}), TARGET_URLS, {confirmed: false, timeoutMs: 1000})
    assert.equal(result.kind, 'needs-operator')
    assert.equal(result.kind === 'needs-operator' ? result.instructions : '', [
      'Point the DNS name etcd.example.internal at the target members and nothing else:',
      '  etcd.example.internal  A  127.0.2.1',
      '  etcd.example.internal  A  127.0.2.2',
      '  etcd.example.internal  A  127.0.2.3',
      '  (remove every other A/AAAA record of the name, i.e. those of the members being removed)',
      'Clients will then reach the cluster at:',
      '  http://127.0.2.3:2379',
      '  http://127.0.2.1:2379',
      '  http://127.0.2.2:2379',
      "Wait until the change is visible to clients (the old records' TTL).",
    ].join('\n'))
  })

  it('names AAAA records for IPv6 targets', async () => {
    const result = await switchDns(dnsOptions({via: 'manual'}), ['http://[fd00::1]:2379', 'http://10.0.0.1:2379'], {confirmed: false, timeoutMs: 1000})
    const text = result.kind === 'needs-operator' ? result.instructions : ''
    assert.match(text, /^ {2}etcd\.example\.internal {2}A {5}10\.0\.0\.1$/m)
    assert.match(text, /^ {2}etcd\.example\.internal {2}AAAA {2}fd00::1$/m)
  })

  it('is switched once the operator confirms', async () => {
    assert.deepEqual(await switchDns(dnsOptions({via: 'manual'}), TARGET_URLS, {confirmed: true, timeoutMs: 1000}), {kind: 'switched', detail: 'confirmed by the operator'})
    assert.equal(await isDnsSwitched(dnsOptions({via: 'manual'}), TARGET_URLS), false)
  })
})

describe('switchDns via rfc2136 (without a server: test/dns/rfc2136.bind.test.ts has the real ones)', () => {
  it('says which settings are missing', async () => {
    await assert.rejects(switchDns(dnsOptions({via: 'rfc2136'}), TARGET_URLS, {confirmed: false, timeoutMs: 1000}), (error: unknown) => {
      assert.ok(error instanceof DnsSwitchError)
      assert.match(error.message, /dns\.switch\.via is rfc2136 but dns\.switch\.rfc2136 is not set/)
      assert.match(error.message, /server, zone and keyFile/)
      return true
    })
  })
})

describe('switchDns refuses', () => {
  it('an empty target', async () => {
    await assert.rejects(switchDns(dnsOptions({via: 'manual'}), [], {confirmed: true, timeoutMs: 1000}), /no target client URLs/)
  })
})
