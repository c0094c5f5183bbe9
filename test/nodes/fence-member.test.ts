// fenceMember on every provider: a removed member's config file and data dir renamed beside
// themselves to `<path>.removed-<UTC stamp>`, contents kept (nothing deleted); a second call moves
// nothing and says where the first one put them; a path with nothing at it nor beside it is null.
// ssh runs its real host script through LocalTransport (the "host" is this machine), with a fake
// systemctl for service: systemd (the unit is disabled: checked by the exact command it sends).
// manual answers with the mv commands (an operator action); exec runs nodes.exec.fence with the
// paths and suffix in ETCDPLAN_FENCE_* and, without it, says it cannot (NotObservableError).
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ExecNodeProvider} from '../../src/nodes/exec-provider.js'
import {newestFencedName} from '../../src/nodes/fenced-path.js'
import {LocalNodeProvider} from '../../src/nodes/local-provider.js'
import {ManualNodeProvider} from '../../src/nodes/manual-provider.js'
import type {NodeProvider} from '../../src/nodes/node-provider.js'
import {NotObservableError} from '../../src/nodes/not-observable.js'
import {OperatorActionNeeded} from '../../src/nodes/operator-action.js'
import {SshNodeProvider} from '../../src/nodes/ssh-provider.js'
import type {MemberSpec, SshNodes} from '../../src/spec/types.js'
import {installFakeSystemd} from './ssh/fake-systemd.js'
import {LocalTransport} from './ssh/local-transport.js'

const STAMPED = /\.removed-\d{8}T\d{6}Z$/

function memberIn(dir: string): MemberSpec {
  return {name: 'etcd1', peerURL: 'http://127.0.1.1:2380', clientURL: 'http://127.0.1.1:2379', host: '127.0.1.1', dataDir: join(dir, 'data', 'etcd1'), configFile: join(dir, 'etc', 'etcd1.yaml'), config: {}}
}

async function removedMemberFiles(member: MemberSpec): Promise<void> {
  await mkdir(join(member.dataDir, 'member', 'wal'), {recursive: true})
  await writeFile(join(member.dataDir, 'member', 'wal', '0000000000000000-0000000000000000.wal'), 'wal bytes')
  await mkdir(join(member.configFile, '..'), {recursive: true})
  await writeFile(member.configFile, 'name: etcd1\n')
}

const sshOptions = (dir: string): SshNodes => ({sudo: false, service: 'process', unit: 'etcd-{name}.service', etcd: 'etcd', dataDir: join(dir, 'data', '{name}'), configFile: join(dir, '{name}.yaml'), runDir: join(dir, 'run'), snapshotDir: join(dir, 'snapshots')})

for (const [name, make] of [
  ['local', (dir: string) => new LocalNodeProvider({workDir: join(dir, 'nodes'), etcd: 'etcd'})],
  ['ssh', (dir: string) => new SshNodeProvider(sshOptions(dir), new LocalTransport())],
] as const) {
  test(`the ${name} provider moves a removed member's config and data dir aside, contents kept, and is idempotent`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'etcdplan-fence-'))
    try {
      const provider: NodeProvider = make(dir)
      const member = memberIn(dir)
      await removedMemberFiles(member)
      const missing = join(dir, 'wal-elsewhere')
      const first = await provider.fenceMember(member, [member.configFile, member.dataDir, missing])
      assert.equal(first.disabledUnit, null)
      const [config, data, none] = first.paths
      assert.equal(config?.path, member.configFile)
      assert.match(config?.movedTo ?? '', STAMPED)
      assert.ok(config?.movedTo?.startsWith(`${member.configFile}.removed-`))
      assert.equal(config?.earlier, false)
      assert.ok(data?.movedTo?.startsWith(`${member.dataDir}.removed-`))
      assert.deepEqual(none, {path: missing, movedTo: null, earlier: false})
      // Nothing deleted: the same bytes at the new names, nothing at the old ones.
      assert.equal(await readFile(config!.movedTo!, 'utf8'), 'name: etcd1\n')
      assert.equal(await readFile(join(data!.movedTo!, 'member', 'wal', '0000000000000000-0000000000000000.wal'), 'utf8'), 'wal bytes')
      await assert.rejects(readFile(member.configFile), {code: 'ENOENT'})
      await assert.rejects(readdir(member.dataDir), {code: 'ENOENT'})

      // A rerun (after a kill, a lost reply) moves nothing and reports where they went.
      const again = await provider.fenceMember(member, [member.configFile, member.dataDir])
      assert.deepEqual(again.paths, [
        {path: member.configFile, movedTo: config!.movedTo, earlier: true},
        {path: member.dataDir, movedTo: data!.movedTo, earlier: true},
      ])
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
}

