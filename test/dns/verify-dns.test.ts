import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {lookup} from 'node:dns/promises'
import {checkDns} from '../../src/dns/verify-dns.js'
import {expectedAddresses} from '../../src/dns/dns-addresses.js'
import {dnsOptions} from './dns-fixture.js'

const urlOf = (address: string): string => (address.includes(':') ? `http://[${address}]:2379` : `http://${address}:2379`)

describe('expectedAddresses', () => {
  it('takes the hosts of the client URLs, deduplicated and sorted (IPv4 numerically)', () => {
    assert.deepEqual(expectedAddresses(['http://127.0.2.10:2379', 'https://127.0.2.9:2379', 'http://127.0.2.9:22379', 'http://[FD00::1]:2379', 'http://Etcd-A.lan:2379']), [
      '127.0.2.9',
      '127.0.2.10',
      'etcd-a.lan',
      'fd00::1',
    ])
  })
})

describe('checkDns via the resolver', () => {
  it('is ok when localhost resolves to exactly the client URLs\' hosts', async () => {
    // localhost is 127.0.0.1, and on some machines ::1 too: expect whatever this one says, which must include 127.0.0.1.
    const here = (await lookup('localhost', {all: true})).map((answer) => answer.address)
    assert.ok(here.includes('127.0.0.1'))
    const check = await checkDns(dnsOptions({via: 'manual'}, 'localhost'), here.map(urlOf))
    assert.equal(check.ok, true, check.detail)
    assert.ok(check.addresses.includes('127.0.0.1'))
    assert.match(check.detail, /^localhost resolves to .*127\.0\.0\.1.* as expected$/)
  })

  it('is not ok when the name leads elsewhere, saying what is missing', async () => {
    const check = await checkDns(dnsOptions({via: 'exec', command: ['true']}, 'localhost'), ['http://127.0.0.1:2379', 'http://127.0.2.7:2379'])
    assert.equal(check.ok, false)
    assert.deepEqual(check.expected, ['127.0.0.1', '127.0.2.7'])
    assert.match(check.detail, /missing 127\.0\.2\.7/)
  })

  it('compares with the addresses of a client URL that uses a host name', async () => {
    const check = await checkDns(dnsOptions({via: 'manual'}, 'localhost'), ['http://localhost:2379'])
    assert.equal(check.ok, true, check.detail)
    assert.deepEqual(check.expected, ['localhost'])
  })

  it('is not ok, and does not throw, for a name that cannot resolve', async () => {
    const check = await checkDns(dnsOptions({via: 'manual'}, 'nonexistent.invalid'), ['http://127.0.0.1:2379'])
    assert.equal(check.ok, false)
    assert.deepEqual(check.addresses, [])
    assert.deepEqual(check.expected, ['127.0.0.1'])
    assert.match(check.detail, /^nonexistent\.invalid does not resolve: .*(ENOTFOUND|EAI_AGAIN)/)
  })

  it('is not ok, and does not throw, for a malformed client URL', async () => {
    const check = await checkDns(dnsOptions({via: 'manual'}, 'localhost'), ['127.0.0.1:2379'])
    assert.equal(check.ok, false)
    assert.match(check.detail, /is not a URL/)
  })
})
