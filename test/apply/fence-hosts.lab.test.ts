// End to end on the lab of separate hosts (real sshd, real etcd 3.4 inside network namespaces):
// removed members stay removed on their own host. etcd1..etcd3 on host A are replaced by etcd4..etcd6
// on host B through `etcdplan apply` over ssh; then each old member is started again by hand inside
// host A, as a supervisor or a person would (`etcd --config-file /etc/etcd/NAME.yaml`). Proves: on
// host A each old member's config and data dir are at `<path>.removed-<time>` (nothing left at the
// paths, the config text intact); each hand start exits without serving (its config is gone); the
// target's member list is unchanged. The lab stops everything it started at close.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {readdir, readFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {E2E_TIMEOUTS, RUNBOOK_JOIN} from '../fixtures/lab-cluster.js'
import {startHostsCluster, type HostsCluster} from '../fixtures/hosts-cluster.js'
import {runCliAsync} from '../fixtures/run-cli-async.js'
import {assertExactMembership, explain} from './migration-assertions.js'

test('removed members across hosts: fenced on host A by ssh, started again by hand there they do not come back', {timeout: 300_000}, async (t) => {
  let cluster: HostsCluster | null = null
  try {
    cluster = await startHostsCluster({name: 'fence-hosts', spec: {join: {...RUNBOOK_JOIN, rollingRestart: false}, timeouts: E2E_TIMEOUTS}})
    const {spec, lab, specPath, dir} = cluster
    const hostA = lab.host('a')
    const configsBefore = new Map(await Promise.all(spec.source.members.map(async (m) => [m.name, await readFile(hostA.rootOf(m.configFile), 'utf8')] as const)))

    const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 240_000})
    t.diagnostic(`apply took ${Math.round(result.durationMs)} ms`)
    assert.equal(result.status, 0, explain(result))
    const targetURLs = spec.target.members.map((m) => m.clientURL)
    await assertExactMembership(targetURLs, spec.target.members)

    for (const m of spec.source.members) {
      const config = hostA.rootOf(m.configFile)
      const aside = (await readdir(dirname(config))).filter((n) => n.startsWith(`${basename(config)}.removed-`))
      assert.equal(aside.length, 1, `${m.name}'s config moved aside once on host A: ${aside.join(', ')}`)
      assert.equal(await readFile(join(dirname(config), aside[0]!), 'utf8'), configsBefore.get(m.name), `${m.name}'s config is intact`)
      await assert.rejects(readFile(config), {code: 'ENOENT'})
      const data = hostA.rootOf(m.dataDir)
      const dataAside = (await readdir(dirname(data))).filter((n) => n.startsWith(`${basename(data)}.removed-`))
      assert.equal(dataAside.length, 1, `${m.name}'s data dir moved aside once on host A`)
      assert.ok((await readdir(join(dirname(data), dataAside[0]!, 'member', 'wal'))).length > 0, `${m.name}'s WAL is still in its moved-aside data dir`)

      // Started by hand inside host A: no config, nothing starts.
      const byHand = await hostA.exec(['timeout', '15', 'etcd', '--config-file', m.configFile], {timeoutMs: 20_000})
      assert.equal(byHand.status, 1, `etcd for ${m.name} started by hand on host A: ${byHand.stderr}`)
      assert.match(byHand.stderr, /no such file or directory/)
    }
    await assertExactMembership(targetURLs, spec.target.members)
  } finally {
    await cluster?.close()
  }
})
