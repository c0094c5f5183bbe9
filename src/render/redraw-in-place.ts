// Redrawing a block of text in place on a terminal (status --watch): move the cursor up over the
// previous block and clear to the end of the screen (ANSI CSI n A, CSI J), then write the new one.

export class InPlaceRedraw {
  private lines = 0
  constructor(private readonly out: NodeJS.WritableStream) {}

  draw(text: string): void {
    const block = text.endsWith('\n') ? text : `${text}\n`
    const up = this.lines > 0 ? `\x1b[${this.lines}A\r\x1b[J` : ''
    this.out.write(`${up}${block}`)
    this.lines = block.split('\n').length - 1
  }
}
