// A fixed wait (the DNS records' TTL) that still reports every interval, like the waits converge
// runs: "Still waiting for the old records' TTL (30 s) to run out… [00m20s elapsed]".
import {setTimeout as sleep} from 'node:timers/promises'
import {progressEveryMs} from './progress-interval.js'
import type {StepContext} from './step-context.js'

export async function sleepWithProgress(ctx: Pick<StepContext, 'emit' | 'step'>, ms: number, waitingFor: string, everyMs = progressEveryMs()): Promise<void> {
  const started = Date.now()
  for (;;) {
    const left = ms - (Date.now() - started)
    if (left <= 0) return
    await sleep(Math.min(left, everyMs))
    const elapsedMs = Date.now() - started
    if (elapsedMs < ms) ctx.emit({type: 'still-waiting', id: ctx.step.id, waitingFor, elapsedMs, progress: null})
  }
}
