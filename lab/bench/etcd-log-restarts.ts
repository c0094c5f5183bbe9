// How long each restart of a member took until it served again, read from etcd's own log (zap JSON
// lines, every start appended to the member's etcd.log): from "received signal; shutting down" (the
// stop was asked) to the next "serving client traffic insecurely|securely" (embed/serve.go logs it
// once the server is ready, after ReadyNotify: it has joined raft and published itself; 3.5 also logs
// "ready to serve client requests" just before). etcd's own time, whatever tool restarted it.

const STOP_ASKED = 'received signal; shutting down'
const SERVING = /^(serving client traffic|ready to serve client requests)/

/** Each restart's duration in ms, in order; a stop without a later start is not a restart. */
export function restartsFromEtcdLog(text: string): number[] {
  const restarts: number[] = []
  let stoppedAt: number | null = null
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue
    let entry: {msg?: string; ts?: string | number}
    try {
      entry = JSON.parse(line) as typeof entry
    } catch {
      continue
    }
    const at = typeof entry.ts === 'number' ? entry.ts * 1000 : typeof entry.ts === 'string' ? Date.parse(entry.ts) : Number.NaN
    if (Number.isNaN(at)) continue
    if (entry.msg === STOP_ASKED && stoppedAt === null) stoppedAt = at
    else if (entry.msg !== undefined && SERVING.test(entry.msg) && stoppedAt !== null) {
      restarts.push(at - stoppedAt)
      stoppedAt = null
    }
  }
  return restarts
}
