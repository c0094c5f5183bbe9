// The exec provider without etcd: the environment each command gets (and nothing else: no shell, no
// stale ETCDPLAN_* from the apply's own environment), values with shell metacharacters arriving
// literally, a failing command's error (operation, member, exit code, stderr tail), isRunning's exit
// codes, a deadline that kills the command's whole process group, and the reads exec cannot make.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {chmodSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {ExecNodeProvider, execEnv} from '../../src/nodes/exec-provider.js'
import {NodeProviderError} from '../../src/nodes/node-provider.js'
import {NotObservableError} from '../../src/nodes/not-observable.js'
import type {ExecNodes, MemberSpec} from '../../src/spec/types.js'
import {tempDir} from '../fixtures/temp-dir.js'

const NASTY = `etcd4 $(touch /tmp/pwned) ; rm -rf / 'quoted' "dq" \`bt\` & | > <`

const member = (dir: string): MemberSpec => ({
  name: 'etcd4',
  peerURL: 'http://198.18.0.4:2380',
  clientURL: 'http://198.18.0.4:2379',
  host: 'etcd-b',
  dataDir: join(dir, `data ${NASTY}`),
  configFile: join(dir, 'etcd4.yaml'),
  config: {},
  etcd: '/opt/etcd-v3.5/etcd',
})

/** A script that records its argv and ETCDPLAN_* environment as JSON lines in `log`, then runs `body`. */
function script(dir: string, name: string, log: string, body = 'process.exit(0)'): string {
  const path = join(dir, name)
  writeFileSync(
    path,
    `#!/usr/bin/env node
const {appendFileSync, readFileSync} = require('node:fs')
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('ETCDPLAN_')))
let stdin = ''
try { stdin = readFileSync(0, 'utf8') } catch {}
appendFileSync(${JSON.stringify(log)}, JSON.stringify({argv: process.argv.slice(2), env, stdin}) + '\\n')
${body}
`,
  )
  chmodSync(path, 0o755)
  return path
}

/** Whether the process has exited: no such pid, or a zombie nobody reaped yet (this machine's pid 1 may not reap). */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').startsWith('Z')
  } catch {
    return true
  }
}

const records = (log: string) => readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as {argv: string[]; env: Record<string, string>; stdin: string})

test('execEnv: the operation and the member always, the others when given, ETCDPLAN_* of the apply left out', () => {
  const m = member('/h')
  const env = execEnv('restore', m, {snapshot: '/s/snap.db', snapshotSha256: 'ab', initialCluster: 'etcd4=http://198.18.0.4:2380', initialClusterToken: 'tok', dataDir: '/r/data'}, {PATH: '/bin', ETCDPLAN_MEMBER: 'stale', ETCDPLAN_LINES: '9'})
  assert.deepEqual(env, {
    PATH: '/bin',
    ETCDPLAN_OPERATION: 'restore',
    ETCDPLAN_MEMBER: 'etcd4',
    ETCDPLAN_HOST: 'etcd-b',
    ETCDPLAN_CONFIG_FILE: '/h/etcd4.yaml',
    ETCDPLAN_DATA_DIR: '/r/data',
    ETCDPLAN_PEER_URL: 'http://198.18.0.4:2380',
    ETCDPLAN_CLIENT_URL: 'http://198.18.0.4:2379',
    ETCDPLAN_ETCD: '/opt/etcd-v3.5/etcd',
    ETCDPLAN_SNAPSHOT: '/s/snap.db',
    ETCDPLAN_SNAPSHOT_SHA256: 'ab',
    ETCDPLAN_INITIAL_CLUSTER: 'etcd4=http://198.18.0.4:2380',
    ETCDPLAN_INITIAL_CLUSTER_TOKEN: 'tok',
  })
  const tail = execEnv('logTail', {...m, etcd: undefined}, {lines: 40}, {})
  assert.equal(tail.ETCDPLAN_LINES, '40')
  assert.equal(tail.ETCDPLAN_ETCD, undefined)
  assert.equal(execEnv('stop', m, {timeoutMs: 5000}, {}).ETCDPLAN_TIMEOUT_MS, '5000')
})

test('writeConfig: the content on stdin, the argv as configured, values with metacharacters in the environment, literally', async () => {
  const dir = tempDir('etcdplan-exec-')
  const log = join(dir, 'log.jsonl')
  const argv = [script(dir, 'write', log), '--literal', '$ETCDPLAN_MEMBER', 'a;b']
  const provider = new ExecNodeProvider({writeConfig: argv, start: ['false'], stop: ['false'], isRunning: ['false']}, {stepTimeoutMs: 10_000, localEtcd: 'etcd'})
  const m = member(dir)
  await provider.writeConfig(m, join(dir, `conf ${NASTY}.yaml`), 'name: etcd4\n')
  const [seen] = records(log)
  assert.deepEqual(seen!.argv, ['--literal', '$ETCDPLAN_MEMBER', 'a;b'])
  assert.equal(seen!.stdin, 'name: etcd4\n')
  assert.equal(seen!.env.ETCDPLAN_OPERATION, 'writeConfig')
  assert.equal(seen!.env.ETCDPLAN_CONFIG_FILE, join(dir, `conf ${NASTY}.yaml`))
  assert.equal(seen!.env.ETCDPLAN_DATA_DIR, m.dataDir)
})

