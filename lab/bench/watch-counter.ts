// A client watching the writer's keys during the migration, the way an application watches its
// prefix: one `etcdctl watch --prefix` over every client URL (old and new), started at the revision
// before the writer's first put so that nothing is missed at the start. Afterwards, the writer's
// acknowledged puts the watcher never saw are "missed watch events": a watch that broke when its
// member was removed or restarted and did not resume where it stopped.
import {spawn} from 'node:child_process'

export interface WatchOutcome {
  /** The expected keys the watcher never delivered. */
  readonly missed: string[]
  /** When etcdctl watch ended by itself before it was stopped: how, with its last error line; else null. */
  readonly endedEarly: string | null
}

export interface WatchCounter {
  /** Waits (up to `graceMs`) until every key in `expected` has been seen, stops, and says which were never seen. */
  stop(expected: Iterable<string>, graceMs?: number): Promise<WatchOutcome>
}

export function startWatchCounter(etcdctl: string, endpoints: readonly string[], prefix: string, fromRevision: number): WatchCounter {
  const child = spawn(etcdctl, [`--endpoints=${endpoints.join(',')}`, 'watch', '--prefix', prefix, `--rev=${fromRevision}`], {
    env: {...process.env, ETCDCTL_API: '3'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let lastError = ''
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = chunk.toString().trim().split('\n')
    lastError = lines.at(-1) ?? lastError
  })
  let stopping = false
  let endedEarly: string | null = null
  const seen = new Set<string>()
  let pending = ''
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString()
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    // etcdctl prints each event as three lines: PUT, the key, the value; only keys start with the prefix.
    for (const line of lines) if (line.startsWith(prefix)) seen.add(line)
  })
  const exited = new Promise<void>((resolve) => {
    // Not started at all (e.g. no such binary): every event counts as missed, and the outcome says why.
    child.once('error', (error) => {
      endedEarly = `etcdctl watch did not run: ${error.message}`
      resolve()
    })
    child.once('close', (code, signal) => {
      if (!stopping) endedEarly ??= `etcdctl watch exited (${signal ?? `code ${code}`}) during the run${lastError === '' ? '' : `: ${lastError}`}`
      resolve()
    })
  })
  return {
    async stop(expected, graceMs = 3000) {
      const keys = [...expected]
      const until = performance.now() + graceMs
      while (endedEarly === null && keys.some((k) => !seen.has(k)) && performance.now() < until) await new Promise((r) => setTimeout(r, 50))
      stopping = true
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
      return {missed: keys.filter((k) => !seen.has(k)), endedEarly}
    },
  }
}
