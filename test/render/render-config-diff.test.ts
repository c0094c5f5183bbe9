import {describe, it} from 'node:test'
import assert from 'node:assert/strict'
import {renderConfigDiff} from '../../src/render/render-config-diff.js'
import {ANSI, stripAnsi} from './ansi.js'
import {etcdConfig} from './plan-fixture.js'

describe('renderConfigDiff', () => {
  const written = etcdConfig(['etcd1', 'etcd2', 'etcd3', 'etcd4'])
  const rewritten = etcdConfig(['etcd2', 'etcd3', 'etcd4'])

  it('shows a new file as added from /dev/null, every line', () => {
    const diff = renderConfigDiff({before: null, after: written}, {colour: false})
    const lines = diff.split('\n')
    assert.deepEqual(lines.slice(0, 3), ['--- /dev/null', '+++ /etc/etcd/etcd4.yaml', '@@ -0,0 +1,10 @@'])
    assert.ok(lines.includes('+initial-cluster-state: existing'))
    assert.ok(lines.includes('+name: etcd4'))
    assert.equal(lines.length, 3 + 10)
  })

  it('shows a rewrite as the changed lines with context', () => {
    const diff = renderConfigDiff({before: written, after: rewritten}, {colour: false})
    assert.match(diff, /^--- \/etc\/etcd\/etcd4\.yaml\n\+\+\+ \/etc\/etcd\/etcd4\.yaml\n@@ /)
    assert.match(diff, /^-initial-cluster: etcd1=/m)
    assert.match(diff, /^\+initial-cluster: etcd2=/m)
    assert.match(diff, /^ initial-cluster-state: existing$/m)
  })

  it('says so when nothing changes', () => {
    assert.equal(renderConfigDiff({before: written, after: written}, {colour: false}), '--- /etc/etcd/etcd4.yaml\n+++ /etc/etcd/etcd4.yaml\n (no changes)')
  })

  it('colours added and removed lines only when asked', () => {
    const plain = renderConfigDiff({before: written, after: rewritten}, {colour: false})
    const coloured = renderConfigDiff({before: written, after: rewritten}, {colour: true})
    assert.doesNotMatch(plain, ANSI)
    assert.match(coloured, /\u001b\[32m\+initial-cluster: etcd2=/)
    assert.match(coloured, /\u001b\[31m-initial-cluster: etcd1=/)
    assert.equal(stripAnsi(coloured), plain)
  })
})
