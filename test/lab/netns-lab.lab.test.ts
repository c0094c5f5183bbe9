// The lab of separate hosts itself, with real namespaces, a real bridge and real sshd (no mocks):
// ssh by alias and by address with host keys checked, each host's own directories, host-to-host
// traffic and nothing beyond the bridge, the fault injections (link down, sshd down, partitions),
// two labs at once, the sweep of a lab whose process was SIGKILLed, and close() leaving nothing.
// Needs root and the tools of scripts/ensure-lab-tools.sh: without them every test fails with what
// to do. Every lab this file creates is closed in `after`, whatever happened, and the dir removed.
import {after, before, test} from 'node:test'
import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {createLab, labUnavailable, type Lab} from '../../lab/netns-lab.js'
import {isAlive, run, type RunResult} from '../../lab/lab-process.js'
import {SLOTS_DIR} from '../../lab/lab-slot.js'

let dir = ''
let lab: Lab | null = null
const others: Lab[] = []
let orphan: ChildProcess | null = null
const timings: string[] = []

before(async () => {
  const problem = labUnavailable()
  if (problem !== null) throw new Error(problem)
  dir = await mkdtemp(join(tmpdir(), 'etcdplan-netns-lab-'))
  const started = Date.now()
  lab = await createLab({dir: join(dir, 'main'), hosts: ['a', 'b']})
  timings.push(`createLab, 2 hosts: ${Date.now() - started} ms`)
})

after(async () => {
  try {
    if (orphan?.pid !== undefined && isAlive(orphan.pid)) orphan.kill('SIGKILL')
    for (const other of others) await other.close()
    await lab?.close()
  } finally {
    if (dir !== '') await rm(dir, {recursive: true, force: true})
  }
})

function theLab(): Lab {
  assert.ok(lab !== null, 'the lab was not created (see the error in before)')
  return lab
}

function ssh(target: string, command: string, options: string[] = [], timeoutMs = 20_000): Promise<RunResult> {
  return run(['ssh', '-F', theLab().ssh.config, ...options, target, command], {timeoutMs})
}

/** Whether an SSH banner comes back from address:22 within timeoutMs, seen from the root namespace. */
function reachable(address: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host: address, port: 22})
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('error', () => done(false))
    socket.once('data', (chunk: Buffer) => done(chunk.toString('latin1').startsWith('SSH-')))
  })
}

/** From inside host `from` (not over ssh), whether b's sshd answers within 1 s: 'ok', 'timeout' or the error. */
async function hostToHost(from: string, to: string): Promise<string> {
  const address = theLab().host(to).address
  const result = await theLab()
    .host(from)
    .exec(['timeout', '1', 'bash', '-c', `exec 3<>/dev/tcp/${address}/22 && echo connected >&2 && head -c 4 <&3`])
  if (result.status === 0) return result.stdout
  if (result.status === 124) return result.stderr.includes('connected') ? 'connected, no banner' : 'timeout'
  return result.stderr.trim()
}

function labNamespaces(slot: number): Promise<string[]> {
  return run(['ip', 'netns', 'list']).then((r) => r.stdout.split('\n').map((line) => line.split(' ')[0]!).filter((name) => name.startsWith(`ep${slot}-`)))
}

function labLinks(slot: number): Promise<string[]> {
  const pattern = new RegExp(`^\\d+:\\s+(epbr${slot}|ep${slot}v\\d+)[:@]`)
  return run(['ip', '-o', 'link']).then((r) => r.stdout.split('\n').filter((line) => pattern.test(line)))
}

