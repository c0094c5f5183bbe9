// How the ssh node provider reaches a member's host: one round trip runs an argv there with bytes on
// its stdin and answers with its exit status and output. The ssh transport (ssh-transport.ts) is the
// one that ships; the seam lets the tests run the same helper script and every operation on this
// machine (test/nodes/ssh/local-transport.ts), so that what the script does is tested against real
// etcd without an sshd.

/** A part of a round trip's stdin: bytes, or a file on the apply machine streamed as it is read (a snapshot may be GiBs). */
export type StdinPart = Buffer | {readonly file: string}

export interface HostRunResult {
  /** The remote command's exit status. */
  readonly status: number
  readonly stdout: Buffer
  readonly stderr: string
}

export interface HostTransport {
  /**
   * Runs `argv` on `host` (each word quoted for the host's shell: shell-quote.ts) with `stdin` fed to
   * it, and resolves with what it did. A failure to reach the host or a connection lost on the way
   * rejects with a HostTransportError; a command that ran and failed resolves with its status.
   */
  run(host: string, argv: readonly string[], stdin: readonly StdinPart[]): Promise<HostRunResult>
  /** Drops what is held for `host` (its master connection), so the next run connects afresh: used before a retry. */
  reset(host: string): Promise<void>
  /** Releases every connection and temp file; never rejects. */
  close(): Promise<void>
}

/** The host could not be reached, or the connection was lost mid-way; `retryable` when trying the same operation again may succeed. */
export class HostTransportError extends Error {
  constructor(message: string, readonly host: string, readonly retryable: boolean, readonly stderr: string) {
    super(message)
  }
}