test('ssh with service: systemd also disables the member\'s unit (the exact systemctl command)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-fence-systemd-'))
  try {
    const fakes = join(dir, 'fakes')
    const fake = await installFakeSystemd(fakes)
    const provider = new SshNodeProvider({...sshOptions(dir), service: 'systemd'}, new LocalTransport({PATH: `${fakes}:${process.env.PATH ?? ''}`}))
    const member = memberIn(dir)
    await removedMemberFiles(member)
    const result = await provider.fenceMember(member, [member.configFile])
    assert.equal(result.disabledUnit, 'etcd-etcd1.service')
    assert.match(result.paths[0]?.movedTo ?? '', STAMPED)
    assert.deepEqual((await readFile(fake.commands, 'utf8')).trim().split('\n'), ['systemctl\tdisable\tetcd-etcd1.service'])
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
})

test('manual: the operator moves the files aside with the printed commands (only when present, never deleted)', async () => {
  const provider = new ManualNodeProvider({workDir: '.etcdplan/local', etcd: 'etcd'})
  const member = memberIn('/srv')
  const action = await provider.fenceMember(member, [member.configFile, member.dataDir]).then(
    () => assert.fail('manual acts on no host'),
    (error: unknown) => error,
  )
  assert.ok(action instanceof OperatorActionNeeded)
  assert.match(action.instructions, /stamp=\$\(date -u \+%Y%m%dT%H%M%SZ\)/)
  assert.match(action.instructions, /if \[ -e '\/srv\/etc\/etcd1\.yaml' \]; then mv -n -T '\/srv\/etc\/etcd1\.yaml' '\/srv\/etc\/etcd1\.yaml\.removed-'"\$stamp"; fi/)
  assert.match(action.instructions, /mv -n -T '\/srv\/data\/etcd1' '\/srv\/data\/etcd1\.removed-'"\$stamp"/)
  assert.doesNotMatch(action.instructions, /\brm\b/)
})

test('exec: nodes.exec.fence gets the paths and the suffix; without it, it cannot (not observable)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'etcdplan-fence-exec-'))
  try {
    const seen = join(dir, 'seen')
    const script = `printf '%s\\n--\\n%s\\n' "$ETCDPLAN_FENCE_PATHS" "$ETCDPLAN_FENCE_SUFFIX" > ${JSON.stringify(seen)}`
    const base = {writeConfig: ['true'], start: ['true'], stop: ['true'], isRunning: ['false']}
    const exec = new ExecNodeProvider({...base, fence: ['sh', '-c', script]}, {stepTimeoutMs: 10_000, localEtcd: 'etcd'})
    const member = memberIn('/srv')
    const result = await exec.fenceMember(member, [member.configFile, member.dataDir])
    const [paths, suffix] = (await readFile(seen, 'utf8')).split('\n--\n')
    assert.equal(paths, '/srv/etc/etcd1.yaml\n/srv/data/etcd1')
    assert.match(suffix!.trim(), /^\.removed-\d{8}T\d{6}Z$/)
    assert.equal(result.paths[0]?.movedTo, `/srv/etc/etcd1.yaml${suffix!.trim()}`)

    const blind = new ExecNodeProvider(base, {stepTimeoutMs: 10_000, localEtcd: 'etcd'})
    await assert.rejects(blind.fenceMember(member, [member.configFile]), (error: unknown) => error instanceof NotObservableError && /nodes\.exec has no fence command/.test(error.message))
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
})

test('newestFencedName picks the latest stamp (and -n candidates after their second), ignoring other names', () => {
  const names = ['etcd1.yaml', 'etcd1.yaml.removed-20260101T000000Z', 'etcd1.yaml.removed-20260102T000000Z', 'etcd1.yaml.removed-20260102T000000Z-2', 'etcd1.yaml.removed-junk', 'etcd1.yaml.failed-start-20270101T000000Z']
  assert.equal(newestFencedName('etcd1.yaml', names), 'etcd1.yaml.removed-20260102T000000Z-2')
  assert.equal(newestFencedName('etcd2.yaml', names), null)
})
