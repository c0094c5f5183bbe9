// `npm run demo:hosts` (scripts/demo-hosts.sh → node dist/lab/demo-hosts.js): the runbook's own
// migration, narrated, across separate hosts made on this machine (lab/netns-lab.ts: network
// namespaces on a bridge in 198.18.0.0/24, each with its own sshd and its own /etc/etcd and
// /var/lib/etcd). Host A stands for the runbook's old server 192.168.18.37 and runs etcd1..etcd3 on
// one address (peer ports 23801..23803, client ports 23791..23793); host B stands for the new server
// 192.168.18.116; a third host runs BIND with the name clients use. etcdplan runs outside the hosts:
// it reaches them only by ssh (nodes.provider ssh, the lab's known_hosts and key) and etcd only by the
// members' URLs, and switches the name with an RFC 2136 update. A client writes every 20 ms all along.
// Everything is torn down at the end, on error and on Ctrl-C (`--keep` leaves the hosts running).
// Needs root, iproute2, openssh-server, bind9 (scripts/demo-hosts.sh installs them on Debian).
import {Resolver} from 'node:dns/promises'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {messageOf} from '../src/cluster/etcd-failure.js'
import type {NodeProvider} from '../src/nodes/node-provider.js'
import {providerFor} from '../src/nodes/provider-for.js'
import {loadSpecFile} from '../src/spec/load-spec.js'
import type {Spec} from '../src/spec/types.js'
import type {BindServer} from './bind-server.js'
import {etcdplan, number, printFigures, say, sleep, stopChild, verifyNothingLost, type CliRunner} from './demo-narration.js'
import {LAB_DNS_NAME, labDns, runbookHostsSpec, startLabBind} from './hosts-layout.js'
import {startSourceCluster, stopAllMembers} from './local-cluster.js'
import {loadKeys, type KeyLoadOptions} from './load-keys.js'
import {writeMigrationSpec} from './migration-spec.js'
import {createLab, labUnavailable, type Lab} from './netns-lab.js'
import {startWriter, type Writer} from './writer.js'

const SPEC_FILE = 'runbook-hosts.yaml'
const KEYS: KeyLoadOptions = {count: 10_000, valueBytes: 1024, prefix: '/demo/keys/'}
const WRITER_INTERVAL_MS = 20
/** The name's TTL: the switch waits it out before the old members are removed. */
const DNS_TTL_S = 5

interface HostsDemo extends CliRunner {
  dir: string
  lab: Lab | null
  bind: BindServer | null
  spec: Spec | null
  provider: NodeProvider | null
  writer: Writer | null
}

async function main(): Promise<number> {
  const args = process.argv.slice(2)
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: node dist/lab/demo-hosts.js [--keep]\n  --keep  leave the hosts and members running afterwards (tear down with Ctrl-C)\n')
    return 0
  }
  const unknown = args.filter((arg) => arg !== '--keep')
  if (unknown.length > 0) {
    process.stderr.write(`demo:hosts: unknown argument ${unknown.join(' ')}\n`)
    return 2
  }
  const missing = labUnavailable()
  if (missing !== null) {
    process.stderr.write(`demo:hosts: the lab of hosts cannot run here: ${missing}\n`)
    return 1
  }
  const keep = args.includes('--keep')
  const demo: HostsDemo = {dir: await mkdtemp(join(tmpdir(), 'etcdplan-demo-hosts-')), lab: null, bind: null, spec: null, provider: null, writer: null, child: null, interrupted: false}
  let cleaning: Promise<void> | null = null
  const cleanUp = (): Promise<void> => (cleaning ??= tearDown(demo))
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cleaning !== null) return
    demo.interrupted = true
    process.stderr.write(`\n${signal}: stopping the members and removing the hosts…\n`)
    cleanUp().finally(() => process.exit(130))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  let ok = false
  try {
    ok = await runDemo(demo)
    if (keep) {
      say(`The hosts run on (--keep): ssh -F ${demo.lab!.ssh.config} lab-b; cd ${demo.dir}; etcdplan status ${SPEC_FILE}. Ctrl-C tears everything down.`)
      await new Promise<never>(() => undefined)
    }
  } catch (error) {
    if (!demo.interrupted) process.stderr.write(`\ndemo:hosts: ${messageOf(error)}\n`)
  } finally {
    await cleanUp()
  }
  return ok ? 0 : 1
}

