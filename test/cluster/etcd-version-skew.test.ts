// etcd's join rule (cluster_util.go isCompatibleWithVers): MinClusterVersion (3.0) <= cluster version
// <= the binary's major.minor; plus etcd's one-minor-apart support; the cluster version as the lowest
// major.minor the members report; `etcd --version` parsed from its first line.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {clusterVersionOf, joinRefusal} from '../../src/cluster/etcd-version-skew.js'
import {parseEtcdVersion, parseServerVersion} from '../../src/nodes/parse-etcd-version.js'

const v = (text: string) => parseServerVersion(text)!

describe('etcd version skew', () => {
  it('the cluster version is the lowest major.minor the members report (unanswered ones left out)', () => {
    assert.deepEqual(clusterVersionOf(['3.5.16', '3.4.23', null, '3.5.30']), {major: 3, minor: 4})
    assert.deepEqual(clusterVersionOf(['3.10.0', '3.9.1']), {major: 3, minor: 9})
    assert.equal(clusterVersionOf([null, 'garbage']), null)
  })

  it('a binary at the cluster version or one minor ahead may join', () => {
    assert.equal(joinRefusal(v('3.4.23'), {major: 3, minor: 4}), null)
    assert.equal(joinRefusal(v('3.5.0'), {major: 3, minor: 4}), null)
  })

  it('a binary older than the cluster version is refused with etcd\'s error', () => {
    assert.match(joinRefusal(v('3.4.23'), {major: 3, minor: 5}) ?? '', /older than the cluster version.*`incompatible with current running cluster`/)
    assert.match(joinRefusal(v('3.3.27'), {major: 3, minor: 4}) ?? '', /older than the cluster version/)
  })

  it('a binary two minors ahead, a cluster below MinClusterVersion and another major are refused', () => {
    assert.match(joinRefusal(v('3.6.0'), {major: 3, minor: 4}) ?? '', /at most one minor version apart/)
    assert.match(joinRefusal(v('3.4.23'), {major: 2, minor: 3}) ?? '', /below 3\.0, the lowest etcd 3\.4 can join/)
    assert.match(joinRefusal(v('4.0.0'), {major: 4, minor: 0}) ?? '', /etcd 3\.x only/)
  })

  it('reads `etcd --version`', () => {
    assert.deepEqual(parseEtcdVersion('etcd Version: 3.4.23\nGit SHA: Not provided\nGo Version: go1.19\n'), {major: 3, minor: 4, patch: 23, text: '3.4.23'})
    assert.equal(parseEtcdVersion('etcd Version: 3.6.0-rc.2\n')?.text, '3.6.0-rc.2')
    assert.equal(parseEtcdVersion('Usage: etcd [flags]\n'), null)
    assert.equal(parseEtcdVersion(''), null)
  })
})
