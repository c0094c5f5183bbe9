// Where in a run the writer's longest stall fell: the writer's acknowledgements sampled every 5 ms,
// the longest gap placed against the contender's steps (etcdplan's events, the scripts' log lines).
import type {Writer} from '../writer.js'
import type {StepTime} from './etcdplan-events.js'

const SAMPLE_MS = 5

export interface StallSampler {
  /** The start of the longest gap between two observed acknowledgements, ms after `epochMs`. */
  stop(): {fromMs: number; epochMs: number} | null
}

export function sampleStalls(writer: Writer): StallSampler {
  const epochMs = Date.now()
  const t0 = performance.now()
  let lastAcked = writer.progress().acknowledged
  let lastChange = 0
  let best: {fromMs: number; gapMs: number} | null = null
  const timer = setInterval(() => {
    const now = performance.now() - t0
    const acked = writer.progress().acknowledged
    if (acked !== lastAcked) {
      if (best === null || now - lastChange > best.gapMs) best = {fromMs: lastChange, gapMs: now - lastChange}
      lastAcked = acked
      lastChange = now
    }
  }, SAMPLE_MS)
  return {
    stop() {
      clearInterval(timer)
      const found = best as {fromMs: number; gapMs: number} | null
      return found === null ? null : {fromMs: found.fromMs, epochMs}
    },
  }
}

/** The step running `atMs` after the contender started (etcdplan's steps, or the scripts' next log line). */
export function stepAt(steps: readonly StepTime[], scriptLines: readonly {atMs: number; text: string}[], atMs: number): string | null {
  if (steps.length > 0) {
    const during = steps.find((s) => s.startMs <= atMs && atMs <= s.endMs)
    if (during !== undefined) return during.id
    const before = steps.filter((s) => s.endMs <= atMs).at(-1)
    return before === undefined ? 'before the first step' : `after ${before.id}`
  }
  // The scripts log a line when a step has finished: the stall belongs to the next line's step.
  const next = scriptLines.find((l) => l.atMs >= atMs)
  if (next === undefined) return null
  return `during "${next.text.replace(/ \(\d+ refusals.*$/, '').replace(/ \(initial-cluster: .*$/, '')}"`
}