async function runDemo(demo: HostsDemo): Promise<boolean> {
  const {dir} = demo
  say('etcdplan demo across hosts: the runbook\'s move of 3 members from one server to another, over ssh, with DNS by RFC 2136')
  process.stdout.write(`Work dir: ${dir}\n`)

  demo.lab = await createLab({dir, hosts: ['a', 'b', 'dns']})
  const lab = demo.lab
  const [a, b, dnsHost] = [lab.host('a'), lab.host('b'), lab.host('dns')]
  process.stdout.write(
    [
      `  host A ${a.address}  (the runbook's old server 192.168.18.37): etcd1..etcd3, own sshd, own /etc/etcd and /var/lib/etcd`,
      `  host B ${b.address}  (the runbook's new server 192.168.18.116): empty, etcd4..etcd6 go here`,
      `  host dns ${dnsHost.address}: BIND 9, authoritative for ${LAB_DNS_NAME.split('.').slice(1).join('.')}, accepting TSIG-signed updates`,
      `  this machine ${lab.outsideAddress}: runs etcdplan and the client; reaches the hosts by ssh only (${lab.ssh.config})`,
      '',
    ].join('\n'),
  )

  demo.bind = await startLabBind(lab, 'dns', join(dir, 'bind'), [{name: LAB_DNS_NAME, addresses: [a.address], ttl: DNS_TTL_S}])
  const written = await writeMigrationSpec({
    ...runbookHostsSpec(lab, {name: 'runbook-hosts', dir, fileName: SPEC_FILE, token: 'runbook-etcd', dns: labDns(demo.bind, DNS_TTL_S)}),
    join: {learner: true, order: 'add-first', finalState: 'new', rollingRestart: true},
  })
  const loaded = await loadSpecFile(written.path)
  if (loaded.spec === null) throw new Error(`the demo's spec does not load:\n${loaded.diagnostics.map((d) => d.message).join('\n')}`)
  demo.spec = loaded.spec
  const spec = loaded.spec
  say(`The migration spec (${written.path}):`)
  process.stdout.write(written.text)

  say(`Starting the old cluster on host A over ssh: ${spec.source.members.map((m) => `${m.name} ${m.peerURL}`).join(', ')}`)
  demo.provider = providerFor(spec)
  await startSourceCluster(spec, demo.provider)
  const sourceURLs = spec.source.members.map((m) => m.clientURL)
  const load = await loadKeys(sourceURLs, KEYS)
  process.stdout.write(`3 members running inside host A; ${number(load.keys)} keys of 1 KiB loaded in ${(load.durationMs / 1000).toFixed(1)} s\n`)
  say(`$ dig @${demo.bind.address} ${LAB_DNS_NAME} A`)
  process.stdout.write(`${(await resolveAt(demo.bind.server)).join(', ')}\n`)

  if ((await etcdplan(demo, dir, ['plan', SPEC_FILE])) !== 0) throw new Error('etcdplan plan failed')

  const allURLs = [...spec.source.members, ...spec.target.members].map((m) => m.clientURL)
  say(`Starting a client that puts a key every ${WRITER_INTERVAL_MS} ms over all ${allURLs.length} client URLs`)
  demo.writer = startWriter(allURLs, {intervalMs: WRITER_INTERVAL_MS, prefix: '/demo/writer/'})
  await sleep(1000)
  const applyCode = await etcdplan(demo, dir, ['apply', SPEC_FILE, '--auto-approve'])
  const figures = await demo.writer.stop()
  demo.writer = null
  await etcdplan(demo, dir, ['status', SPEC_FILE])
  printFigures(figures, WRITER_INTERVAL_MS)

  say('Verification')
  const applied = applyCode === 0
  const verified = await verifyNothingLost(applied ? spec.target.members.map((m) => m.clientURL) : allURLs, applied ? 'etcd4..etcd6 on host B' : 'the cluster', KEYS, figures)
  const answer = await resolveAt(demo.bind.server)
  const dnsOk = answer.length === 1 && answer[0] === b.address
  process.stdout.write(`  ${dnsOk ? '✓' : '✗'} ${LAB_DNS_NAME} → ${answer.join(', ')} at ${demo.bind.server}\n`)
  const listing = await b.exec(['ls', '-l', '/etc/etcd'])
  say(`Inside host B ($ ssh lab-b ls -l /etc/etcd):`)
  process.stdout.write(listing.stdout)

  if (!applied) say(`✗ etcdplan apply failed (exit code ${applyCode}); its journal is in ${join(dir, '.etcdplan', spec.name)}`)
  else if (!verified || !dnsOk) say('✗ the migration finished but the verification failed')
  else say('✓ Moved etcd1..etcd3 on host A to etcd4..etcd6 on host B over ssh, switched the name by RFC 2136; nothing lost.')
  return applied && verified && dnsOk
}

async function resolveAt(server: string): Promise<string[]> {
  const resolver = new Resolver({timeout: 2000, tries: 2})
  resolver.setServers([server])
  return (await resolver.resolve4(LAB_DNS_NAME).catch(() => [] as string[])).sort()
}

/** The writer, a running etcdplan, every member (through ssh), the provider's connections, BIND, the hosts, the work dir. */
async function tearDown(demo: HostsDemo): Promise<void> {
  await demo.writer?.stop().catch(() => undefined)
  if (demo.child !== null) await stopChild(demo.child)
  try {
    if (demo.spec !== null && demo.provider !== null) await stopAllMembers(demo.spec, 10_000, demo.provider)
  } catch (error) {
    process.stderr.write(`demo:hosts: stopping the members: ${messageOf(error)}\n`)
  }
  await demo.provider?.close()
  await demo.bind?.stop().catch(() => undefined)
  await demo.lab?.close()
  await rm(demo.dir, {recursive: true, force: true})
  process.stdout.write('\nStopped every member, BIND and the hosts; removed the work dir.\n')
}

process.exitCode = await main()
