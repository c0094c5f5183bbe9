// Apply progress as text: one line per finished step with its elapsed time and what it found or
// did, waits and catch-up progress as indented lines. Pure: the progress view decides where and
// when lines are written.
import type {ApplyEvent} from '../apply/apply-event.js'
import {styles} from './colour.js'
import {humanizeBytes} from './render-status.js'
import {aboutDuration} from '../estimate/format-estimate.js'

export function formatElapsed(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`
}

function counter(index: number, total: number): string {
  const width = String(total).length
  return `[${String(index).padStart(width)}/${total}]`
}

/** The text for one event, or null for events shown only as live status (step-start, catch-up). */
export interface ApplyEventOptions {
  readonly colour: boolean
  /** How the operator names the plan to resume (`etcdplan apply PLAN --confirm STEP_ID`). */
  readonly planRef?: string
}

export function renderApplyEvent(event: ApplyEvent, options: ApplyEventOptions): string | null {
  const s = styles(options.colour)
  switch (event.type) {
    case 'apply-start':
      if (event.steps > 0 && event.done === event.steps) return `Nothing to do: the journal (${event.journal}) records all ${event.steps} steps of this plan as done.`
      return `Applying "${event.plan}": ${event.steps} steps${event.done > 0 ? `, resuming after ${event.done} done` : ''} (journal: ${event.journal})`
    case 'journal-superseded':
      return s.dim(`The journal of an earlier plan was moved to ${event.movedTo}.`)
    case 'step-skip':
      return s.dim(`${counter(event.index, event.total)} ${event.id}: done in an earlier run`)
    case 'step-start':
      return null
    case 'step-wait':
      return s.dim(`      … ${event.reason}`)
    case 'step-warning':
      return `      ${s.warning('! not checked:')} ${event.warning}`
    case 'catch-up':
      return null
    case 'still-waiting':
      return s.dim(`      ${renderStillWaiting(event)}`)
    case 'step-done':
      return `${counter(event.index, event.total)} ${s.added('✓')} ${s.bold(event.id)} ${s.dim(`${formatElapsed(event.elapsedMs)}${event.estimatedMs == null ? '' : ` (est. ${aboutDuration(event.estimatedMs)})`}`)}  ${event.outcome}`
    case 'step-failed':
      return `${counter(event.index, event.total)} ${s.error('✗')} ${s.bold(event.id)} ${s.dim(formatElapsed(event.elapsedMs))}`
    case 'upstream-failed':
      if (event.notRun.length === 0) return null
      return s.dim(`      Not run, because they depend on ${event.failed} (upstream failed): ${event.notRun.join(', ')}`)
    case 'operator-needed':
      return `\n${s.warning('Action needed:')} ${event.id} is yours to do.\n${event.instructions}\nThen confirm with\n  etcdplan apply ${options.planRef ?? 'PLAN'} --confirm ${event.id}\nor answer yes at the prompt.`
    case 'apply-done':
      if (event.ran === 0) return null
      return `\n${s.added('Apply complete!')} ${event.ran === event.steps ? `${event.steps} steps` : `${event.ran} of ${event.steps} steps (the rest were done before)`} in ${formatElapsed(event.elapsedMs)}.`
  }
}

/** The live status line while a step runs (TTY only), e.g. "wait-caught-up/etcd4 3.2s  applied 1200/20000 (5000/s)". */
export function renderLiveStatus(stepId: string, elapsedMs: number, catchUp: Extract<ApplyEvent, {type: 'catch-up'}> | null): string {
  const bytes = catchUp?.memberDbSize != null && catchUp.leaderDbSize != null ? `, ${humanizeBytes(catchUp.memberDbSize)} of ${humanizeBytes(catchUp.leaderDbSize)}` : ''
  const progress = catchUp === null ? '' : `  applied ${catchUp.applied}/${catchUp.leader}${catchUp.entriesPerSecond === null ? '' : ` (${catchUp.entriesPerSecond}/s)`}${bytes}`
  return `${stepId} ${formatElapsed(elapsedMs)}${progress}`
}

/** `Still waiting for etcd6 to catch up… [00m20s elapsed, 312 MB of 1.1 GB, about 40 s left]`, terraform's way. */
export function renderStillWaiting(event: Extract<ApplyEvent, {type: 'still-waiting'}>): string {
  const parts = [`${clock(event.elapsedMs)} elapsed`]
  const p = event.progress
  if (p !== null) {
    parts.push(p.unit === 'bytes' ? `${humanizeBytes(p.done)} of ${humanizeBytes(p.total)}` : `raft index ${p.done} of ${p.total}`)
    if (p.etaMs !== null) parts.push(`about ${aboutDuration(p.etaMs)} left`)
  }
  return `Still waiting for ${event.waitingFor}… [${parts.join(', ')}]`
}

/** 00m20s, as terraform counts. */
function clock(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}m${String(seconds % 60).padStart(2, '0')}s`
}
