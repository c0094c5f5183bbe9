import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {closestMatch, editDistance} from '../../src/spec/did-you-mean.js'

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions as one edit each', () => {
    assert.equal(editDistance('learner', 'learner'), 0)
    assert.equal(editDistance('lerner', 'learner'), 1)
    assert.equal(editDistance('learnerr', 'learner'), 1)
    assert.equal(editDistance('leaner', 'learner'), 1)
    assert.equal(editDistance('leraner', 'learner'), 1)
    assert.equal(editDistance('', 'abc'), 3)
    assert.equal(editDistance('kitten', 'sitting'), 3)
  })
})

describe('closestMatch', () => {
  const memberKeys = ['name', 'peerURL', 'clientURL', 'host', 'dataDir', 'configFile', 'config']
  it('ignores case, "-" and "_"', () => {
    assert.equal(closestMatch('peerUrl', memberKeys), 'peerURL')
    assert.equal(closestMatch('peer_url', memberKeys), 'peerURL')
    assert.equal(closestMatch('client-url', memberKeys), 'clientURL')
    assert.equal(closestMatch('datadir', memberKeys), 'dataDir')
    assert.equal(closestMatch('addfirst', ['add-first', 'one-for-one']), 'add-first')
  })
  it('finds typos', () => {
    assert.equal(closestMatch('clientULR', memberKeys), 'clientURL')
    assert.equal(closestMatch('configFiel', memberKeys), 'configFile')
    assert.equal(closestMatch('etcd9', ['etcd1', 'etcd2']), 'etcd1')
  })
  it('proposes nothing for unrelated words', () => {
    assert.equal(closestMatch('replicas', ['token', 'tls', 'peerTLS']), undefined)
    assert.equal(closestMatch('ip', memberKeys), undefined)
    assert.equal(closestMatch('leader', ['etcd1', 'etcd2', 'etcd3']), undefined)
    assert.equal(closestMatch('x', []), undefined)
  })
})
