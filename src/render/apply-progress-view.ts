// Where apply progress goes: on a terminal, finished steps as lines and a spinner line for the step
// running (with catch-up progress); elsewhere only the lines, and catch-up progress at most every few
// seconds; with --json, every event as one JSON line.
import type {ApplyEvent} from '../apply/apply-event.js'
import {renderApplyEvent, renderLiveStatus} from './render-apply-event.js'

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const PLAIN_CATCH_UP_EVERY_MS = 3000

export class ApplyProgressView {
  private running: {id: string; since: number} | null = null
  private catchUp: Extract<ApplyEvent, {type: 'catch-up'}> | null = null
  private timer: NodeJS.Timeout | null = null
  private frame = 0
  private lastPlainCatchUp = 0

  constructor(private readonly out: NodeJS.WritableStream, private readonly options: {json: boolean; tty: boolean; colour: boolean; planRef?: string}) {}

  readonly handle = (event: ApplyEvent): void => {
    if (this.options.json) {
      this.out.write(`${JSON.stringify({...event, time: new Date().toISOString()})}\n`)
      return
    }
    if (event.type === 'step-start') {
      this.running = {id: event.id, since: Date.now()}
      this.catchUp = null
      if (this.options.tty && this.timer === null) this.timer = setInterval(() => this.drawSpinner(), 100)
      this.drawSpinner()
    }
    if (event.type === 'catch-up') {
      this.catchUp = event
      if (!this.options.tty && Date.now() - this.lastPlainCatchUp >= PLAIN_CATCH_UP_EVERY_MS) {
        this.lastPlainCatchUp = Date.now()
        this.writeLine(`      … ${event.member}: applied ${event.applied} of ${event.leader}${event.entriesPerSecond === null ? '' : ` (${event.entriesPerSecond} entries/s)`}`)
      }
    }
    if (event.type === 'step-done' || event.type === 'step-failed' || event.type === 'operator-needed') this.running = null
    const line = renderApplyEvent(event, {colour: this.options.colour, ...(this.options.planRef === undefined ? {} : {planRef: this.options.planRef})})
    if (line !== null) this.writeLine(line)
    if (event.type === 'apply-done') this.close()
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    this.clearSpinner()
  }

  private writeLine(line: string): void {
    this.clearSpinner()
    this.out.write(`${line}\n`)
    this.drawSpinner()
  }

  private drawSpinner(): void {
    if (!this.options.tty || this.running === null) return
    this.frame = (this.frame + 1) % SPINNER.length
    this.out.write(`\r\x1b[2K${SPINNER[this.frame]} ${renderLiveStatus(this.running.id, Date.now() - this.running.since, this.catchUp)}`)
  }

  private clearSpinner(): void {
    if (this.options.tty) this.out.write('\r\x1b[2K')
  }
}
