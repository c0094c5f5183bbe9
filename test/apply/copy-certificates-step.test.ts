// The copy-certificates executor against the fake provider: each file goes through putFile with mode
// 0600, from its distribute.from path to its host path; a file already there with the same sha256 is
// reported as such. With nodes.provider manual the step stops with the operator's commands (scp,
// install -m 0600, sha256sum -c with the source's checksum) — paths and checksums, never the files'
// content — and --confirm continues without copying anything.
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {runStep} from '../../src/apply/steps/run-step.js'
import type {PutFileRequest} from '../../src/nodes/node-provider.js'
import type {Plan, Step} from '../../src/plan/types.js'
import type {MemberSpec, Spec} from '../../src/spec/types.js'
import {fakeCluster, migration} from '../fixtures/migration-plans.js'
import {members} from '../fixtures/spec-builder.js'
import {stepHarness} from '../fixtures/step-context.js'
import {tempDir} from '../fixtures/temp-dir.js'

const dir = tempDir('etcdplan-copy-certs-')
const from = join(dir, 'certs')
const PEM = '-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n'

const https = (m: MemberSpec): MemberSpec => ({
  ...m,
  peerURL: m.peerURL.replace('http:', 'https:'),
  clientURL: m.clientURL.replace('http:', 'https:'),
  tls: {ca: '/etc/etcd/pki/ca.pem', cert: `/etc/etcd/pki/${m.name}.pem`, key: `/etc/etcd/pki/${m.name}-key.pem`, clientCertAuth: true},
})

function distributed(provider: Spec['nodes']['provider']): {spec: Spec; plan: Plan; step: Step} {
  const {spec, plan} = migration({source: members('etcd', 1, 3, 1).map(https), target: members('etcd', 4, 6, 2).map(https), dns: false}, (s) => ({...s, cluster: {...s.cluster, distribute: {from}}, nodes: {...s.nodes, provider}}))
  const step = plan.steps.find((s) => s.id === 'copy-certificates/etcd4')
  assert.ok(step)
  return {spec, plan, step}
}

describe('copy-certificates', () => {
  it('puts every file with mode 0600 from distribute.from to its host path', async () => {
    const {spec, plan, step} = distributed('local')
    const harness = stepHarness({spec, plan, step, cluster: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd1'})})
    const result = await runStep(harness.ctx, step)
    const puts = harness.provider.calls.filter((c) => c.method === 'putFile').map((c) => c.args[0] as PutFileRequest)
    assert.deepEqual(puts, ['ca.pem', 'etcd4.pem', 'etcd4-key.pem'].map((f) => ({localPath: join(from, f), remotePath: `/etc/etcd/pki/${f}`, mode: 0o600})))
    assert.ok('done' in result && /^copied \/etc\/etcd\/pki\/ca\.pem, \/etc\/etcd\/pki\/etcd4\.pem, \/etc\/etcd\/pki\/etcd4-key\.pem \(sha256 checked on etcd4's host\)$/.test(result.done), JSON.stringify(result))
  })

  it('with nodes.provider manual, stops with the commands and the checksums, never the content', async () => {
    await mkdir(from, {recursive: true})
    for (const f of ['ca.pem', 'etcd4.pem', 'etcd4-key.pem']) await writeFile(join(from, f), PEM)
    const sha = createHash('sha256').update(PEM).digest('hex')
    const {spec, plan, step} = distributed('manual')
    const harness = stepHarness({spec, plan, step, cluster: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd1'})})
    const result = await runStep(harness.ctx, step)
    assert.ok('operator' in result, JSON.stringify(result))
    assert.match(result.operator, new RegExp(`scp '?${join(from, 'etcd4-key.pem')}'? '?127\\.0\\.2\\.1:/etc/etcd/pki/etcd4-key\\.pem\\.copy'?`))
    assert.match(result.operator, /install -D -m 0600 '?\/etc\/etcd\/pki\/etcd4-key\.pem\.copy'? '?\/etc\/etcd\/pki\/etcd4-key\.pem'?/)
    assert.ok(result.operator.includes(`${sha}  /etc/etcd/pki/etcd4-key.pem`))
    assert.match(result.operator, /--confirm copy-certificates\/etcd4/)
    assert.ok(!result.operator.includes('-----BEGIN'), 'no file content in the instructions')
    assert.equal(harness.provider.calls.filter((c) => c.method === 'putFile').length, 0)

    const confirmed = stepHarness({spec, plan, step, cluster: fakeCluster(spec, ['etcd1', 'etcd2', 'etcd3'], {leader: 'etcd1'}), confirmed: [step.id]})
    const done = await runStep(confirmed.ctx, step)
    assert.ok('done' in done && /the operator copied .* \(confirmed\)/.test(done.done))
  })
})