test('two hosts, each with its own namespace and address in the slot, the outside address on the bridge', async () => {
  const l = theLab()
  assert.deepEqual(l.hosts.map((h) => h.name), ['a', 'b'])
  assert.equal(l.outsideAddress, `198.18.0.${16 * l.slot + 1}`)
  assert.deepEqual(l.hosts.map((h) => h.address), [`198.18.0.${16 * l.slot + 2}`, `198.18.0.${16 * l.slot + 3}`])
  assert.deepEqual(l.hosts.map((h) => h.alias), ['lab-a', 'lab-b'])
  assert.deepEqual((await labNamespaces(l.slot)).sort(), [`ep${l.slot}-a`, `ep${l.slot}-b`])
  assert.equal((await labLinks(l.slot)).length, 3, 'the bridge and two veths')
  const addresses = await l.host('a').exec(['ip', '-o', '-4', 'addr', 'show'])
  assert.match(addresses.stdout, new RegExp(`eth0\\s+inet ${l.host('a').address.replace(/\./g, '\\.')}/28`))
  assert.doesNotMatch((await l.host('a').exec(['ip', '-o', '-6', 'addr', 'show', 'dev', 'eth0'])).stdout, /inet6/, 'no IPv6 link-local address')
  const owner = JSON.parse(await readFile(join(SLOTS_DIR, `slot-${l.slot}`, 'owner.json'), 'utf8')) as {pid: number}
  assert.equal(owner.pid, process.pid)
})

test('ssh by alias and by address works with BatchMode and the lab known_hosts, as root', async () => {
  const byAlias = await ssh('lab-a', 'id -u; hostname -I')
  assert.equal(byAlias.status, 0, byAlias.stderr)
  assert.equal(byAlias.stdout.split('\n')[0], '0')
  assert.match(byAlias.stdout, new RegExp(theLab().host('a').address.replace(/\./g, '\\.')))
  const byAddress = await ssh(`root@${theLab().host('b').address}`, 'true')
  assert.equal(byAddress.status, 0, byAddress.stderr)
  const config = await readFile(theLab().ssh.config, 'utf8')
  assert.match(config, /BatchMode yes/)
  assert.match(config, /StrictHostKeyChecking yes/)
})

test('a host key not in known_hosts is refused, and so is a changed one', async () => {
  const unknown = await ssh('lab-a', 'true', ['-o', 'UserKnownHostsFile=/dev/null'])
  assert.equal(unknown.status, 255)
  assert.match(unknown.stderr, /Host key verification failed/)
  // b's key written down for a's address: what a re-installed or impostor host looks like.
  const lines = (await readFile(theLab().ssh.knownHosts, 'utf8')).trim().split('\n')
  const bKey = lines[1]!.split(' ').slice(1).join(' ')
  const changed = join(dir, 'changed_known_hosts')
  await writeFile(changed, `${theLab().host('a').address},lab-a ${bKey}\n`)
  const refused = await ssh('lab-a', 'true', ['-o', `UserKnownHostsFile=${changed}`])
  assert.equal(refused.status, 255)
  assert.match(refused.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/)
  assert.match(refused.stderr, /Host key verification failed/)
})

