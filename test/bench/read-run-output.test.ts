import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {readEtcdplanEvents} from '../../lab/bench/etcdplan-events.js'
import {restartsFromEtcdLog} from '../../lab/bench/etcd-log-restarts.js'
import {vmHwmBytes} from '../../lab/bench/rss-sampler.js'

const T0 = Date.parse('2026-12-01T17:59:47.000Z')
const at = (ms: number): string => new Date(T0 + ms).toISOString()
const unhealthy = "member add etcd5: etcdserver: unhealthy cluster: waiting for etcd's 5-s health window"

describe("what the bench reads from etcdplan's events, etcd's logs and /proc", () => {
  it('counts each add etcd refused as one 5-s window, however often it was refused, and times the wait', () => {
    const lines = [
      {type: 'step-done', id: 'start-member/etcd4', elapsedMs: 300, time: at(400)},
      {type: 'step-done', id: 'wait-caught-up/etcd4', elapsedMs: 100, time: at(500)},
      {type: 'step-wait', id: 'add-learner/etcd5', reason: unhealthy, time: at(1000)},
      {type: 'step-wait', id: 'add-learner/etcd5', reason: unhealthy, time: at(3000)},
      {type: 'step-wait', id: 'add-learner/etcd5', reason: 'member add etcd5: sent, verifying', time: at(5900)},
      {type: 'step-done', id: 'add-learner/etcd5', elapsedMs: 5000, time: at(6000)},
      {type: 'step-wait', id: 'add-learner/etcd6', reason: 'member add etcd6: sent, verifying', time: at(7000)},
      {type: 'apply-done', elapsedMs: 7000, time: at(7100)},
    ].map((e) => JSON.stringify(e))
    const run = readEtcdplanEvents(['not json', ...lines, ''].join('\n'), T0)
    assert.deepEqual(run.healthWindows, [{step: 'add-learner/etcd5', waitedMs: 4900}])
    assert.deepEqual(run.catchUpMs, {etcd4: 400}, 'from the start of start-member to the end of wait-caught-up')
    assert.equal(run.applyElapsedMs, 7000)
    assert.deepEqual(run.steps.map((s) => [s.id, s.startMs, s.endMs]), [['start-member/etcd4', 100, 400], ['wait-caught-up/etcd4', 400, 500], ['add-learner/etcd5', 1000, 6000]])
  })

  it("times each restart from etcd's stop signal to serving again (3.4 and 3.5 wording), not the first start", () => {
    const log = (ms: number, msg: string): string => JSON.stringify({level: 'info', ts: at(ms), msg})
    const text = [
      '--- etcdplan start mark',
      log(0, 'starting an etcd server'),
      log(800, 'serving client traffic insecurely; this is strongly discouraged!'),
      log(5000, 'received signal; shutting down'),
      log(5100, 'closing etcd server'),
      log(5400, 'ready to serve client requests'),
      log(5401, 'serving client traffic insecurely; this is strongly discouraged!'),
      log(9000, 'received signal; shutting down'),
    ].join('\n')
    assert.deepEqual(restartsFromEtcdLog(text), [400], 'the last stop has no start after it: not a restart')
  })

  it('reads VmHWM from /proc/PID/status in bytes', () => {
    assert.equal(vmHwmBytes('Name:\tnode\nVmPeak:\t 900000 kB\nVmHWM:\t  131072 kB\nVmRSS:\t  120000 kB\n'), 131072 * 1024)
    assert.equal(vmHwmBytes('Name:\tzombie\n'), null)
  })
})
