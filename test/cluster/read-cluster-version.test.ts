// The cluster version from etcd's HTTP /version body (src/cluster/read-cluster-version.ts): the
// bodies 3.4.23 and 3.5.16 answer, "not_decided" before the leader has decided one, and anything
// else refused with what it said.
import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {firstClusterVersion, parseVersionBody, readClusterVersion} from '../../src/cluster/read-cluster-version.js'

describe('the /version body', () => {
  it('reads the server and cluster versions etcd 3.4 and 3.5 answer', () => {
    assert.deepEqual(parseVersionBody('{"etcdserver":"3.4.23","etcdcluster":"3.4.0"}'), {server: '3.4.23', cluster: '3.4.0'})
    assert.deepEqual(parseVersionBody('{"etcdserver":"3.5.16","etcdcluster":"3.5.0"}'), {server: '3.5.16', cluster: '3.5.0'})
  })

  it('"not_decided" is no cluster version yet', () => {
    assert.deepEqual(parseVersionBody('{"etcdserver":"3.5.16","etcdcluster":"not_decided"}'), {server: '3.5.16', cluster: null})
  })

  it('refuses what is not that shape, quoting it', () => {
    assert.throws(() => parseVersionBody('<html>'), /not JSON: <html>/)
    assert.throws(() => parseVersionBody('{"version":"3"}'), /no etcdserver\/etcdcluster in \{"version":"3"\}/)
  })
})

describe('reading it from a client URL', () => {
  it('takes the first URL that answers with a decided version, skipping one that refuses the connection', async () => {
    const server = createServer((req, res) => {
      assert.equal(req.url, '/version')
      res.end('{"etcdserver":"3.5.16","etcdcluster":"3.5.0"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const {port} = server.address() as AddressInfo
      assert.equal(await firstClusterVersion(['http://127.0.0.1:1', `http://127.0.0.1:${port}`], {timeoutMs: 1000}), '3.5.0')
      assert.deepEqual(await readClusterVersion(`http://127.0.0.1:${port}`, {timeoutMs: 1000}), {server: '3.5.16', cluster: '3.5.0'})
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('an HTTP error is a rejection naming the URL and status', async () => {
    const server = createServer((_req, res) => {
      res.statusCode = 404
      res.end('404 page not found')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const {port} = server.address() as AddressInfo
      await assert.rejects(readClusterVersion(`http://127.0.0.1:${port}`, {timeoutMs: 1000}), new RegExp(`http://127\\.0\\.0\\.1:${port}/version answered HTTP 404: 404 page not found`))
      assert.equal(await firstClusterVersion([`http://127.0.0.1:${port}`], {timeoutMs: 1000}), null)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