test('each host has its own /etc/etcd, /var/lib/etcd, /var/lib/etcdplan and /root, kept below dir', async () => {
  const l = theLab()
  const probe = `lab-probe-${process.pid}`
  for (const path of ['/etc/etcd', '/var/lib/etcd', '/var/lib/etcdplan', '/root']) {
    const written = await ssh('lab-a', `echo written-in-a > ${path}/${probe}`)
    assert.equal(written.status, 0, written.stderr)
    assert.equal((await ssh('lab-b', `test ! -e ${path}/${probe}`)).status, 0, `${path}/${probe} is visible in host b`)
    assert.equal(existsSync(`${path}/${probe}`), false, `${path}/${probe} is visible in the root namespace`)
    assert.equal(await readFile(l.host('a').rootOf(`${path}/${probe}`), 'utf8'), 'written-in-a\n')
    assert.ok(l.host('a').rootOf(path).startsWith(join(dir, 'main')))
    assert.equal(existsSync(l.host('b').rootOf(`${path}/${probe}`)), false)
  }
  // exec() sees the host as ssh does.
  assert.equal((await l.host('a').exec(['cat', `/etc/etcd/${probe}`])).stdout, 'written-in-a\n')
  // A fresh root account: not the test machine's ~/.bashrc (bash sources it for every ssh command).
  assert.equal((await ssh('lab-a', 'ls -A /root')).stdout.split('\n').filter((name) => name !== probe && name !== '').join(','), '')
  assert.throws(() => l.host('a').rootOf('/etc/passwd'), /not below one of host a's own directories/)
  assert.throws(() => l.host('a').rootOf('/etc/etcd/../passwd'), /not below/)
})

test('the hosts find etcd, etcdctl and the usual tools on PATH in ssh sessions', async () => {
  const result = await ssh('lab-b', 'for tool in etcd etcdctl ss sha256sum base64 setsid; do command -v $tool || echo "missing $tool"; done')
  assert.equal(result.status, 0, result.stderr)
  assert.doesNotMatch(result.stdout, /missing/)
  assert.match(result.stdout, /\/usr\/bin\/etcd\n/)
  assert.match((await ssh('lab-b', 'echo $PATH')).stdout, /(^|:)\/usr\/bin(:|$)/m)
})

test('host a reaches host b, the root namespace reaches both, and no host has a route beyond the bridge', async () => {
  assert.equal(await hostToHost('a', 'b'), 'SSH-')
  assert.equal(await hostToHost('b', 'a'), 'SSH-')
  for (const host of theLab().hosts) assert.equal(await reachable(host.address, 2_000), true)
  // `ip route get` sends nothing: it only asks the host's routing table.
  const beyond = await theLab().host('a').exec(['ip', 'route', 'get', '203.0.113.1'])
  assert.notEqual(beyond.status, 0)
  assert.match(beyond.stderr, /Network is unreachable/)
  assert.equal((await theLab().host('a').exec(['ip', 'route', 'show', 'default'])).stdout, '')
})

test('linkDown cuts b off from outside and from a; linkUp restores it', async () => {
  const b = theLab().host('b')
  await b.linkDown()
  try {
    assert.equal(await reachable(b.address, 1_000), false)
    assert.notEqual(await hostToHost('a', 'b'), 'SSH-')
    const refused = await ssh('lab-b', 'true', ['-o', 'ConnectTimeout=1'])
    assert.equal(refused.status, 255)
  } finally {
    await b.linkUp()
  }
  assert.equal(await reachable(b.address, 2_000), true)
  assert.equal((await ssh('lab-b', 'true')).status, 0)
})

test('stopSshd: ssh is refused and open connections drop, the host and its processes keep running; startSshd restores', async () => {
  const a = theLab().host('a')
  const daemon = await a.spawnDaemon(['sleep', '600'], join(dir, 'sleeper.log'))
  const session = ssh('lab-a', 'touch /var/lib/etcdplan/session-up; sleep 30')
  await waitFor(async () => existsSync(a.rootOf('/var/lib/etcdplan/session-up')), 'the ssh session runs')
  const before = a.sshdPid()
  assert.notEqual(before, null)
  await a.stopSshd()
  try {
    assert.equal(a.sshdPid(), null)
    assert.equal(isAlive(before!), false)
    const refused = await ssh('lab-a', 'true')
    assert.equal(refused.status, 255)
    assert.match(refused.stderr, /Connection refused/)
    assert.equal((await session).status, 255, 'the open connection dropped')
    assert.equal(isAlive(daemon.pid), true, 'a process in the host survives sshd')
    assert.equal((await a.exec(['true'])).status, 0, 'exec works while sshd is down')
  } finally {
    await a.startSshd()
  }
  assert.equal((await ssh('lab-a', 'true')).status, 0)
  await daemon.stop()
  assert.equal(isAlive(daemon.pid), false)
})

test('stopSshd with keepSessions leaves open connections alone', async () => {
  const a = theLab().host('a')
  const session = ssh('lab-a', 'sleep 1; echo still-here')
  await new Promise((resolve) => setTimeout(resolve, 400))
  await a.stopSshd({keepSessions: true})
  try {
    assert.equal((await ssh('lab-a', 'true')).status, 255)
    const ended = await session
    assert.equal(ended.status, 0, ended.stderr)
    assert.equal(ended.stdout, 'still-here\n')
  } finally {
    await a.startSshd()
  }
})

test('cutFrom and partition cut a from b only; the root namespace still reaches both; reconnect and heal restore', async () => {
  const l = theLab()
  await l.host('a').cutFrom('b')
  try {
    assert.equal(await hostToHost('a', 'b'), 'timeout', 'drop: packets dropped, the connection times out')
    assert.equal(await hostToHost('b', 'a'), 'timeout')
    assert.equal(await reachable(l.host('a').address, 2_000), true)
    assert.equal(await reachable(l.host('b').address, 2_000), true)
  } finally {
    await l.host('a').reconnect('b')
  }
  assert.equal(await hostToHost('a', 'b'), 'SSH-')
  await l.partition(['b'], undefined, {mode: 'refuse'})
  try {
    assert.match(await hostToHost('a', 'b'), /Permission denied/, 'refuse: refused at once')
  } finally {
    await l.heal()
  }
  assert.equal(await hostToHost('b', 'a'), 'SSH-')
  await assert.rejects(l.host('a').cutFrom('a'), /cannot be cut from itself/)
  assert.throws(() => l.host('nope'), /no host nope/)
})

test('spawnDaemon runs inside the host (its mount namespace) and logs to the file given', async () => {
  const a = theLab().host('a')
  const log = join(dir, 'daemon.log')
  const daemon = await a.spawnDaemon(['sh', '-c', 'echo started; echo $$ > /var/lib/etcdplan/daemon.pid; exec sleep 600'], log)
  await waitFor(async () => existsSync(a.rootOf('/var/lib/etcdplan/daemon.pid')), 'the daemon wrote its pid file')
  assert.equal(Number((await readFile(a.rootOf('/var/lib/etcdplan/daemon.pid'), 'utf8')).trim()), daemon.pid)
  assert.equal(existsSync('/var/lib/etcdplan/daemon.pid'), false)
  const pids = (await run(['ip', 'netns', 'pids', a.namespace])).stdout.split('\n').map(Number)
  assert.ok(pids.includes(daemon.pid), 'the daemon is in the host network namespace')
  assert.equal(await readFile(log, 'utf8'), 'started\n')
  await daemon.stop()
  assert.equal(isAlive(daemon.pid), false)
})

test('an etcd started over ssh runs in its host: its data below rootOf, its URL reached from outside, alive with sshd down', async () => {
  const b = theLab().host('b')
  const url = `http://${b.address}:2379`
  const start = [
    'setsid etcd --name lab-probe --data-dir /var/lib/etcd/lab-probe',
    `--listen-client-urls ${url} --advertise-client-urls ${url}`,
    `--listen-peer-urls http://${b.address}:2380 --initial-advertise-peer-urls http://${b.address}:2380`,
    `--initial-cluster lab-probe=http://${b.address}:2380`,
    '</dev/null >/var/lib/etcdplan/lab-probe.log 2>&1 & echo $!',
  ].join(' ')
  const started = await ssh('lab-b', start)
  assert.equal(started.status, 0, started.stderr)
  const pid = Number(started.stdout.trim())
  try {
    const health = () => run(['etcdctl', '--endpoints', url, '--dial-timeout=1s', 'endpoint', 'health'], {timeoutMs: 5_000})
    await waitFor(async () => (await health()).status === 0, 'etcd in host b is healthy', 15_000)
    assert.ok(existsSync(b.rootOf('/var/lib/etcd/lab-probe/member')), 'the data dir is the host own one')
    assert.equal(existsSync('/var/lib/etcd/lab-probe'), false)
    await b.stopSshd()
    try {
      assert.equal(isAlive(pid), true, 'etcd outlives sshd')
      assert.equal((await health()).status, 0)
    } finally {
      await b.startSshd()
    }
  } finally {
    await b.exec(['kill', String(pid)])
  }
})

test('a second lab takes another slot; the lab of a SIGKILLed process is swept by the next createLab', async () => {
  const l = theLab()
  // A test process that dies without close() or its exit handlers: its namespaces and sshd stay.
  const labModule = fileURLToPath(new URL('../../lab/netns-lab.js', import.meta.url))
  const script = `import {createLab} from ${JSON.stringify(labModule)}
const lab = await createLab({dir: ${JSON.stringify(join(dir, 'orphan'))}, hosts: ['x']})
console.log(JSON.stringify({slot: lab.slot, sshd: lab.host('x').sshdPid()}))
setInterval(() => {}, 1000)`
  orphan = spawn(process.execPath, ['--input-type=module', '-e', script], {stdio: ['ignore', 'pipe', 'inherit']})
  const line = await new Promise<string>((resolve, reject) => {
    let output = ''
    orphan!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
      if (output.includes('\n')) resolve(output.split('\n')[0]!)
    })
    orphan!.once('exit', (code) => reject(new Error(`the orphan lab process exited (${code}) before creating its lab`)))
  })
  const dead = JSON.parse(line) as {slot: number; sshd: number}
  assert.notEqual(dead.slot, l.slot)
  orphan.kill('SIGKILL')
  await new Promise((resolve) => orphan!.once('exit', resolve))
  assert.equal(isAlive(dead.sshd), true, 'the orphan sshd outlives its SIGKILLed lab process')
  assert.deepEqual(await labNamespaces(dead.slot), [`ep${dead.slot}-x`])

  let started = Date.now()
  const three = await createLab({dir: join(dir, 'three'), hosts: ['a', 'b', 'dns']})
  others.push(three)
  timings.push(`createLab, 3 hosts (after sweeping a dead 1-host lab): ${Date.now() - started} ms`)
  assert.notEqual(three.slot, l.slot)
  // Usually the new lab takes the dead one's slot over; either way, nothing of the dead lab is left.
  assert.equal((await labNamespaces(dead.slot)).includes(`ep${dead.slot}-x`), false, 'the dead lab namespace is gone')
  assert.equal(isAlive(dead.sshd), false, 'the dead lab sshd was killed')
  assert.equal((await labLinks(dead.slot)).length, three.slot === dead.slot ? 4 : 0, 'only the new lab links (bridge and 3 veths) in that slot')
  // The two live labs do not see each other's hosts' files, and both work.
  assert.equal((await run(['ssh', '-F', three.ssh.config, 'lab-dns', 'test ! -e /etc/etcd/lab-probe-' + process.pid])).status, 0)
  assert.equal((await ssh('lab-a', 'true')).status, 0)

  started = Date.now()
  await three.close()
  timings.push(`close, 3 hosts: ${Date.now() - started} ms`)
  assert.deepEqual(await labNamespaces(three.slot), [])
  assert.deepEqual(await labLinks(three.slot), [])
})

test('close removes every namespace, link and process of the lab and its slot; closing again is fine', async (t) => {
  const l = theLab()
  const pids = l.hosts.map((h) => h.sshdPid()!)
  const namespacePids = (await Promise.all(l.hosts.map((h) => run(['ip', 'netns', 'pids', h.namespace])))).flatMap((r) => r.stdout.split('\n').filter(Boolean).map(Number))
  assert.ok(namespacePids.length >= 4, 'an anchor and an sshd per host')
  const started = Date.now()
  await l.close()
  timings.push(`close, 2 hosts: ${Date.now() - started} ms`)
  await l.close()
  assert.deepEqual(await labNamespaces(l.slot), [])
  assert.deepEqual(await labLinks(l.slot), [])
  for (const pid of [...pids, ...namespacePids]) assert.equal(isAlive(pid), false, `pid ${pid} of the lab still runs`)
  assert.equal(existsSync(join(SLOTS_DIR, `slot-${l.slot}`)), false)
  const sshds = await run(['pgrep', '-f', `sshd -D -e -f ${l.dir}`])
  assert.equal(sshds.stdout, '', 'no sshd of the lab runs')
  for (const timing of timings) t.diagnostic(timing)
})

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
