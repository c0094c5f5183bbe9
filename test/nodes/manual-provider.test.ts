// The manual provider's instructions, without etcd: complete and copy-pasteable (the config written
// by them is byte for byte the planned one, whatever its path or content holds), values quoted for
// a shell, every node operation an OperatorActionNeeded, every read it cannot make a
// NotObservableError, and the confirmable steps of a plan with nodes.provider manual.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {refuseUnknownConfirms} from '../../src/apply/check-confirms.js'
import {ManualNodeProvider, restoreInstructions, shellQuote, startInstructions, stopInstructions, writeConfigInstructions} from '../../src/nodes/manual-provider.js'
import {NotObservableError} from '../../src/nodes/not-observable.js'
import {OperatorActionNeeded} from '../../src/nodes/operator-action.js'
import type {MemberSpec} from '../../src/spec/types.js'
import {joinMigration} from '../fixtures/migration-plans.js'
import {runAsOperator, shellBlocks} from '../fixtures/operator-commands.js'
import {tempDir} from '../fixtures/temp-dir.js'

const member = (dir: string): MemberSpec => ({
  name: 'etcd4',
  peerURL: 'http://198.18.0.4:2380',
  clientURL: 'http://198.18.0.4:2379',
  host: 'etcd-b',
  dataDir: join(dir, "it's data"),
  configFile: join(dir, "etc d/etcd4's.yaml"),
  config: {},
})

test('shellQuote: single quotes, a quote inside closed, escaped and reopened', () => {
  assert.equal(shellQuote('plain'), `'plain'`)
  assert.equal(shellQuote(`it's $(x) \`y\``), `'it'\\''s $(x) \`y\`'`)
})

test('writeConfig instructions write exactly the planned content (mode 0600), even when it holds the delimiter, quotes and $', () => {
  const dir = tempDir('etcdplan-manual-')
  const m = member(dir)
  const content = `name: etcd4\n# $(touch ${dir}/pwned) \`x\` 'q' "dq" \\\nETCDPLAN_EOF\ninitial-cluster: etcd4=http://198.18.0.4:2380\n`
  const instructions = writeConfigInstructions(m, m.configFile, content)
  assert.match(instructions, /^On etcd4's host \(etcd-b\), as the user etcd runs as, write etcd4's etcd config file /)
  assert.match(instructions, /etcdplan cannot check this file \(nodes\.provider manual\); the next step's start will show it\.$/)
  assert.equal(shellBlocks(instructions).length, 1)
  runAsOperator(instructions)
  assert.equal(readFileSync(m.configFile, 'utf8'), content)
  assert.equal(statSync(m.configFile).mode & 0o777, 0o600)
  assert.throws(() => statSync(join(dir, 'pwned')), /ENOENT/)
})

test('start, stop and restore instructions: the exact commands, paths and values quoted', () => {
  const m = member('/srv')
  assert.deepEqual(shellBlocks(startInstructions(m, m.configFile)), [
    [`mkdir -p '/srv'`, `nohup 'etcd' --config-file '/srv/etc d/etcd4'\\''s.yaml' >>'/srv/it'\\''s data.log' 2>&1 </dev/null &`, `echo $! >'/srv/it'\\''s data.pid'`, ''].join('\n'),
  ])
  assert.match(startInstructions(m, m.configFile), /checks that etcd4 publishes its name and answers at http:\/\/198\.18\.0\.4:2379/)
  assert.deepEqual(shellBlocks(stopInstructions(m)), [
    [`kill "$(cat '/srv/it'\\''s data.pid')"`, `while kill -0 "$(cat '/srv/it'\\''s data.pid')" 2>/dev/null; do sleep 0.2; done`, `rm -f '/srv/it'\\''s data.pid'`, ''].join('\n'),
  ])
  const request = {snapshotPath: '/snap/s.db', dataDir: '/var/lib/etcd/etcd4', initialCluster: 'etcd4=http://198.18.0.4:2380,etcd5=http://198.18.0.5:2380', initialClusterToken: 'tok', peerURL: 'http://198.18.0.4:2380'}
  const restore = restoreInstructions(m, request, 'ab'.repeat(32), '0123abcd')
  const [commands] = shellBlocks(restore)
  assert.equal(
    commands,
    [
      `echo '${'ab'.repeat(32)}  /snap/s.db' | sha256sum -c -`,
      `mkdir -p '/var/lib/etcd'`,
      `find '/var/lib/etcd' -mindepth 1 -maxdepth 1 \\( -name 'etcd4.restoring' -o -name 'etcd4.restoring-*' \\) -exec rm -rf {} +`,
      `ETCDCTL_API=3 'etcdctl' snapshot restore '/snap/s.db' --name 'etcd4' --initial-cluster 'etcd4=http://198.18.0.4:2380,etcd5=http://198.18.0.5:2380' --initial-cluster-token 'tok' --initial-advertise-peer-urls 'http://198.18.0.4:2380' --data-dir '/var/lib/etcd/etcd4.restoring-0123abcd'`,
      `test ! -e '/var/lib/etcd/etcd4' && mv -T '/var/lib/etcd/etcd4.restoring-0123abcd' '/var/lib/etcd/etcd4'`,
      '',
    ].join('\n'),
  )
  // Every rendering stages into a directory of its own (an interrupted earlier restore may still write into its own).
  const staged = (text: string): string => /--data-dir '([^']+)'/.exec(text)?.[1] ?? ''
  assert.match(staged(restoreInstructions(m, request, 'ab'.repeat(32))), /^\/var\/lib\/etcd\/etcd4\.restoring-[0-9a-f]{8}$/)
  assert.notEqual(staged(restoreInstructions(m, request, 'ab'.repeat(32))), staged(restoreInstructions(m, request, 'ab'.repeat(32))))
  assert.match(restore, /^Copy the snapshot \/snap\/s\.db from the apply machine to \/snap\/s\.db on etcd4's host \(etcd-b\)/)
})

