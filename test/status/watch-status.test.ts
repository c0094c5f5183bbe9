import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {watchStatus} from '../../src/status/watch-status.js'
import {InPlaceRedraw} from '../../src/render/redraw-in-place.js'

describe('status --watch', () => {
  it('reads every interval, shows each report (and a failed read), and stops at once when aborted', async () => {
    const stop = new AbortController()
    const shown: string[] = []
    let reads = 0
    const started = Date.now()
    await watchStatus({
      intervalMs: 50,
      signal: stop.signal,
      read: async () => {
        reads++
        if (reads === 2) throw new Error('no member answers')
        return `report ${reads}`
      },
      show: (r) => {
        shown.push(r.ok ? r.value : `error: ${(r.error as Error).message}`)
        if (shown.length === 3) stop.abort()
      },
    })
    assert.deepEqual(shown, ['report 1', 'error: no member answers', 'report 3'])
    const took = Date.now() - started
    assert.ok(took >= 90 && took < 1000, `two intervals of 50 ms, no wait after the abort: ${took} ms`)
  })

  it('redraws in place: cursor up over the previous block, clear, then the new block', () => {
    let out = ''
    const screen = new InPlaceRedraw({write: (s: string) => ((out += s), true)} as unknown as NodeJS.WritableStream)
    screen.draw('a\nb')
    screen.draw('c\nd\ne')
    screen.draw('f')
    assert.equal(out, 'a\nb\n\u001b[2A\r\u001b[Jc\nd\ne\n\u001b[3A\r\u001b[Jf\n')
  })

  it('counts a line wider than the terminal as the rows it wraps onto (colour codes take no room)', () => {
    let out = ''
    const screen = new InPlaceRedraw({write: (s: string) => ((out += s), true)} as unknown as NodeJS.WritableStream, () => 10)
    screen.draw(`${'x'.repeat(25)}\n\u001b[1m${'y'.repeat(10)}\u001b[22m`)
    screen.draw('z')
    assert.ok(out.endsWith('\u001b[4A\r\u001b[Jz\n'), JSON.stringify(out))
  })
})
