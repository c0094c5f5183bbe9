// The ssh command line (issue 11, "Providers -> ssh"): BatchMode, host keys verified and never
// accepted, nodes.ssh's settings, one master per host with a 30 s ControlPersist, the host after
// `--`, the remote command one quoted word; and how ssh's failures read.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {homedir} from 'node:os'
import {classifySshFailure} from '../../../src/nodes/ssh/classify-ssh-failure.js'
import {controlDirParent, SOCKET_PATH_MAX, sshExitArgv, sshRunArgv} from '../../../src/nodes/ssh/ssh-argv.js'

const option = (argv: readonly string[], name: string): string | undefined => {
  for (let i = 0; i < argv.length - 1; i++) if (argv[i] === '-o' && argv[i + 1]!.startsWith(`${name}=`)) return argv[i + 1]!.slice(name.length + 1)
  return undefined
}

test('every run: BatchMode, StrictHostKeyChecking=yes, keep-alives, a master per host in the apply\'s dir, no tty, host after --', () => {
  const argv = sshRunArgv({}, '/tmp/etcdplan-ssh-x', 'etcd-b', "'env' 'LC_ALL=C'")
  assert.equal(option(argv, 'BatchMode'), 'yes')
  assert.equal(option(argv, 'StrictHostKeyChecking'), 'yes')
  assert.equal(option(argv, 'ControlMaster'), 'auto')
  assert.equal(option(argv, 'ControlPath'), '/tmp/etcdplan-ssh-x/%C')
  assert.equal(option(argv, 'ControlPersist'), '30')
  assert.equal(option(argv, 'ConnectTimeout'), '10')
  assert.equal(option(argv, 'ServerAliveInterval'), '5')
  assert.equal(option(argv, 'ServerAliveCountMax'), '3')
  assert.deepEqual(argv.slice(-4), ['-T', '--', 'etcd-b', "'env' 'LC_ALL=C'"])
  for (const absent of ['-F', '-l', '-p', '-i']) assert.ok(!argv.includes(absent), `${absent} without a setting: the user's ssh config decides`)
  assert.equal(option(argv, 'UserKnownHostsFile'), undefined)
  assert.ok(!argv.some((a) => /accept-new|StrictHostKeyChecking=no/.test(a)))
})

test('nodes.ssh settings: -F, -l, -p, -i with IdentitiesOnly, UserKnownHostsFile; ~ expanded', () => {
  const argv = sshRunArgv({config: '~/.ssh/lab_config', user: 'root', port: 2222, identityFile: '/keys/id', knownHosts: '~/kh'}, '/c', 'h', 'cmd')
  assert.deepEqual(argv.slice(0, 2), ['-F', `${homedir()}/.ssh/lab_config`])
  assert.equal(argv[argv.indexOf('-l') + 1], 'root')
  assert.equal(argv[argv.indexOf('-p') + 1], '2222')
  assert.equal(argv[argv.indexOf('-i') + 1], '/keys/id')
  assert.equal(option(argv, 'IdentitiesOnly'), 'yes')
  assert.equal(option(argv, 'UserKnownHostsFile'), `${homedir()}/kh`)
})

test('a host spelled like an option stays a host', () => {
  const argv = sshRunArgv({}, '/c', '-oProxyCommand=touch /tmp/x', 'cmd')
  assert.deepEqual(argv.slice(-3), ['--', '-oProxyCommand=touch /tmp/x', 'cmd'])
})

test('the control dir: in TMPDIR when a master socket below it fits a unix socket path, else in /tmp', () => {
  assert.equal(controlDirParent('/tmp'), '/tmp')
  assert.equal(controlDirParent('/var/tmp/x'), '/var/tmp/x')
  // macOS's TMPDIR, and a test's temp dir below /tmp: ssh would say "too long for Unix domain socket".
  assert.equal(controlDirParent('/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T'), '/tmp')
  assert.equal(controlDirParent('/tmp/etcdplan-killhosts1-eI3ECD/cli-tmp'), '/tmp')
  // The longest socket path ssh makes below the chosen dir: <dir>/etcdplan-ssh-XXXXXX/<40 hex>.<16 random>.
  for (const tmp of ['/tmp', '/a'.repeat(13), '/a'.repeat(14)]) {
    assert.ok(`${controlDirParent(tmp)}/etcdplan-ssh-XXXXXX/${'f'.repeat(40)}.${'r'.repeat(16)}`.length <= SOCKET_PATH_MAX, tmp)
  }
})

test('close: ssh -O exit per host, with the same control path', () => {
  const argv = sshExitArgv({user: 'u'}, '/c', 'etcd-a')
  assert.equal(option(argv, 'ControlPath'), '/c/%C')
  assert.deepEqual(argv.slice(-4), ['-O', 'exit', '--', 'etcd-a'])
})

test('ssh failures: host keys refused with what to do, logins and networks named, dropped connections retryable', () => {
  const unknown = classifySshFailure('etcd-b', 'No ED25519 host key is known for etcd-b and you have requested strict checking.\nHost key verification failed.\n')
  assert.equal(unknown.retryable, false)
  assert.match(unknown.message, /the host key of etcd-b is not in known_hosts/)
  assert.match(unknown.message, /fingerprint out of band/)
  assert.match(unknown.message, /ssh-keyscan/)
  assert.match(unknown.message, /never accepts a host key/)

  const changed = classifySshFailure('etcd-b', '@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@@\nHost key verification failed.\n')
  assert.equal(changed.retryable, false)
  assert.match(changed.message, /^refused: the host key of etcd-b is not the one in known_hosts \(it has changed\)/)
  assert.match(changed.message, /ssh-keygen -R etcd-b/)

  const cases: [string, RegExp][] = [
    ['root@198.18.0.3: Permission denied (publickey).', /etcd-b refused the login/],
    ['ssh: connect to host 198.18.0.3 port 22: Connection refused', /etcd-b refused the ssh connection.*sshd/],
    ['ssh: connect to host 198.18.0.3 port 22: No route to host', /no route to etcd-b/],
    ['ssh: connect to host 198.18.0.3 port 22: Connection timed out', /timed out/],
    ['ssh: Could not resolve hostname etcd-b: Name or service not known', /could not resolve the host name etcd-b/],
  ]
  for (const [stderr, message] of cases) {
    const error = classifySshFailure('etcd-b', stderr)
    assert.match(error.message, message)
    assert.equal(error.retryable, false, stderr)
  }
  for (const stderr of ['Connection closed by 198.18.0.3 port 22', 'client_loop: send disconnect: Broken pipe', 'Read from remote host etcd-b: Connection reset by peer', '']) {
    assert.equal(classifySshFailure('etcd-b', stderr).retryable, true, stderr)
  }
})
