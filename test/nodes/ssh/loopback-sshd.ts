// A throwaway sshd on a loopback address for tests of the ssh transport with the real OpenSSH
// client and server (until the netns lab hosts it): host and user keys made for the test, the
// test's own known_hosts, root by key only. Needs root and Debian's openssh-server. stop() ends the
// sshd this started, by its pid; start() runs it again on the same port (a host whose sshd is
// stopped for a while).
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {connect} from 'node:net'
import {join} from 'node:path'
import {promisify} from 'node:util'

const execFileAsync = promisify(execFile)

export interface LoopbackSshd {
  readonly host: string
  readonly port: number
  readonly identityFile: string
  readonly knownHosts: string
  /** A host key that is not this sshd's, in known_hosts format for its address. */
  readonly wrongKnownHost: string
  start(): Promise<void>
  stop(): Promise<void>
}

export async function startLoopbackSshd(dir: string, host: string): Promise<LoopbackSshd> {
  await mkdir(dir, {recursive: true})
  for (const key of ['host_key', 'other_host_key', 'id']) await execFileAsync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', key, '-f', join(dir, key)])
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'id.pub')), {mode: 0o600})
  const port = 20000 + Math.floor(Math.random() * 20000)
  const entry = (pub: string): string => `[${host}]:${port} ${pub.trim().split(' ').slice(0, 2).join(' ')}\n`
  await writeFile(join(dir, 'known_hosts'), entry(await readFile(join(dir, 'host_key.pub'), 'utf8')))
  const wrongKnownHost = entry(await readFile(join(dir, 'other_host_key.pub'), 'utf8'))
  await writeFile(join(dir, 'sshd_config'), [
    `Port ${port}`, `ListenAddress ${host}`, `HostKey ${join(dir, 'host_key')}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'PermitRootLogin prohibit-password', `PidFile ${join(dir, 'sshd.pid')}`, 'MaxSessions 50', 'MaxStartups 50',
  ].join('\n') + '\n')
  await mkdir('/run/sshd', {recursive: true})
  let child: ChildProcess | null = null
  const sshd: LoopbackSshd = {
    host, port, identityFile: join(dir, 'id'), knownHosts: join(dir, 'known_hosts'), wrongKnownHost,
    async start() {
      // -D: in the foreground, a child of this test, ended by its pid.
      child = spawn('/usr/sbin/sshd', ['-D', '-f', join(dir, 'sshd_config'), '-E', join(dir, 'sshd.log')], {stdio: 'ignore'})
      const deadline = Date.now() + 10_000
      while (!(await listening(host, port))) {
        if (Date.now() > deadline) throw new Error(`sshd on ${host}:${port} did not start: see ${join(dir, 'sshd.log')}`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    async stop() {
      const running = child
      child = null
      if (running === null || running.exitCode !== null || running.signalCode !== null) return
      const exited = new Promise((r) => running.once('exit', r))
      running.kill('SIGTERM')
      await exited
    },
  }
  await sshd.start()
  return sshd
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host, port}, () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}