test('a failing command is a NodeProviderError naming the operation and member, with its exit code and stderr tail', async () => {
  const dir = tempDir('etcdplan-exec-')
  const log = join(dir, 'log.jsonl')
  const fail = script(dir, 'fail', log, `process.stderr.write('line 1\\nError: disk full on etcd-b\\n'); process.exit(7)`)
  const provider = new ExecNodeProvider({writeConfig: [fail], start: [fail], stop: [fail], isRunning: [fail]}, {stepTimeoutMs: 10_000, localEtcd: 'etcd'})
  await assert.rejects(provider.writeConfig(member(dir), join(dir, 'x.yaml'), 'x'), (error: unknown) => {
    assert.ok(error instanceof NodeProviderError)
    assert.match(error.message, /^nodes\.exec\.writeConfig for etcd4 failed \(exit code 7; .*\): Error: disk full on etcd-b$/)
    assert.equal(error.member, 'etcd4')
    assert.match(error.logTail, /line 1\nError: disk full on etcd-b/)
    return true
  })
  // isRunning: 7 is neither "runs" (0) nor "does not" (1).
  await assert.rejects(provider.isRunning(member(dir)), /nodes\.exec\.isRunning for etcd4 failed \(exit code 7.*isRunning must exit 0 when etcd runs, 1 when it does not/)
  const missing = new ExecNodeProvider({writeConfig: [join(dir, 'no-such-command')], start: ['true'], stop: ['true'], isRunning: ['true']}, {stepTimeoutMs: 10_000, localEtcd: 'etcd'})
  await assert.rejects(missing.writeConfig(member(dir), join(dir, 'x.yaml'), 'x'), /could not run nodes\.exec\.writeConfig for etcd4 .*no such command/)
})

test('isRunning: exit 0 runs, exit 1 does not; stop of a stopped member runs no stop command', async () => {
  const dir = tempDir('etcdplan-exec-')
  const log = join(dir, 'log.jsonl')
  const commands: ExecNodes = {writeConfig: ['true'], start: ['true'], stop: [script(dir, 'stop', log)], isRunning: ['false']}
  const provider = new ExecNodeProvider(commands, {stepTimeoutMs: 10_000, localEtcd: 'etcd'})
  assert.equal(await provider.isRunning(member(dir)), false)
  assert.equal(await new ExecNodeProvider({...commands, isRunning: ['true']}, {stepTimeoutMs: 10_000, localEtcd: 'etcd'}).isRunning(member(dir)), true)
  await provider.stop(member(dir), 1000)
  assert.throws(() => readFileSync(log), /ENOENT/)
})

test('a command past the deadline is killed with its process group, and the operation fails saying so', async () => {
  const dir = tempDir('etcdplan-exec-')
  const pidFile = join(dir, 'grandchild.pid')
  const hang = join(dir, 'hang')
  // A grandchild in the same process group, holding the pipes open: the group kill ends it too.
  writeFileSync(hang, `#!/bin/sh\nsleep 300 &\necho $! > '${pidFile}'\nwait\n`)
  chmodSync(hang, 0o755)
  const provider = new ExecNodeProvider({writeConfig: [hang], start: ['true'], stop: ['true'], isRunning: ['true']}, {stepTimeoutMs: 1000, localEtcd: 'etcd'})
  const started = Date.now()
  await assert.rejects(provider.writeConfig(member(dir), join(dir, 'x.yaml'), 'x'), /nodes\.exec\.writeConfig for etcd4 did not finish within 1 s and was killed with its process group/)
  assert.ok(Date.now() - started < 5000)
  const grandchild = Number(readFileSync(pidFile, 'utf8'))
  await sleep(100)
  assert.ok(gone(grandchild), 'the grandchild still runs')
})

test('readConfig: stdout, exit 3 = absent; without the command it cannot be read (NotObservableError), never "absent"', async () => {
  const dir = tempDir('etcdplan-exec-')
  const read = join(dir, 'read')
  writeFileSync(read, `#!/bin/sh\nif [ -e "$ETCDPLAN_CONFIG_FILE" ]; then cat -- "$ETCDPLAN_CONFIG_FILE"; else exit 3; fi\n`)
  chmodSync(read, 0o755)
  const base: ExecNodes = {writeConfig: ['true'], start: ['true'], stop: ['true'], isRunning: ['true']}
  const provider = new ExecNodeProvider({...base, readConfig: [read]}, {stepTimeoutMs: 10_000, localEtcd: 'etcd'})
  writeFileSync(join(dir, 'there.yaml'), 'name: etcd4\n')
  assert.equal(await provider.readConfig(member(dir), join(dir, 'there.yaml')), 'name: etcd4\n')
  assert.equal(await provider.readConfig(member(dir), join(dir, 'absent.yaml')), null)
  const blind = new ExecNodeProvider(base, {stepTimeoutMs: 10_000, localEtcd: 'etcd'})
  await assert.rejects(blind.readConfig(member(dir), '/etc/etcd/etcd4.yaml'), (error: unknown) => error instanceof NotObservableError && /cannot observe the config file \/etc\/etcd\/etcd4\.yaml on etcd4's host with nodes\.provider exec: nodes\.exec has no readConfig command/.test(error.message))
  for (const read of [() => blind.inspectDataDir(member(dir)), () => blind.probeHost(member(dir), {files: [], listen: []}), () => blind.putFile(member(dir), {localPath: '/a', remotePath: '/b'}), () => blind.moveDataDirAside(member(dir))]) {
    await assert.rejects(read(), NotObservableError)
  }
  assert.equal(await blind.logTail(member(dir), 10), '')
})
