// A HostTransport for the tests: the "host" is this machine, and each round trip runs what sshd would
// run for it — the user's shell with `-c` and the command line exactly as the ssh transport sends it
// (each word quoted by shell-quote.ts) — so the helper script, its quoting and every operation are
// tested against real etcd without an sshd. `env` adds variables (a PATH with fake systemctl and
// journalctl first); `runs` records every argv, for tests that count round trips.
import {HostTransportError, type HostRunResult, type HostTransport, type StdinPart} from '../../../src/nodes/ssh/host-transport.js'
import {runChild} from '../../../src/nodes/ssh/run-child.js'
import {shellCommandLine} from '../../../src/nodes/ssh/shell-quote.js'

export class LocalTransport implements HostTransport {
  readonly runs: {host: string; argv: readonly string[]}[] = []
  resets = 0
  closed = false

  constructor(private readonly env: NodeJS.ProcessEnv = {}) {}

  async run(host: string, argv: readonly string[], stdin: readonly StdinPart[]): Promise<HostRunResult> {
    this.runs.push({host, argv})
    const result = await runChild('sh', ['-c', shellCommandLine(argv)], stdin, {...process.env, ...this.env})
    if (result.spawnError !== null) throw new HostTransportError(result.spawnError.message, host, false, '')
    return {status: result.status, stdout: result.stdout, stderr: result.stderr}
  }

  async reset(): Promise<void> {
    this.resets++
  }

  async close(): Promise<void> {
    this.closed = true
  }
}

/** A transport whose first `failures` round trips are lost connections (as a killed master leaves them), then the inner one's. */
export class DroppingTransport implements HostTransport {
  constructor(private readonly inner: HostTransport, private failures: number, private readonly retryable = true) {}

  async run(host: string, argv: readonly string[], stdin: readonly StdinPart[]): Promise<HostRunResult> {
    if (this.failures > 0) {
      this.failures--
      throw new HostTransportError(`the ssh connection to ${host} was lost (ssh said: Connection closed by 198.18.0.2 port 22)`, host, this.retryable, 'Connection closed by 198.18.0.2 port 22')
    }
    return this.inner.run(host, argv, stdin)
  }

  reset(host: string): Promise<void> {
    return this.inner.reset(host)
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}

/** A transport that flips a byte of every file it streams (a copy corrupted on the way). */
export class CorruptingTransport implements HostTransport {
  constructor(private readonly inner: HostTransport, private readonly corrupt: (file: string) => Buffer) {}

  run(host: string, argv: readonly string[], stdin: readonly StdinPart[]): Promise<HostRunResult> {
    return this.inner.run(host, argv, stdin.map((part) => (Buffer.isBuffer(part) ? part : this.corrupt(part.file))))
  }

  reset(host: string): Promise<void> {
    return this.inner.reset(host)
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}
