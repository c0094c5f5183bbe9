// The ssh files of a lab: throwaway ed25519 keys (one host key per host, one user key), each host's
// sshd_config, and on etcdplan's side a known_hosts file and an ssh_config that the ssh provider
// can be pointed at (`ssh -F <config> lab-a`). Nothing outside the test's dir is read or written:
// the config names its own identity and known_hosts, so neither ~/.ssh nor /etc/ssh take part.
import {readFile, rm} from 'node:fs/promises'
import {runOk} from './lab-process.js'

/** Generates an ed25519 key pair at path (path.pub for the public half) and returns the public key line. */
export async function generateKey(path: string, comment: string): Promise<string> {
  // ssh-keygen asks before overwriting: a key left from an earlier run in the same dir is replaced.
  await rm(path, {force: true})
  await rm(`${path}.pub`, {force: true})
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path])
  return (await readFile(`${path}.pub`, 'utf8')).trim()
}

export interface SshdConfigOptions {
  readonly address: string
  readonly hostKey: string
  readonly authorizedKeys: string
  readonly pidFile: string
}

/**
 * sshd for one host: listening on the host's address only, root by key only, no PAM (nothing in
 * the hosts to talk to) and no StrictModes (the test's temp dir is not root's home). MaxSessions and
 * MaxStartups are high because the ssh provider multiplexes many sessions over one ControlMaster
 * connection and tests open several at once. The sftp subsystem is there because OpenSSH 9's scp
 * copies over sftp.
 */
export function sshdConfig(options: SshdConfigOptions): string {
  return [
    `ListenAddress ${options.address}`,
    'Port 22',
    `HostKey ${options.hostKey}`,
    `AuthorizedKeysFile ${options.authorizedKeys}`,
    `PidFile ${options.pidFile}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'MaxSessions 50',
    'MaxStartups 50:30:100',
    // lastlog would be written to the real /var/log: the hosts share everything but their own dirs.
    'PrintLastLog no',
    'PrintMotd no',
    'UseDNS no',
    'X11Forwarding no',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    '',
  ].join('\n')
}

export interface SshClientHost {
  readonly alias: string
  readonly address: string
  /** The host's public host key line (`ssh-ed25519 AAAA... comment`). */
  readonly hostKey: string
}

/** known_hosts: each host's address and alias with its host key, nothing else. */
export function knownHosts(hosts: readonly SshClientHost[]): string {
  return hosts.map((host) => `${host.address},${host.alias} ${host.hostKey.split(' ').slice(0, 2).join(' ')}\n`).join('')
}

/**
 * ssh_config: `Host lab-a 198.18.0.N` so that both the alias and root@address work, always as root
 * with the lab's key, the host key checked against the lab's known_hosts only, never a prompt.
 */
export function sshClientConfig(hosts: readonly SshClientHost[], files: {identityFile: string; knownHosts: string}): string {
  return hosts
    .map((host) =>
      [
        `Host ${host.alias} ${host.address}`,
        `  HostName ${host.address}`,
        '  User root',
        `  IdentityFile ${files.identityFile}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${files.knownHosts}`,
        '  GlobalKnownHostsFile /dev/null',
        '  StrictHostKeyChecking yes',
        '  CheckHostIP no',
        '  BatchMode yes',
        // A host whose link is down must fail fast, not after the kernel's two-minute SYN retries.
        '  ConnectTimeout 5',
        '',
      ].join('\n'),
    )
    .join('\n')
}
