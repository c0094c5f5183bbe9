// Which snapshot tool the local provider runs, with fake etcd installs (shell scripts that record
// their argv): etcdutl when it is beside the etcd binary (3.5+), for `snapshot status` and `snapshot
// restore` alike, with the same flags etcdctl takes; etcdctl beside the binary otherwise (3.4); a
// bare `etcd` is looked up on PATH. A tool that refuses the file is a NodeProviderError carrying its
// stderr, and output that is not a status is refused too. No etcd needed.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {chmod, mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import {NodeProviderError} from '../../src/nodes/node-provider.js'
import {findSnapshotTool} from '../../src/nodes/find-snapshot-tool.js'
import type {MemberSpec} from '../../src/spec/types.js'
import {tempDir} from '../fixtures/temp-dir.js'

const dir = tempDir('etcdplan-snapshot-tool-')
const STATUS_JSON = '{"hash":3735928559,"revision":42,"totalKey":57,"totalSize":20480}'

/**
 * A directory with an `etcd` (never run here) and the given tools. Each tool appends its argv (one
 * argument a line, then `--`) to `<tool>.argv`; `snapshot status` prints STATUS_JSON, `snapshot
 * restore` creates the `--data-dir` it is given, as the real ones do.
 */
async function fakeInstall(name: string, tools: readonly string[], behaviour = ''): Promise<string> {
  const bin = join(dir, name)
  await mkdir(bin, {recursive: true})
  await writeScript(join(bin, 'etcd'), 'exit 99\n')
  for (const tool of tools) {
    await writeScript(
      join(bin, tool),
      `for arg in "$@"; do printf '%s\\n' "$arg" >> "${join(bin, `${tool}.argv`)}"; done
echo -- >> "${join(bin, `${tool}.argv`)}"
${behaviour}
if [ "$2" = status ]; then echo '${STATUS_JSON}'; exit 0; fi
while [ $# -gt 0 ]; do
  if [ "$1" = --data-dir ]; then mkdir -p "$2/member/snap"; exit 0; fi
  shift
done
exit 2
`,
    )
  }
  return bin
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

async function writeScript(path: string, body: string): Promise<void> {
  await writeFile(path, `#!/bin/sh\n${body}`)
  await chmod(path, 0o755)
}

async function argvOf(bin: string, tool: string): Promise<string[][]> {
  const text = await readFile(join(bin, `${tool}.argv`), 'utf8').catch(() => '')
  return text.split('--\n').filter((call) => call !== '').map((call) => call.trimEnd().split('\n'))
}

function memberIn(name: string): MemberSpec {
  return {name, peerURL: 'http://127.0.2.1:2380', clientURL: 'http://127.0.2.1:2379', host: '127.0.2.1', dataDir: join(dir, name, 'data'), configFile: join(dir, name, 'etcd.yaml'), config: {}}
}

const restoreRequest = (member: MemberSpec, snapshotPath: string, localSnapshotPath?: string) => ({
  snapshotPath,
  ...(localSnapshotPath === undefined ? {} : {localSnapshotPath}),
  dataDir: member.dataDir,
  initialCluster: `${member.name}=${member.peerURL}`,
  initialClusterToken: 'new-token',
  peerURL: member.peerURL,
})

test('etcdutl beside etcd (3.5+) checks and restores snapshots; etcdctl is not run', async () => {
  const bin = await fakeInstall('v35', ['etcdutl', 'etcdctl'])
  const provider = new LocalNodeProvider({workDir: join(dir, 'v35-nodes'), etcd: join(bin, 'etcd')})
  const member = memberIn('v35-member')
  const snapshot = join(dir, 'v35.db')
  await writeFile(snapshot, 'not read by the fake tools')

  assert.deepEqual(await provider.snapshotStatus(member, snapshot), {hash: 3735928559, revision: 42, totalKey: 57, totalSize: 20480, tool: 'etcdutl'})
  assert.deepEqual(await argvOf(bin, 'etcdutl'), [['snapshot', 'status', snapshot, '-w', 'json']])

  const hostPath = join(dir, 'v35-host', 'snap.db')
  assert.equal(await provider.restore(member, restoreRequest(member, hostPath, snapshot)), 'restored')
  const restore = (await argvOf(bin, 'etcdutl'))[1]
  assert.ok(restore !== undefined)
  // A staging dir of this attempt's own beside the data dir (restore-staging.ts): this process's pid and random hex.
  assert.match(restore[6] ?? '', new RegExp(`^${escapeRegExp(member.dataDir)}\\.restoring-${process.pid}-[0-9a-f]{8}$`))
  assert.deepEqual(restore, [
    'snapshot', 'restore', hostPath,
    '--name', member.name,
    '--data-dir', restore[6],
    '--initial-cluster', `${member.name}=${member.peerURL}`,
    '--initial-cluster-token', 'new-token',
    '--initial-advertise-peer-urls', member.peerURL,
  ])
  assert.equal(await readFile(hostPath, 'utf8'), 'not read by the fake tools', 'the snapshot was put on the host before the restore')
  assert.ok((await stat(join(member.dataDir, 'member', 'snap'))).isDirectory(), 'the staged restore was renamed into place')
  assert.equal(await provider.restore(member, restoreRequest(member, hostPath, snapshot)), 'already-restored')
  assert.equal((await argvOf(bin, 'etcdutl')).length, 2, 'a second restore runs no tool')
  assert.deepEqual(await argvOf(bin, 'etcdctl'), [])
})

test('without etcdutl (3.4) etcdctl beside etcd is used', async () => {
  const bin = await fakeInstall('v34', ['etcdctl'])
  const provider = new LocalNodeProvider({workDir: join(dir, 'v34-nodes'), etcd: join(bin, 'etcd')})
  const member = memberIn('v34-member')
  const snapshot = join(dir, 'v34.db')
  await writeFile(snapshot, 'x')
  assert.equal((await provider.snapshotStatus(member, snapshot)).tool, 'etcdctl')
  assert.equal(await provider.restore(member, restoreRequest(member, snapshot)), 'restored')
  assert.deepEqual((await argvOf(bin, 'etcdctl')).map((argv) => argv.slice(0, 3)), [['snapshot', 'status', snapshot], ['snapshot', 'restore', snapshot]])
})

test('a bare `etcd` is looked up on PATH, and etcdutl beside the one found is chosen', async () => {
  const bin = await fakeInstall('on-path', ['etcdutl'])
  const elsewhere = await fakeInstall('on-path-later', [])
  assert.deepEqual(await findSnapshotTool('etcd', [join(dir, 'no-such-dir'), bin, elsewhere].join(':')), {name: 'etcdutl', path: join(bin, 'etcdutl')})
  assert.deepEqual(await findSnapshotTool('etcd', [elsewhere, bin].join(':')), {name: 'etcdctl', path: 'etcdctl'}, 'the first etcd on PATH decides')
  assert.deepEqual(await findSnapshotTool('etcd', join(dir, 'no-such-dir')), {name: 'etcdctl', path: 'etcdctl'})
})

test('a snapshot the tool refuses is a NodeProviderError with its stderr; so is output that is not a status', async () => {
  const bin = await fakeInstall('refuses', ['etcdutl'], `if [ "$2" = status ]; then echo 'Error: snapshot file integrity check failed' >&2; exit 1; fi`)
  const provider = new LocalNodeProvider({workDir: join(dir, 'refuses-nodes'), etcd: join(bin, 'etcd')})
  const member = memberIn('refuses-member')
  const error = await provider.snapshotStatus(member, join(dir, 'bad.db')).then(() => null, (e: unknown) => e)
  assert.ok(error instanceof NodeProviderError)
  assert.equal(error.stderr, 'Error: snapshot file integrity check failed')
  assert.match(error.message, /bad\.db does not verify \(etcdutl snapshot status on refuses-member's host\): Error: snapshot file integrity check failed/)

  const chatty = await fakeInstall('chatty', ['etcdutl'], `if [ "$2" = status ]; then echo 'hello'; exit 0; fi`)
  const other = new LocalNodeProvider({workDir: join(dir, 'chatty-nodes'), etcd: join(chatty, 'etcd')})
  const refused = await other.snapshotStatus(member, join(dir, 'any.db')).then(() => null, (e: unknown) => e)
  assert.ok(refused instanceof NodeProviderError)
  assert.match(refused.stderr, /etcdutl printed no JSON: hello/)
})

test('a restore the tool refuses leaves no data dir and carries its stderr', async () => {
  // $7 is the --data-dir (snapshot restore PATH --name NAME --data-dir DIR): half a restore is left in it.
  const bin = await fakeInstall('restore-fails', ['etcdutl'], `if [ "$2" = restore ]; then mkdir -p "$7/member"; echo 'Error: expected sha256 [..], got [..]' >&2; exit 1; fi`)
  const provider = new LocalNodeProvider({workDir: join(dir, 'restore-fails-nodes'), etcd: join(bin, 'etcd')})
  const member = memberIn('restore-fails-member')
  const snapshot = join(dir, 'restore-fails.db')
  await writeFile(snapshot, 'x')
  const error = await provider.restore(member, restoreRequest(member, snapshot)).then(() => null, (e: unknown) => e)
  assert.ok(error instanceof NodeProviderError)
  assert.equal(error.stderr, 'Error: expected sha256 [..], got [..]')
  assert.match(error.message, /etcdutl snapshot restore/)
  await assert.rejects(stat(member.dataDir), {code: 'ENOENT'})
  assert.equal((await argvOf(bin, 'etcdutl'))[0]?.[5], '--data-dir', 'the fake tool was given the staging dir as $7')
  assert.deepEqual(await readdir(join(dir, 'restore-fails-member')), [], 'the half-restored staging dir was removed')
})
