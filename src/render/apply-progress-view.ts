// Where apply progress goes: on a terminal, finished steps as lines and a spinner line for the step
// running (with catch-up progress); elsewhere only the lines, and catch-up progress at most every few
// seconds; with --json, every event as one JSON line.
import type {ApplyEvent} from '../apply/apply-event.js'
import {renderApplyEvent, renderLiveStatus} from './render-apply-event.js'

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const PLAIN_CATCH_UP_EVERY_MS = 3000

export class ApplyProgressView {
  /** The steps running now, by id, with when each started: steps on different hosts run together. */
  private readonly running = new Map<string, number>()
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
      this.running.set(event.id, Date.now())
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
    if (event.type === 'step-done' || event.type === 'step-failed' || event.type === 'operator-needed') this.running.delete(event.id)
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
    const [first] = this.running
    if (!this.options.tty || first === undefined) return
    const [id, since] = first
    // The longest-running step names the line; the others are counted.
    const label = this.running.size === 1 ? id : `${id} (+${this.running.size - 1} running)`
    this.frame = (this.frame + 1) % SPINNER.length
    this.out.write(`\r\x1b[2K${SPINNER[this.frame]} ${renderLiveStatus(label, Date.now() - since, this.catchUp)}`)
  }

  private clearSpinner(): void {
    if (this.options.tty) this.out.write('\r\x1b[2K')
  }
}
