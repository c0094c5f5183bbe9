// Values from the spec reach the helper script only as whole arguments (issue 11): each is quoted
// for the host's shell, and what the script receives is the value, byte for byte, whatever it holds.
// Run through `sh -c` with the command line exactly as ssh sends it (LocalTransport), with a script
// on stdin that prints its arguments, and through the real helper script (a config written at a
// path holding shell syntax and read back). Nothing the values spell is run: the files they would
// create are not there.
import {test, before, after} from 'node:test'
import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {mkdtemp, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {hostScriptArgv} from '../../../src/nodes/ssh/host-script.js'
import {quoteForShell, shellCommandLine} from '../../../src/nodes/ssh/shell-quote.js'
import {SshNodeProvider} from '../../../src/nodes/ssh-provider.js'
import type {MemberSpec, SshNodes} from '../../../src/spec/types.js'
import {LocalTransport} from './local-transport.js'

let dir = ''
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'etcdplan-quote-'))
})
after(async () => {
  await rm(dir, {recursive: true, force: true})
})

const hostile = (marker: string): string[] => [
  'a;reboot',
  `$(touch ${marker}.1)`,
  `\`touch ${marker}.2\``,
  "'",
  `it's'; touch ${marker}.3; echo '`,
  'two words',
  'line one\nline two; touch ' + marker + '.4',
  '"$HOME" ${PATH} \\ \\\\n',
  '-n',
  '',
  '*',
  'é ünïcode',
]

test('quoteForShell: single quotes, a quote as \'\\\'\'', () => {
  assert.equal(quoteForShell('a;reboot'), "'a;reboot'")
  assert.equal(quoteForShell("it's"), "'it'\\''s'")
  assert.equal(shellCommandLine(['a b', '']), "'a b' ''")
})

test('hostile values reach the script as one literal argument each, and nothing they spell runs', async () => {
  const marker = join(dir, 'injected')
  const values = hostile(marker)
  // A stand-in for the helper script, sent the same way: it prints each argument NUL-terminated.
  const script = Buffer.from('for a in "$@"; do printf "%s\\0" "$a"; done\n')
  const run = await new LocalTransport().run('host', hostScriptArgv('echo', values, false, script.length), [script, Buffer.from('payload after the script')])
  assert.equal(run.status, 0, run.stderr)
  const received = run.stdout.toString('utf8').split('\0').slice(0, -1)
  assert.deepEqual(received, ['echo', ...values])
  for (let i = 1; i <= 4; i++) assert.equal(existsSync(`${marker}.${i}`), false, `${marker}.${i} was created: a value was run as a command`)
})

test('the helper script reads exactly itself from stdin: the payload after it is the operation\'s', async () => {
  const script = Buffer.from('n=$(cat | wc -c); echo "$n"\n')
  const payload = Buffer.alloc(3 * 1024 * 1024, 0x2a)
  const run = await new LocalTransport().run('host', hostScriptArgv('x', [], false, script.length), [script, payload])
  assert.equal(run.stdout.toString().trim(), String(payload.length))
})

test('through the real helper script: a config at a path full of shell syntax is written there, read back, and runs nothing', async () => {
  const marker = join(dir, 'via-provider')
  const options: SshNodes = {sudo: false, service: 'process', unit: 'etcd-{name}.service', etcd: 'etcd', dataDir: join(dir, 'data', '{name}'), configFile: join(dir, 'etc', '{name}.yaml'), runDir: join(dir, 'run', '{name}'), snapshotDir: join(dir, 'snapshots')}
  const provider = new SshNodeProvider(options, new LocalTransport())
  const member: MemberSpec = {name: 'a;reboot', peerURL: 'http://127.0.0.1:2380', clientURL: 'http://127.0.0.1:2379', host: 'localhost', dataDir: join(dir, 'data'), configFile: join(dir, 'cfg'), config: {}}
  const path = join(dir, `$(touch ${marker}) 'q' ; touch ${marker}.2\nnext`, 'etcd.yaml')
  const content = "name: 'a;reboot'\n# $(touch never)\n"
  await provider.writeConfig(member, path, content)
  assert.equal(await provider.readConfig(member, path), content)
  assert.equal(((await stat(path)).mode & 0o777).toString(8), '644')
  assert.equal(existsSync(marker), false)
  assert.equal(existsSync(`${marker}.2`), false)
  assert.equal(await provider.readConfig(member, join(dir, 'absent.yaml')), null)
})

test('the remote argv: env LC_ALL=C bash -c <reader of exactly the script\'s bytes> etcdplan-host OP ARGS; sudo -n first when asked', () => {
  const argv = hostScriptArgv('read-file', ['/etc/etcd/a.yaml'], false, 1234)
  assert.deepEqual(argv, ['env', 'LC_ALL=C', 'bash', '-c', 'IFS= read -r -d "" -N 1234 s && eval "$s"', 'etcdplan-host', 'read-file', '/etc/etcd/a.yaml'])
  assert.deepEqual(hostScriptArgv('stop', [], true, 1).slice(0, 3), ['sudo', '-n', 'env'])
})

test('the helper script ships pure ASCII (read -N counts bytes under LC_ALL=C) and has no NUL', async () => {
  const {hostScript} = await import('../../../src/nodes/ssh/host-script.js')
  const bytes = hostScript()
  assert.ok(bytes.length > 1000)
  assert.ok(bytes.every((b) => b > 0 && b < 0x80), 'a byte outside ASCII in share/etcdplan-host.sh')
})
