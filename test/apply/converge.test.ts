// converge (the observe → decide → act loop every step runs) and act (one etcd call, its failure
// classified): done returns at once; a wait pauses and is reported once per distinct reason; acted
// observes again at once; the deadline stops the step with the last reason; a cluster that does not
// answer is a wait, any other observation error is not swallowed; act turns "not yet" into a wait,
// "no reply" into uncertain, and a refusal into a StepFailedError with etcd's words and their meaning.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {StepFailedError} from '../../src/apply/apply-errors.js'
import {act, converge, FIRST_PAUSE_MS, HEALTH_WINDOW_WAIT, MAX_PAUSE_MS, nextPause, TIGHT_PAUSE_MS, type Attempt} from '../../src/apply/converge.js'
import {ClusterUnreachableError} from '../../src/cluster/observe-cluster.js'
import type {LiveCluster} from '../../src/cluster/live-cluster.js'
import {deadlineExceeded, etcdError} from '../fixtures/fake-cluster-client.js'
import {fakeCluster, joinMigration} from '../fixtures/migration-plans.js'
import {rejection, stepFailure, stepHarness} from '../fixtures/step-context.js'

const {spec, plan} = joinMigration()
const step = plan.steps[0]!

function harness() {
  return stepHarness({spec, plan, step, cluster: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd1'})})
}

/** An attempt that answers from a script, one entry per observation, recording what it was shown. */
function scripted(...attempts: Attempt[]) {
  const seen: LiveCluster[] = []
  const attempt = async (cluster: LiveCluster): Promise<Attempt> => {
    seen.push(cluster)
    const next = attempts.shift()
    if (next === undefined) throw new Error('the attempt was called more often than scripted')
    return next
  }
  return {attempt, seen}
}

describe('converge', {concurrency: true}, () => {
  it('returns the outcome of an attempt that is done at once, after one observation and no event', async () => {
    const h = harness()
    const {attempt, seen} = scripted({done: 'nothing to do'})
    assert.equal(await converge(h.ctx, 1000, attempt), 'nothing to do')
    assert.equal(seen.length, 1)
    assert.equal(h.cluster.observations, 1)
    assert.deepEqual(h.events, [])
  })

  it('gives the attempt a fresh observation each time, from the observe function it is given', async () => {
    const h = harness()
    const other = fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd2'})
    const {attempt, seen} = scripted({acted: 'sent'}, {done: 'ok'})
    await converge(h.ctx, 1000, attempt, other.observe)
    assert.equal(h.cluster.observations, 0, 'ctx.observe was used although another observe was given')
    assert.equal(other.observations, 2)
    assert.notEqual(seen[0], seen[1])
    assert.equal(seen[1]!.leaderId, other.idOf('etcd2'))
  })

  it('pauses after a wait, and reports each distinct reason once, in order', async () => {
    const h = harness()
    const {attempt, seen} = scripted({wait: 'A'}, {wait: 'A'}, {wait: 'B'}, {done: 'finally'})
    const started = Date.now()
    assert.equal(await converge(h.ctx, 5000, attempt), 'finally')
    const elapsed = Date.now() - started
    assert.equal(seen.length, 4)
    assert.deepEqual(h.events, [
      {type: 'step-wait', id: 'preflight', reason: 'A'},
      {type: 'step-wait', id: 'preflight', reason: 'B'},
    ])
    // Three pauses with backoff: 50 + 75 + 112 ms (a lower bound only: a loaded machine is slower).
    assert.ok(elapsed >= 225, `three waits took only ${elapsed} ms: converge did not pause`)
  })

  // The pause schedule, exactly (nextPause is what converge sleeps): no wall clock, so no timing flakes.
  describe('the pause after a "not yet"', () => {
    const now = 1_000_000

    it('backs off by half from 50 ms up to 250 ms for a wait that says nothing about its end', () => {
      const pauses: number[] = []
      let backoff = FIRST_PAUSE_MS
      for (let i = 0; i < 7; i++) {
        const next = nextPause({wait: 'A'}, backoff, now)
        pauses.push(next.pauseMs)
        backoff = next.backoffMs
      }
      assert.deepEqual(pauses, [50, 75, 112.5, 168.75, 250, 250, 250])
      assert.equal(MAX_PAUSE_MS, 250)
    })

    it('re-checks a wait that ends any moment (soon) every 25 ms, without growing the backoff', () => {
      assert.deepEqual(nextPause({wait: 'starting', soon: true}, 168.75, now), {pauseMs: TIGHT_PAUSE_MS, backoffMs: 168.75})
      assert.equal(TIGHT_PAUSE_MS, 25)
    })

    it('sleeps until a wait\'s predicted end (notBefore), then re-checks it every 25 ms', () => {
      assert.deepEqual(nextPause({wait: 'window', notBefore: now + 400}, 50, now), {pauseMs: 400, backoffMs: 50})
      assert.deepEqual(nextPause({wait: 'window', notBefore: now + 3}, 50, now), {pauseMs: TIGHT_PAUSE_MS, backoffMs: 50})
      assert.deepEqual(nextPause({wait: 'window', notBefore: now - 500}, 50, now), {pauseMs: TIGHT_PAUSE_MS, backoffMs: 50})
    })

    it('pauses the backoff after an uncertain attempt, before it observes whether the request took effect', () => {
      assert.deepEqual(nextPause({uncertain: 'no reply'}, 50, now), {pauseMs: 50, backoffMs: 75})
    })
  })

  it('sleeps until a wait\'s predicted end (notBefore) before it observes again', async () => {
    const h = harness()
    const times: number[] = []
    const started = Date.now()
    const end = started + 400
    await converge(h.ctx, 5000, async () => {
      times.push(Date.now())
      return times.length < 3 ? {wait: 'window', notBefore: end} : {done: ''}
    })
    assert.equal(times.length, 3)
    assert.ok(times[1]! >= end - 5, `the second observation came ${times[1]! - started} ms after the start, before the predicted end (400 ms)`)
  })

  it('reports a reason again when it comes back after another one', async () => {
    const h = harness()
    const {attempt} = scripted({wait: 'A'}, {acted: 'B'}, {wait: 'A'}, {done: ''})
    await converge(h.ctx, 5000, attempt)
    assert.deepEqual(h.waits(), ['A', 'B', 'A'])
  })

  it('observes again at once after acting, reporting what was done', async () => {
    const h = harness()
    const {attempt, seen} = scripted({acted: 'member add: sent, verifying'}, {acted: 'again'}, {done: 'verified'})
    assert.equal(await converge(h.ctx, 5000, attempt), 'verified')
    assert.equal(seen.length, 3)
    assert.deepEqual(h.waits(), ['member add: sent, verifying', 'again'])
  })

  it('pauses after an uncertain attempt before it observes whether the request took effect', async () => {
    const h = harness()
    const {attempt} = scripted({uncertain: 'no reply'}, {done: 'it had'})
    const started = Date.now()
    assert.equal(await converge(h.ctx, 5000, attempt), 'it had')
    assert.ok(Date.now() - started >= 45, 'an uncertain attempt was verified without a pause')
    assert.deepEqual(h.waits(), ['no reply'])
  })

  it('stops at the deadline with the last reason, resumable', async () => {
    const h = harness()
    let n = 0
    const started = Date.now()
    const error = await stepFailure(converge(h.ctx, 500, async () => ({wait: `still waiting (${++n})`})))
    const elapsed = Date.now() - started
    assert.equal(error.stepId, 'preflight')
    assert.equal(error.reason, `not done within 1 s: still waiting (${n})`)
    assert.match(error.hint ?? '', /run the same apply again: it resumes at this step/)
    assert.ok(n >= 3, `only ${n} observations in 500 ms`)
    assert.ok(elapsed >= 490, `the 500-ms deadline ended early, after ${elapsed} ms`)
  })

  it('stops at the deadline even when every attempt acts (no endless loop without pauses)', async () => {
    const h = harness()
    const error = await stepFailure(converge(h.ctx, 30, async () => ({acted: 'sent again'})))
    assert.equal(error.reason, 'not done within 0 s: sent again')
  })

  it('waits while no member answers, with the first error, then goes on', async () => {
    const h = harness()
    h.cluster.unreachable = 'connect ECONNREFUSED 127.0.1.1:2379'
    h.cluster.then(
      () => {},
      (c) => (c.unreachable = null),
    )
    const {attempt, seen} = scripted({done: 'answered'})
    assert.equal(await converge(h.ctx, 5000, attempt), 'answered')
    assert.equal(seen.length, 1, 'the attempt was called without an observation')
    assert.deepEqual(h.waits(), ['no member answers (connect ECONNREFUSED 127.0.1.1:2379)'])
  })

  it('says "unreachable" when the unreachable cluster gave no error', async () => {
    const h = harness()
    let calls = 0
    const observe = async () => {
      if (calls++ === 0) throw new ClusterUnreachableError([], [])
      return h.cluster.observe()
    }
    await converge(h.ctx, 5000, async () => ({done: ''}), observe)
    assert.deepEqual(h.waits(), ['no member answers (unreachable)'])
  })

  it('lets any other error of an observation or an attempt through at once', async () => {
    const h = harness()
    const broken = await rejection(converge(h.ctx, 5000, async () => ({done: ''}), async () => Promise.reject(new TypeError('bug in observe'))))
    assert.ok(broken instanceof TypeError)
    const refused = new StepFailedError('preflight', 'refused', 'hint')
    assert.equal(await rejection(converge(h.ctx, 5000, async () => Promise.reject(refused))), refused)
    assert.deepEqual(h.events, [])
  })
})

describe('act', {concurrency: true}, () => {
  it('reports a call that returned as sent, to be verified by the next observation', async () => {
    const h = harness()
    let calls = 0
    assert.deepEqual(await act(h.ctx, 'member add etcd4', async () => calls++), {acted: 'member add etcd4: sent, verifying'})
    assert.equal(calls, 1)
  })

  it('turns etcd\'s "not yet" into a wait, with etcd\'s words without the gRPC prefix', async () => {
    const h = harness()
    assert.deepEqual(await act(h.ctx, 'member add etcd4', () => Promise.reject(etcdError('etcdserver: unhealthy cluster'))), {wait: `member add etcd4: etcdserver: unhealthy cluster: ${HEALTH_WINDOW_WAIT}`, waitingFor: "etcd's 5-s health window"})
    assert.deepEqual(await act(h.ctx, 'member promote etcd4', () => Promise.reject(etcdError('etcdserver: can only promote a learner member which is in sync with leader'))), {
      wait: 'member promote etcd4: etcdserver: can only promote a learner member which is in sync with leader',
    })
  })

  it('turns a call without a reply into uncertain: observe whether it took effect, never send it again blindly', async () => {
    const h = harness()
    assert.deepEqual(await act(h.ctx, 'member remove etcd1', () => Promise.reject(deadlineExceeded())), {
      uncertain: 'member remove etcd1: no reply (Deadline exceeded); observing whether it took effect',
    })
    assert.deepEqual(await act(h.ctx, 'member remove etcd1', () => Promise.reject(new Error('etcdserver: request timed out'))), {
      uncertain: 'member remove etcd1: no reply (etcdserver: request timed out); observing whether it took effect',
    })
  })

  it('stops the step at a refusal, with etcd\'s words, what they mean and what to do', async () => {
    const h = harness()
    const error = await stepFailure(act(h.ctx, 'member add etcd4', () => Promise.reject(etcdError('etcdserver: too many learner members in cluster'))))
    assert.equal(error.stepId, 'preflight')
    assert.equal(error.reason, 'member add etcd4: etcd refused: etcdserver: too many learner members in cluster')
    assert.equal(error.hint, 'etcd allows one learner at a time and the cluster already has one. Promote or remove the existing learner (`etcdplan plan` plans this), then apply again.')
  })

  it('gives a refusal it has no explanation for the generic way on', async () => {
    const h = harness()
    const error = await stepFailure(act(h.ctx, 'member add etcd4', () => Promise.reject(new Error('etcdserver: something new'))))
    assert.equal(error.reason, 'member add etcd4: etcd refused: etcdserver: something new')
    assert.equal(error.hint, 'Check the cluster with `etcdplan status`, fix the cause, then run the same apply again: it resumes at this step.')
  })
})
