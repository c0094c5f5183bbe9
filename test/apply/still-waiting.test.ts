import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {CatchUpProgress} from '../../src/apply/catch-up-progress.js'
import {progressEveryMs, StillWaitingClock} from '../../src/apply/progress-interval.js'
import {renderStillWaiting} from '../../src/render/render-apply-event.js'
import {ApplyProgressView} from '../../src/render/apply-progress-view.js'
import {Writable} from 'node:stream'

describe('still waiting: catch-up progress', () => {
  it('counts bytes while the member\'s DB is smaller than the leader\'s, with an ETA from the rate so far', () => {
    const p = new CatchUpProgress()
    p.update({at: 0, applied: 10, leaderIndex: 1000, memberDbSize: 100_000_000, leaderDbSize: 1_100_000_000})
    const later = p.update({at: 20_000, applied: 400, leaderIndex: 1000, memberDbSize: 312_000_000, leaderDbSize: 1_100_000_000})
    assert.equal(later.unit, 'bytes')
    assert.equal(later.done, 312_000_000)
    // 212 MB in 20 s, 788 MB left: about 74 s.
    assert.ok(later.etaMs! > 70_000 && later.etaMs! < 78_000, String(later.etaMs))
  })
  it('falls back to raft entries when the sizes say nothing', () => {
    const p = new CatchUpProgress()
    p.update({at: 0, applied: 0, leaderIndex: 1000, memberDbSize: null, leaderDbSize: null})
    const later = p.update({at: 1000, applied: 500, leaderIndex: 1000, memberDbSize: 2_000_000, leaderDbSize: 1_000_000})
    assert.deepEqual(later, {unit: 'entries', done: 500, total: 1000, etaMs: 1000})
  })
})

describe('still waiting: when and how it is said', () => {
  it('is due every interval, not more often', () => {
    const clock = new StillWaitingClock(10_000, 0)
    assert.deepEqual([5000, 10_000, 12_000, 20_500, 21_000].map((t) => clock.due(t)), [false, true, false, true, false])
    assert.equal(progressEveryMs({}), 10_000)
    assert.equal(progressEveryMs({ETCDPLAN_PROGRESS_EVERY_MS: '200'}), 200)
  })
  it('reads like terraform', () => {
    const line = renderStillWaiting({type: 'still-waiting', id: 'wait-caught-up/etcd6', waitingFor: 'etcd6 to catch up', elapsedMs: 20_400, progress: {unit: 'bytes', done: 312_000_000, total: 1_100_000_000, etaMs: 40_000}})
    assert.equal(line, 'Still waiting for etcd6 to catch up… [00m20s elapsed, 312 MB of 1.1 GB, about 40 s left]')
  })
  it('is a plain line without a terminal: no carriage return', () => {
    let out = ''
    const sink = new Writable({write: (chunk, _e, done) => ((out += String(chunk)), done())})
    const view = new ApplyProgressView(sink, {json: false, tty: false, colour: false})
    view.handle({type: 'step-start', id: 'promote/etcd4', index: 1, total: 2, attempt: 1})
    view.handle({type: 'still-waiting', id: 'promote/etcd4', waitingFor: 'etcd4 to publish its name', elapsedMs: 10_000, progress: null})
    view.close()
    assert.equal(out, '      Still waiting for etcd4 to publish its name… [00m10s elapsed]\n')
  })
})

describe('still waiting: a fixed wait (the DNS TTL)', () => {
  it('reports every interval until the wait is over, and waits the whole time', async () => {
    const {sleepWithProgress} = await import('../../src/apply/sleep-with-progress.js')
    const events: unknown[] = []
    const started = Date.now()
    await sleepWithProgress({emit: (e) => events.push(e), step: {id: 'switch-dns'} as never}, 250, "the old records' TTL (0 s) to run out", 100)
    assert.ok(Date.now() - started >= 240)
    assert.equal(events.length, 2)
    assert.ok(events.every((e) => (e as {type: string; waitingFor: string}).type === 'still-waiting' && (e as {waitingFor: string}).waitingFor.includes('TTL')))
  })
})
