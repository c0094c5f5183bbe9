import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {bareHost, isUnspecifiedHost, parseMemberUrl} from '../../src/spec/member-url.js'

describe('parseMemberUrl', () => {
  it('accepts http and https URLs with a host and a port', () => {
    assert.deepEqual(parseMemberUrl('http://10.0.1.1:2380'), {
      ok: true,
      url: {scheme: 'http', host: '10.0.1.1', port: 2380, address: '10.0.1.1:2380', canonical: 'http://10.0.1.1:2380'},
    })
    const v6 = parseMemberUrl('HTTPS://[FD00::1]:2379')
    assert.ok(v6.ok)
    assert.equal(v6.url.canonical, 'https://[fd00::1]:2379')
    assert.equal(bareHost(v6.url.host), 'fd00::1')
    const named = parseMemberUrl('http://Etcd1.Example.Internal:2380')
    assert.ok(named.ok)
    assert.equal(named.url.address, 'etcd1.example.internal:2380')
  })

  it('keeps an explicit default port (http://h:80) rather than losing it', () => {
    const result = parseMemberUrl('http://10.0.0.1:80')
    assert.ok(result.ok)
    assert.equal(result.url.port, 80)
  })

  const refused: [string, RegExp][] = [
    ['10.0.1.1:2380', /is not a URL/],
    ['ftp://10.0.1.1:2380', /uses ftp:\/\//],
    ['unix://etcd:1', /uses unix:\/\//],
    ['http://10.0.1.1', /has no port/],
    ['http://10.0.1.1:', /has no port/],
    ['http://10.0.1.1:2380/', /has "\/" after the port/],
    ['http://10.0.1.1:2380#x', /has "#x" after the port/],
    ['http://user@10.0.1.1:2380', /user name or password/],
    ['http://10.0.1.1:0', /outside 1-65535/],
    ['http://:2380', /not a valid URL|no host/],
    ['http://10.0.1.1:99999', /not a valid URL|outside/],
  ]
  for (const [text, problem] of refused) {
    it(`refuses ${text}`, () => {
      const result = parseMemberUrl(text)
      assert.equal(result.ok, false)
      if (!result.ok) {
        assert.match(result.problem, problem)
        assert.ok(result.hint.length > 0)
      }
    })
  }

  it('recognises unspecified addresses, however they are written', () => {
    for (const text of ['http://0.0.0.0:2380', 'http://[::]:2380', 'http://[0:0:0:0:0:0:0:0]:2380', 'http://0:2380']) {
      const result = parseMemberUrl(text)
      assert.ok(result.ok, text)
      assert.equal(isUnspecifiedHost(result.url.host), true, text)
    }
    const loopback = parseMemberUrl('http://127.0.0.1:2380')
    assert.ok(loopback.ok)
    assert.equal(isUnspecifiedHost(loopback.url.host), false)
  })
})
