// The configs a plan writes must be accepted by the etcd that runs them: start a real etcd
// (Debian's 3.4.23) on loopback with a rendered config and check that it serves as the member the
// config names. The join configs themselves are exercised by the applier's tests; here a
// single-member `new` config proves the keys, values and YAML layout are what etcd reads.
import {describe, it, after} from 'node:test'
import assert from 'node:assert/strict'
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {renderEtcdConfig} from '../../src/plan/etcd-config.js'
import {buildSpec, member} from '../fixtures/spec-builder.js'
import {waitForHealth} from '../fixtures/wait-for-health.js'

const dir = mkdtempSync(join(tmpdir(), 'etcdplan-config-'))
let etcd: ChildProcess | undefined

after(async () => {
  // Stop the etcd this test started, by its pid, whatever happened, then remove its files.
  if (etcd?.pid !== undefined && etcd.exitCode === null) {
    const exited = new Promise((resolve) => etcd!.once('exit', resolve))
    etcd.kill('SIGKILL')
    await exited
  }
  rmSync(dir, {recursive: true, force: true})
})

describe('rendered etcd config', () => {
  it('starts a real etcd that serves as the member it names', async () => {
    const base = member('cfgcheck', '127.0.77.1')
    const m = {...base, dataDir: join(dir, 'data'), configFile: join(dir, 'etcd.yaml')}
    const spec = buildSpec({source: [m], target: [m]})
    const config = renderEtcdConfig({member: m, spec, initialCluster: `${m.name}=${m.peerURL}`, initialClusterState: 'new'})
    writeFileSync(config.path, config.content)
    const log = join(dir, 'etcd.log')
    etcd = spawn('etcd', ['--config-file', config.path], {stdio: ['ignore', 'ignore', 'pipe']})
    const stderr: Buffer[] = []
    etcd.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk))
    const spawnError = new Promise<string>((resolve) => etcd!.on('error', (e) => resolve(`could not run etcd (${e.message}): install etcd-server`)))
    const answer = await Promise.race([waitForHealth(m.clientURL, 15_000), spawnError])
    writeFileSync(log, Buffer.concat(stderr))
    assert.match(answer, /"health":"true"/, `etcd did not become healthy with the rendered config:\n${readFileSync(log, 'utf8').slice(-2000)}`)
    const list = spawnSync('etcdctl', ['--endpoints', m.clientURL, 'member', 'list', '-w', 'json'], {encoding: 'utf8', env: {...process.env, ETCDCTL_API: '3'}})
    assert.equal(list.status, 0, list.stderr)
    const members = (JSON.parse(list.stdout) as {members: {name: string; peerURLs: string[]; clientURLs: string[]}[]}).members
    assert.deepEqual(members.map((x) => [x.name, x.peerURLs, x.clientURLs]), [[m.name, [m.peerURL], [m.clientURL]]])
    assert.doesNotMatch(Buffer.concat(stderr).toString(), /Deprecated '--logger=capnslog'/)
  })
})
