// What an ssh run that exited 255 (ssh's own failure, never the remote command's: the helper script
// never exits 255) means, from what ssh printed on stderr, as an error the operator can act on.
// Host keys are never accepted automatically (issue 11): an unknown or changed key says how to check
// it and what to change, and is not retried. A connection lost mid-way (a dropped link, a master
// connection killed) is retryable: every provider operation is idempotent by contract.
import {HostTransportError} from './host-transport.js'

interface Rule {
  readonly pattern: RegExp
  readonly retryable: boolean
  readonly message: (host: string) => string
}

const HOST_KEY_ADVICE = 'check the host key\'s fingerprint out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then add it to the known_hosts file etcdplan uses (nodes.ssh.knownHosts, or your own; `ssh-keyscan HOST` prints it); etcdplan never accepts a host key by itself'

const RULES: readonly Rule[] = [
  {
    pattern: /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/,
    retryable: false,
    message: (host) => `refused: the host key of ${host} is not the one in known_hosts (it has changed). Either the host was reinstalled or someone is in the middle; ${HOST_KEY_ADVICE}, after removing the old one (ssh-keygen -R ${host})`,
  },
  {
    pattern: /Host key verification failed|No .* host key is known for|host key is not known/,
    retryable: false,
    message: (host) => `the host key of ${host} is not in known_hosts: ${HOST_KEY_ADVICE}`,
  },
  {
    pattern: /Permission denied \(/,
    retryable: false,
    message: (host) => `${host} refused the login (Permission denied): check nodes.ssh.user and nodes.ssh.identityFile (or your ssh agent) and that the key is in the user's authorized_keys on ${host}`,
  },
  {
    pattern: /Could not resolve hostname/,
    retryable: false,
    message: (host) => `could not resolve the host name ${host}: check the member's host (or the Host entries of the ssh config)`,
  },
  {
    pattern: /Connection refused/,
    retryable: false,
    message: (host) => `${host} refused the ssh connection (Connection refused): is sshd running there, on the port etcdplan uses (nodes.ssh.port or the ssh config)?`,
  },
  {
    pattern: /No route to host|Network is unreachable/,
    retryable: false,
    message: (host) => `no route to ${host}: the host is down or cut off from this machine`,
  },
  {
    pattern: /Connection timed out|Operation timed out|timed out during banner exchange/,
    retryable: false,
    message: (host) => `the ssh connection to ${host} timed out: the host is down, cut off, or a firewall drops ssh`,
  },
  {
    pattern: /Connection closed|Connection reset|Broken pipe|closed by remote host|Timeout, server .* not responding|mux_client|Control socket connect|master .* (died|exited)|lost connection/i,
    retryable: true,
    message: (host) => `the ssh connection to ${host} was lost`,
  },
]

/** The error for an ssh run that exited 255 with this stderr. */
export function classifySshFailure(host: string, stderr: string): HostTransportError {
  const said = stderr.trim()
  for (const rule of RULES) {
    if (rule.pattern.test(said)) return new HostTransportError(`${rule.message(host)} (ssh said: ${lastLines(said)})`, host, rule.retryable, said)
  }
  // Nothing recognisable: a connection that went away without a word is the likeliest; retrying an idempotent operation is safe.
  return new HostTransportError(`ssh to ${host} failed${said === '' ? ' without a message' : `: ${lastLines(said)}`}`, host, true, said)
}

/** ssh ends its warnings with CRLF (it may own a terminal): the lines without their \r. */
function lastLines(text: string): string {
  return text.split(/\r?\n/).map((l) => l.replace(/\r/g, '').trim()).filter((l) => l !== '').slice(-3).join(' / ')
}
