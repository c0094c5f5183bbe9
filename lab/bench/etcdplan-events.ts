// What the benchmark reads from `etcdplan apply --json` (one ApplyEvent per line,
// src/apply/apply-event.ts): when each step ran, how many of etcd's 5-s windows the run hit, and how
// long each new member took to catch up.

export interface StepTime {
  readonly id: string
  readonly elapsedMs: number
  /** Start and end relative to the contender's start (from the events' timestamps). */
  readonly startMs: number
  readonly endMs: number
}

export interface HealthWindow {
  /** The step that etcd refused as `unhealthy cluster` (an add-learner or add-member). */
  readonly step: string
  /** From the first refusal to the step's next event (the add accepted), measured. */
  readonly waitedMs: number
}

export interface EtcdplanRun {
  readonly steps: StepTime[]
  /** apply-done's elapsedMs (the applier's own time, without start-up and planning); null without one. */
  readonly applyElapsedMs: number | null
  readonly healthWindows: HealthWindow[]
  /** Per new member: from the start of its start-member step to the end of its wait-caught-up step. */
  readonly catchUpMs: Record<string, number>
}

interface RawEvent {
  readonly type?: string
  readonly id?: string
  readonly elapsedMs?: number
  readonly reason?: string
  readonly time?: string
}

/**
 * etcd's refusal while the receiving member has not been connected to the voters for 5 s
 * (docs/etcd-facts.md "Membership gates"); etcdplan's step-wait reason quotes it.
 */
const HEALTH_WINDOW_REFUSAL = 'etcdserver: unhealthy cluster'

/** Reads the --json lines of one apply; `startedAtMs` is when the contender was started (epoch ms). */
export function readEtcdplanEvents(stdout: string, startedAtMs: number): EtcdplanRun {
  const events: (RawEvent & {atMs: number})[] = []
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      const event = JSON.parse(line) as RawEvent
      events.push({...event, atMs: event.time === undefined ? Number.NaN : Date.parse(event.time) - startedAtMs})
    } catch {
      // not an event (etcdplan prints only events with --json; anything else is ignored)
    }
  }
  const steps: StepTime[] = []
  let applyElapsedMs: number | null = null
  for (const e of events) {
    if (e.type === 'step-done' && e.id !== undefined && e.elapsedMs !== undefined && !Number.isNaN(e.atMs)) {
      steps.push({id: e.id, elapsedMs: e.elapsedMs, startMs: e.atMs - e.elapsedMs, endMs: e.atMs})
    }
    if (e.type === 'apply-done' && e.elapsedMs !== undefined) applyElapsedMs = e.elapsedMs
  }

  const healthWindows: HealthWindow[] = []
  const counted = new Set<string>()
  events.forEach((e, i) => {
    if (e.type !== 'step-wait' || e.id === undefined || !(e.reason ?? '').includes(HEALTH_WINDOW_REFUSAL) || counted.has(e.id)) return
    counted.add(e.id)
    // The window ends with the step's next event that is not the same refusal again.
    const next = events.slice(i + 1).find((n) => n.id === e.id && !(n.type === 'step-wait' && (n.reason ?? '').includes(HEALTH_WINDOW_REFUSAL)))
    healthWindows.push({step: e.id, waitedMs: next === undefined ? Number.NaN : next.atMs - e.atMs})
  })

  const catchUpMs: Record<string, number> = {}
  for (const done of steps.filter((s) => s.id.startsWith('wait-caught-up/'))) {
    const member = done.id.slice('wait-caught-up/'.length)
    const start = steps.find((s) => s.id === `start-member/${member}`)
    if (start !== undefined) catchUpMs[member] = done.endMs - start.startMs
  }
  return {steps, applyElapsedMs, healthWindows, catchUpMs}
}
