// probeHost of the local provider on this machine: the etcd binary nodes.local.etcd names is run with
// --version (a script standing in for it, once for members that ask together; a missing path; a binary that prints something else; one on
// PATH that does not exist), a listen address held by a server this test binds is in use while a free
// one is free (and stays free: the probe closes what it opened), and real files are opened for
// reading (a missing one, a directory, an unreadable one). No etcd needed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import type {MemberSpec} from '../../src/spec/types.js'
import {tempDir} from '../fixtures/temp-dir.js'

const dir = tempDir('etcdplan-probe-host-')
const member: MemberSpec = {name: 'etcd4', peerURL: 'http://127.0.31.1:2380', clientURL: 'http://127.0.31.1:2379', host: '127.0.31.1', dataDir: join(dir, 'data'), configFile: join(dir, 'etcd.yaml'), config: {}}
const probe = (etcd: string, request = {files: [] as string[], listen: [] as string[]}) => new LocalNodeProvider({workDir: join(dir, 'nodes'), etcd}).probeHost(member, request)

async function script(name: string, body: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, `#!/bin/sh\n${body}\n`)
  await chmod(path, 0o755)
  return path
}

test('members asking about one binary at the same time share one run of it; a later probe runs it again', async () => {
  const runs = join(dir, 'version-runs')
  const counted = await script('etcd-counted', `echo run >> '${runs}'; sleep 0.2; echo "etcd Version: 3.4.23"`)
  const together = await Promise.all([probe(counted), probe(counted), probe(counted)])
  assert.deepEqual(together.map((p) => p.binary.version), ['3.4.23', '3.4.23', '3.4.23'])
  assert.equal((await readFile(runs, 'utf8')).trim().split('\n').length, 1)
  await probe(counted)
  assert.equal((await readFile(runs, 'utf8')).trim().split('\n').length, 2)
})

test('the binary: its version from `--version`, or why it cannot be run', async () => {
  const old = await script('etcd-3.3', 'if [ "$1" = --version ]; then echo "etcd Version: 3.3.27"; echo "Git SHA: x"; exit 0; fi; exit 1')
  assert.deepEqual((await probe(old)).binary, {path: old, version: '3.3.27', error: null})
  const missing = join(dir, 'no-such-etcd')
  assert.deepEqual((await probe(missing)).binary, {path: missing, version: null, error: 'no such file'})
  const other = await script('not-etcd', 'echo "hello"')
  assert.match((await probe(other)).binary.error ?? '', /did not print `etcd Version: X\.Y\.Z` first \(it printed "hello"\)/)
  const failing = await script('broken-etcd', 'echo "boom" >&2; exit 2')
  assert.match((await probe(failing)).binary.error ?? '', /`--version` failed \(exit code 2\): boom/)
  const notExecutable = join(dir, 'plain-file')
  await writeFile(notExecutable, 'etcd Version: 3.4.23\n')
  assert.equal((await probe(notExecutable)).binary.error, 'not executable (permission denied)')
  assert.match((await probe('etcdplan-no-such-binary')).binary.error ?? '', /^not found on PATH/)
})

test('listen addresses: one held by a server is in use, a free one is free and left free', async () => {
  const server: Server = createServer((socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(2379, '127.0.31.1', resolve))
  try {
    const request = {files: [], listen: ['http://127.0.31.1:2379', 'http://127.0.31.1:2380']}
    const {listen} = await probe('etcd', request)
    assert.deepEqual(listen, [
      {url: 'http://127.0.31.1:2379', address: '127.0.31.1:2379', state: 'in-use', error: 'address already in use'},
      {url: 'http://127.0.31.1:2380', address: '127.0.31.1:2380', state: 'free', error: null},
    ])
    // The probe closed its listener: the free port can be bound again at once.
    assert.equal((await probe('etcd', request)).listen[1]?.state, 'free')
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})

test('files: readable, missing, a directory, unreadable', async () => {
  const readable = join(dir, 'peer.pem')
  await writeFile(readable, 'pem')
  const folder = join(dir, 'pki')
  await mkdir(folder)
  const locked = join(dir, 'key.pem')
  await writeFile(locked, 'key')
  await chmod(locked, 0o000)
  const {files} = await probe('etcd', {files: [readable, join(dir, 'missing.pem'), folder, locked], listen: []})
  assert.deepEqual(files.slice(0, 3), [
    {path: readable, error: null},
    {path: join(dir, 'missing.pem'), error: 'no such file'},
    {path: folder, error: 'it is a directory'},
  ])
  // root reads any file: only an ordinary user sees the permission denied.
  assert.deepEqual(files[3], {path: locked, error: process.getuid?.() === 0 ? null : 'permission denied'})
})
