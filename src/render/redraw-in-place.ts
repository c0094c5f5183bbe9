// Redrawing a block of text in place on a terminal (status --watch): move the cursor up over the
// previous block and clear to the end of the screen (ANSI CSI n A, CSI J), then write the new one.
// A line wider than the terminal wraps onto more rows, so rows are counted at the terminal's width.

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g

export class InPlaceRedraw {
  private rows = 0
  /** `columns`: the terminal's width now (it may change between draws); undefined: lines never wrap. */
  constructor(private readonly out: NodeJS.WritableStream, private readonly columns: () => number | undefined = () => undefined) {}

  draw(text: string): void {
    const block = text.endsWith('\n') ? text : `${text}\n`
    const up = this.rows > 0 ? `\x1b[${this.rows}A\r\x1b[J` : ''
    this.out.write(`${up}${block}`)
    const width = this.columns()
    this.rows = block
      .slice(0, -1)
      .split('\n')
      .reduce((sum, line) => sum + (width === undefined || width <= 0 ? 1 : Math.max(1, Math.ceil([...line.replace(ANSI, '')].length / width))), 0)
  }
}
