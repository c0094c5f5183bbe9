// The health-window clock: a refusal as `unhealthy cluster` cannot end before 5 s after the latest
// (re)start of a voter (etcd's HealthInterval, counted from when its peers' streams to it came up),
// so that is when a step sleeps to; a learner's start does not count (etcd counts voters); a start
// whose window ended more than WINDOW_SLACK_MS ago explains nothing; on 3.5.30+ an earlier start's
// end may already suffice, so the soonest end still ahead is the one given.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {HEALTH_INTERVAL_MS, HealthWindowClock, WINDOW_SLACK_MS} from '../../src/apply/health-window.js'
import {fakeCluster, joinMigration, memberOf} from '../fixtures/migration-plans.js'

const {spec} = joinMigration()
const peer = (n: number) => memberOf(spec, `etcd${n}`).peerURL

async function fourVoters() {
  return fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3', 'etcd4'], {leader: 'etcd1'}).observe()
}

describe('health-window clock', {concurrency: true}, () => {
  it('knows no end when it recorded no start of a voter (an apply resumed in another process)', async () => {
    assert.equal(new HealthWindowClock().earliestEnd(await fourVoters(), 1_000_000), null)
  })

  it('gives 5 s after a voter\'s recorded start', async () => {
    const clock = new HealthWindowClock()
    clock.memberStarted(peer(4), 1_000_000)
    assert.equal(clock.earliestEnd(await fourVoters(), 1_000_100), 1_000_000 + HEALTH_INTERVAL_MS)
  })

  it('ignores a member that is a learner in the observation (etcd counts voters only)', async () => {
    const clock = new HealthWindowClock()
    clock.memberStarted(peer(4), 1_000_000)
    const cluster = await fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3', 'etcd4'], {leader: 'etcd1'}, {etcd4: {learner: true}}).observe()
    assert.equal(clock.earliestEnd(cluster, 1_000_100), null)
  })

  it('keeps a window that has just ended (its streams may have come up late) and drops one past the slack', async () => {
    const clock = new HealthWindowClock()
    clock.memberStarted(peer(4), 1_000_000)
    const end = 1_000_000 + HEALTH_INTERVAL_MS
    assert.equal(clock.earliestEnd(await fourVoters(), end + WINDOW_SLACK_MS - 1), end)
    assert.equal(clock.earliestEnd(await fourVoters(), end + WINDOW_SLACK_MS + 1), null)
  })

  it('gives the soonest end still ahead when two voters started, the later one once the first has passed', async () => {
    const clock = new HealthWindowClock()
    clock.memberStarted(peer(3), 1_000_000)
    clock.memberStarted(peer(4), 1_003_000)
    assert.equal(clock.earliestEnd(await fourVoters(), 1_000_100), 1_005_000)
    assert.equal(clock.earliestEnd(await fourVoters(), 1_005_000 + WINDOW_SLACK_MS + 1), 1_008_000)
  })
})