test('restore instructions as the operator runs them: earlier attempts\' staging dirs removed (only those of this data dir, a name with * and [ matched as itself), the restore moved into place', () => {
  const dir = tempDir('etcdplan-manual-restore-')
  // A fake etcdctl beside the member's etcd: it restores by creating what a real restore creates in --data-dir.
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  writeFileSync(join(bin, 'etcdctl'), '#!/bin/sh\nwhile [ $# -gt 0 ]; do if [ "$1" = --data-dir ]; then mkdir -p "$2/member/snap" && echo db > "$2/member/snap/db"; exit 0; fi; shift; done; exit 2\n', {mode: 0o755})
  const m = {...member(dir), etcd: join(bin, 'etcd')}
  const snapshot = join(dir, 'snap.db')
  writeFileSync(snapshot, 'a snapshot\n')
  const sha256 = createHash('sha256').update(readFileSync(snapshot)).digest('hex')
  const parent = join(dir, 'data')
  const dataDir = join(parent, "it's [d]*ata")
  const leftovers = [`${dataDir}.restoring`, `${dataDir}.restoring-123-abc`, `${dataDir}.restoring-0badf00d`]
  // Names the pattern would match if its * and [ were not escaped, and another data dir's staging dir: kept.
  const others = [join(parent, "it's ata.restoring-1-ab"), join(parent, "it's ddata.restoring"), join(parent, 'other.restoring-1-ab')]
  for (const path of [...leftovers, ...others]) {
    mkdirSync(join(path, 'member'), {recursive: true})
    writeFileSync(join(path, 'member', 'junk'), 'half a restore\n')
  }
  runAsOperator(restoreInstructions(m, {snapshotPath: snapshot, dataDir, initialCluster: `etcd4=${m.peerURL}`, initialClusterToken: 'tok', peerURL: m.peerURL}, sha256))
  assert.equal(readFileSync(join(dataDir, 'member', 'snap', 'db'), 'utf8'), 'db\n')
  assert.deepEqual(readdirSync(join(dataDir, 'member')), ['snap'], 'no leftover\'s junk in the data dir')
  assert.deepEqual(readdirSync(parent).sort(), [dataDir, ...others].map((p) => basename(p)).sort())
})

test('the manual provider: every host action is the operator\'s, every read of the host NotObservableError', async () => {
  const provider = new ManualNodeProvider({workDir: '/w', etcd: 'etcd'})
  const m = member('/srv')
  for (const [operation, call] of [
    ['writeConfig', () => provider.writeConfig(m, m.configFile, 'x\n')],
    ['start', () => provider.start(m, m.configFile)],
    ['stop', () => provider.stop(m, 1000)],
    ['restart', () => provider.restart(m, m.configFile, 1000)],
  ] as const) {
    await assert.rejects(call(), (error: unknown) => error instanceof OperatorActionNeeded && error.operation === operation && error.member === 'etcd4' && shellBlocks(error.instructions).length > 0)
  }
  await assert.rejects(provider.restore(m, {snapshotPath: '/nonexistent/s.db', dataDir: '/d', initialCluster: 'etcd4=http://198.18.0.4:2380', initialClusterToken: 't', peerURL: m.peerURL}), (error: unknown) => error instanceof OperatorActionNeeded && error.confirmedResult === 'restored')
  for (const read of [() => provider.readConfig(m, m.configFile), () => provider.isRunning(m), () => provider.awaitExit(m, 10), () => provider.inspectDataDir(m), () => provider.probeHost(m, {files: [], listen: []}), () => provider.putFile(m, {localPath: '/a', remotePath: '/b'})]) {
    await assert.rejects(read(), (error: unknown) => error instanceof NotObservableError && /with nodes\.provider manual: it runs nothing on the hosts$/.test(error.message))
  }
  assert.equal(await provider.logTail(m, 10), '')
})

test('--confirm accepts every host step of a plan with nodes.provider manual, and only switch-dns/stop-member otherwise', () => {
  const {plan} = joinMigration()
  const hostSteps = plan.steps.filter((s) => ['write-config', 'start-member', 'restart-member', 'rewrite-config', 'stop-member'].includes(s.kind)).map((s) => s.id)
  assert.ok(hostSteps.some((id) => id.startsWith('start-member/')), 'the fixture plan starts a member')
  refuseUnknownConfirms(hostSteps, plan, 'manual')
  const start = hostSteps.find((id) => id.startsWith('start-member/'))!
  assert.throws(() => refuseUnknownConfirms([start], plan, 'local'), /not a step of this plan that waits for the operator/)
  assert.throws(() => refuseUnknownConfirms(['verify'], plan, 'manual'), /--confirm verify: not a step of this plan that waits for the operator/)
})
