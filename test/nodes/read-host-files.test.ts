// readHostFiles, the preflight's way to read certificates where etcd will: the local provider reads
// this machine's files; the ssh provider runs the host script's read-files (here through
// LocalTransport: `sh -c` exactly as sshd would run it) and gets every byte back, or why not; exec and
// manual cannot read host files and say so (NotObservableError), never an empty answer.
import assert from 'node:assert/strict'
import {chmod, mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {test} from 'node:test'
import {ExecNodeProvider} from '../../src/nodes/exec-provider.js'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import {ManualNodeProvider} from '../../src/nodes/manual-provider.js'
import {NotObservableError} from '../../src/nodes/not-observable.js'
import {SshNodeProvider} from '../../src/nodes/ssh-provider.js'
import type {MemberSpec} from '../../src/spec/types.js'
import {tempDir} from '../fixtures/temp-dir.js'
import {LocalTransport} from './ssh/local-transport.js'

const dir = tempDir('etcdplan-read-host-files-')
const member: MemberSpec = {name: 'etcd4', peerURL: 'https://127.0.2.1:2380', clientURL: 'https://127.0.2.1:2379', host: 'lab-host', dataDir: join(dir, 'data'), configFile: join(dir, 'etcd4.yaml'), config: {}}
// Any byte a PEM file may hold, and a few it should not (a NUL, a trailing newline): all come back as they are.
const text = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n\u0000tail\n'

async function files(): Promise<{good: string; missing: string; directory: string; denied: string; large: string}> {
  const good = join(dir, 'etcd4.pem')
  const directory = join(dir, 'pki-dir')
  const denied = join(dir, 'denied.pem')
  const large = join(dir, 'large.pem')
  await writeFile(good, text)
  await mkdir(directory, {recursive: true})
  await writeFile(denied, 'x')
  await chmod(denied, 0o000)
  await writeFile(large, Buffer.alloc((1 << 20) + 1, 'a'))
  return {good, missing: join(dir, 'no-such.pem'), directory, denied, large}
}

for (const [name, provider] of [
  ['local', new LocalNodeProvider({workDir: join(dir, 'nodes'), etcd: 'etcd'})],
  ['ssh', new SshNodeProvider({sudo: false, service: 'process', unit: 'etcd-{name}.service', etcd: 'etcd', dataDir: join(dir, 'data'), configFile: join(dir, '{name}.yaml'), runDir: join(dir, 'run'), snapshotDir: join(dir, 'snapshots')}, new LocalTransport())],
] as const) {
  test(`the ${name} provider reads files on the host, in order, or says why not`, async () => {
    const f = await files()
    const read = await provider.readHostFiles(member, [f.good, f.missing, f.directory, f.large, f.denied])
    assert.deepEqual(read.slice(0, 4), [
      {path: f.good, text},
      {path: f.missing, error: 'no such file'},
      {path: f.directory, error: 'it is a directory'},
      {path: f.large, error: 'larger than 1 MiB'},
    ])
    // root reads a file of mode 000; anyone else is refused.
    assert.deepEqual(read[4], process.getuid?.() === 0 ? {path: f.denied, text: 'x'} : {path: f.denied, error: 'permission denied'})
  })
}

test('exec and manual cannot read host files: NotObservableError, never an answer', async () => {
  const exec = new ExecNodeProvider({writeConfig: ['true'], start: ['true'], stop: ['true'], isRunning: ['true']}, {stepTimeoutMs: 10_000, localEtcd: 'etcd'})
  const manual = new ManualNodeProvider({workDir: join(dir, 'nodes'), etcd: 'etcd'})
  for (const provider of [exec, manual]) {
    await assert.rejects(provider.readHostFiles(member, ['/etc/etcd/pki/etcd4.pem']), (error) => error instanceof NotObservableError && /the certificate files/.test(error.message))
  }
})
