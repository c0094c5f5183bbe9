// What the provider makes of the helper script's answers: the probe's listen verdicts (in use on the
// address or a wildcard, an address the host lacks, free), the binary's version, file verdicts; the
// config mode rule (0600 when it names a key file); an operation retried whole after a lost
// connection, and not after a refused host key.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {configFileMode} from '../../../src/nodes/ssh/config-mode.js'
import {HostTransportError} from '../../../src/nodes/ssh/host-transport.js'
import {parseProbe} from '../../../src/nodes/ssh/parse-probe.js'
import {withRetry} from '../../../src/nodes/ssh/with-retry.js'

const records = (...r: string[]): Buffer => Buffer.from(r.map((x) => `${x}\0`).join(''))

test('probe: in use on its address or a wildcard, an address the host lacks, free; the version; the files', () => {
  const stdout = records('B/usr/bin/etcd', 'R0', 'Vetcd Version: 3.4.23\nGit SHA: Not provided', 'A127.0.0.0/8', 'A198.18.0.3', 'A::1', 'L198.18.0.3:2380', 'L*:22', 'L[::]:9000', 'L127.0.0.53%lo:53', 'Pok', 'Pmissing', 'Pdir', 'Pdenied')
  const probe = parseProbe('etcd', {listen: ['http://198.18.0.3:2380', 'http://198.18.0.3:2379', 'http://198.18.0.9:2379', 'http://0.0.0.0:2380', 'http://198.18.0.3:22', 'http://[::1]:9000', 'http://127.0.0.53:53', 'http://127.9.9.9:2379'], files: ['a', 'b', 'c', 'd']}, stdout)
  assert.deepEqual(probe.binary, {path: '/usr/bin/etcd', version: '3.4.23', error: null})
  assert.deepEqual(probe.listen.map((l) => [l.address, l.state]), [
    ['198.18.0.3:2380', 'in-use'], ['198.18.0.3:2379', 'free'], ['198.18.0.9:2379', 'error'], ['0.0.0.0:2380', 'in-use'], ['198.18.0.3:22', 'in-use'], ['[::1]:9000', 'in-use'], ['127.0.0.53:53', 'in-use'], ['127.9.9.9:2379', 'free'],
  ])
  assert.match(probe.listen[2]!.error!, /no address 198\.18\.0\.9/)
  assert.deepEqual(probe.files.map((f) => f.error), [null, 'no such file', 'it is a directory', 'permission denied'])
})

test('probe: a binary not found, one that fails, one that prints something else', () => {
  assert.match(parseProbe('etcd', {listen: [], files: []}, records('B', 'R127', 'V')).binary.error!, /not found/)
  assert.match(parseProbe('/opt/etcd', {listen: [], files: []}, records('B/opt/etcd', 'R126', 'V')).binary.error!, /not executable/)
  assert.match(parseProbe('/opt/etcd', {listen: [], files: []}, records('B/opt/etcd', 'R0', 'Vhello')).binary.error!, /did not print `etcd Version/)
})

test('config mode: 0600 when any *key-file is named, else 0644', () => {
  assert.equal(configFileMode('name: a\n'), 0o644)
  assert.equal(configFileMode('client-transport-security:\n  cert-file: /c.pem\n  key-file: /k.pem\n'), 0o600)
  assert.equal(configFileMode('peer-transport-security:\n  "key-file": /k.pem\n'), 0o600)
  assert.equal(configFileMode('client-key-file: /k\n'), 0o600)
  assert.equal(configFileMode('key-file: ""\n'), 0o600)
  assert.equal(configFileMode('# key-file: commented\nname: a\n'), 0o644)
})

test('withRetry: a lost connection is retried with a fresh master, a refusal is not, the last error wins', async () => {
  let calls = 0
  let resets = 0
  const lost = (): HostTransportError => new HostTransportError('lost', 'h', true, '')
  assert.equal(await withRetry(async () => (++calls < 3 ? Promise.reject(lost()) : 'done'), async () => void resets++, [1, 1]), 'done')
  assert.deepEqual([calls, resets], [3, 2])
  calls = 0
  await assert.rejects(withRetry(async () => { calls++; throw new HostTransportError('host key', 'h', false, '') }, async () => {}, [1]), /host key/)
  assert.equal(calls, 1)
  calls = 0
  await assert.rejects(withRetry(async () => { calls++; throw lost() }, async () => {}, [1, 1]), /lost/)
  assert.equal(calls, 3)
})
