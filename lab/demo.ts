// The one-command demo (`npm run demo` → scripts/demo.sh → node dist/lab/demo.js): a real, narrated
// migration on this machine. Three etcd members (etcd1..etcd3) start on free loopback addresses and
// get 10,000 keys of 1 KiB; a client keeps writing every 20 ms while `etcdplan apply` moves the
// cluster onto three new members (etcd4..etcd6) and switches the name clients use in a hosts file.
// When etcd 3.5 is installed beside the system's 3.4 (scripts/ensure-etcd35.sh, which demo.sh runs),
// the new members run 3.5: moving to new machines is the natural moment to upgrade, and the plan
// says the cluster version rises from 3.4 to 3.5. Afterwards the demo shows the cluster, the client's figures (acknowledged puts, failed attempts,
// longest stall) and proves nothing was lost. Every etcdplan command is printed as `$ etcdplan ...`
// and run as a user would (the command bin/etcdplan, cwd = the work dir), its output shown as is.
// Every member started is stopped at the end, on error and on Ctrl-C; the work dir is removed unless
// --keep. Exit code: 0 migrated and verified, 1 the migration or the verification failed, 130 interrupted.
import type {ChildProcess} from 'node:child_process'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {messageOf} from '../src/cluster/etcd-failure.js'
import {loadSpecFile} from '../src/spec/load-spec.js'
import type {Spec} from '../src/spec/types.js'
import {clusterEndpoints, localProvider, startSourceCluster, stopAllMembers} from './local-cluster.js'
import {CLI, etcdplan as runEtcdplan, number, printFigures, say, sleep, stopChild, verifyNothingLost} from './demo-narration.js'
import {etcd35} from './etcd-versions.js'
import {loadKeys, type KeyLoadOptions} from './load-keys.js'
import {pickLoopbackHosts} from './loopback-hosts.js'
import {namedMembers, writeMigrationSpec} from './migration-spec.js'
import {startWriter, type Writer} from './writer.js'

const SPEC_FILE = 'demo.yaml'
const DNS_NAME = 'etcd.demo.internal'
const KEYS: KeyLoadOptions = {count: 10_000, valueBytes: 1024, prefix: '/demo/keys/'}
const WRITER_PREFIX = '/demo/writer/'
const WRITER_INTERVAL_MS = 20

function usage(): string {
  return 'usage: node dist/lab/demo.js [--keep]\n  --keep  leave the members running and the work dir in place afterwards'
}

interface DemoState {
  dir: string
  spec: Spec | null
  writer: Writer | null
  child: ChildProcess | null
  /** Set by Ctrl-C: the narration stops at its next step while the signal handler cleans up. */
  interrupted: boolean
}

async function main(): Promise<number> {
  const args = process.argv.slice(2)
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usage()}\n`)
    return 0
  }
  const unknown = args.filter((arg) => arg !== '--keep')
  if (unknown.length > 0) {
    process.stderr.write(`demo: unknown argument ${unknown.join(' ')}\n${usage()}\n`)
    return 2
  }
  const keep = args.includes('--keep')

  const state: DemoState = {dir: await mkdtemp(join(tmpdir(), 'etcdplan-demo-')), spec: null, writer: null, child: null, interrupted: false}
  let cleaning: Promise<void> | null = null
  const cleanUp = (removeEverything: boolean): Promise<void> => (cleaning ??= tearDown(state, removeEverything))
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cleaning !== null) {
      process.stderr.write(`\n(${signal}: still stopping the members, one moment)\n`)
      return
    }
    state.interrupted = true
    process.stderr.write(`\n${signal}: stopping every member the demo started…\n`)
    // Interrupted: always stop the members; the work dir stays only with --keep (for the logs).
    cleanUp(!keep).then(
      () => process.exit(130),
      (error) => {
        process.stderr.write(`demo: ${messageOf(error)}\n`)
        process.exit(130)
      },
    )
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  let ok = false
  let finished = false
  try {
    ok = await runDemo(state)
    finished = true
  } catch (error) {
    if (!state.interrupted) process.stderr.write(`\ndemo: ${messageOf(error)}\n`)
  } finally {
    // Success with --keep leaves the members running to look around; anything else stops them.
    if (!(keep && finished)) await cleanUp(!keep)
  }
  if (keep && finished) printKeepInstructions(state)
  else if (keep) process.stdout.write(`\nThe members are stopped; the work dir is kept: ${state.dir}\n`)
  return ok ? 0 : 1
}

async function runDemo(state: DemoState): Promise<boolean> {
  const {dir} = state
  say(`etcdplan demo: migrate a running 3-member etcd cluster onto 3 new members, with a client writing all along`)
  process.stdout.write(`Work dir: ${dir}\n`)

  const hosts = await pickLoopbackHosts(6)
  const members = namedMembers('etcd', hosts)
  const source = members.slice(0, 3)
  const newer = etcd35OrNull()
  const target = members.slice(3).map((m) => (newer === null ? m : {...m, etcd: newer}))
  if (newer === null) process.stdout.write('etcd 3.5 is not installed beside 3.4 (bash scripts/ensure-etcd35.sh): the new members run the same etcd as the old ones\n')
  else process.stdout.write(`The new members run etcd 3.5 (${newer}), the old ones the system's 3.4: the cluster is upgraded while it moves\n`)
  const hostsFile = join(dir, 'hosts')
  await writeFile(
    hostsFile,
    `# The name the demo's clients use, as /etc/hosts would map it. etcdplan rewrites the entries for\n# ${DNS_NAME} at its DNS step (dns.switch.via: hosts-file).\n${source.map((m) => `${m.host}\t${DNS_NAME}`).join('\n')}\n`,
  )
  const written = await writeMigrationSpec({
    name: 'demo',
    dir,
    fileName: SPEC_FILE,
    source,
    target,
    token: 'demo-etcd',
    dns: {name: DNS_NAME, switch: {via: 'hosts-file', file: hostsFile}, verify: true},
  })
  const loaded = await loadSpecFile(written.path)
  if (loaded.spec === null) throw new Error(`the demo's spec does not load:\n${loaded.diagnostics.map((d) => d.message).join('\n')}\n${written.text}`)
  const spec = loaded.spec
  state.spec = spec
  say(`The migration spec (${written.path}):`)
  process.stdout.write(written.text)
  say(`The name clients use (${hostsFile}):`)
  process.stdout.write(await readFile(hostsFile, 'utf8'))

  say(`Starting the source cluster: ${source.map((m) => `${m.name} on ${m.host}`).join(', ')}`)
  const started = await startSourceCluster(spec)
  const leader = started.members.find((m) => m.id === started.leaderId)
  process.stdout.write(`3 members started; the leader is ${leader?.name ?? started.leaderId}. Logs: ${localProvider(spec).logFile(spec.source.members[0]!).replace('/etcd1/', '/<name>/')}\n`)

  const sourceURLs = spec.source.members.map((m) => m.clientURL)
  say(`Loading ${number(KEYS.count)} keys of 1 KiB under ${KEYS.prefix}`)
  const load = await loadKeys(sourceURLs, KEYS)
  process.stdout.write(`${number(load.keys)} keys (${(load.bytes / 2 ** 20).toFixed(1)} MiB) in ${(load.durationMs / 1000).toFixed(1)} s\n`)

  // Before the migration the new members do not exist yet: status reports them unreachable (exit 2).
  if ((await etcdplan(state, ['status', SPEC_FILE])) === 2) process.stdout.write('(etcd4..etcd6 do not exist yet, so status reports them unreachable and exits 2)\n')
  if ((await etcdplan(state, ['plan', SPEC_FILE])) !== 0) throw new Error('etcdplan plan failed')

  const endpoints = clusterEndpoints(spec)
  say(`Starting a client that puts a key every ${WRITER_INTERVAL_MS} ms, configured with all ${endpoints.length} client URLs (it fails over to the next one on error)`)
  const writer = startWriter(endpoints, {intervalMs: WRITER_INTERVAL_MS, prefix: WRITER_PREFIX})
  state.writer = writer
  await sleep(1000)
  process.stdout.write(`${number(writer.progress().acknowledged)} puts acknowledged so far\n`)

  const applyCode = await etcdplan(state, ['apply', SPEC_FILE, '--auto-approve'])
  const applied = applyCode === 0

  state.writer = null
  const figures = await writer.stop()
  await etcdplan(state, ['status', SPEC_FILE])
  printFigures(figures, WRITER_INTERVAL_MS)

  say('Verification')
  // After the migration only the new members serve; after a failure, whichever members the spec names.
  const verified = await verifyNothingLost(applied ? spec.target.members.map((m) => m.clientURL) : clusterEndpoints(spec), applied ? 'etcd4..etcd6' : 'the cluster', KEYS, figures)

  say(`The hosts file now (${DNS_NAME} → the new members):`)
  process.stdout.write(await readFile(join(dir, 'hosts'), 'utf8'))

  if (!applied) say(`✗ etcdplan apply failed (exit code ${applyCode}); its journal is in ${join(dir, '.etcdplan', spec.name)}`)
  else if (!verified) say('✗ the migration finished but the verification failed')
  else say(`✓ Migrated etcd1..etcd3 → etcd4..etcd6 with the client writing throughout; nothing lost.`)
  return applied && verified
}

/** etcd 3.5's binary when scripts/ensure-etcd35.sh has installed it, else null (the demo runs on 3.4 alone). */
function etcd35OrNull(): string | null {
  try {
    return etcd35().etcd
  } catch {
    return null
  }
}

function etcdplan(state: DemoState, args: readonly string[]): Promise<number> {
  return runEtcdplan(state, state.dir, args)
}

/** Stops the writer, any etcdplan still running, then every member; removes the work dir if asked. */
async function tearDown(state: DemoState, removeDir: boolean): Promise<void> {
  const problems: string[] = []
  if (state.writer !== null) {
    await state.writer.stop().catch((error) => problems.push(`writer: ${messageOf(error)}`))
    state.writer = null
  }
  if (state.child !== null) await stopChild(state.child)
  if (state.spec !== null) {
    try {
      await stopAllMembers(state.spec)
      // Interrupted while a member was being spawned: its pid file may have appeared just after that pass.
      if (state.interrupted) {
        await sleep(500)
        await stopAllMembers(state.spec)
      }
      process.stdout.write(`\nStopped every member (${[...state.spec.source.members, ...state.spec.target.members].map((m) => m.name).join(', ')}).\n`)
    } catch (error) {
      problems.push(messageOf(error))
    }
  }
  if (removeDir) await rm(state.dir, {recursive: true, force: true})
  if (problems.length > 0) throw new Error(`clean-up: ${problems.join('; ')}`)
}

function printKeepInstructions(state: DemoState): void {
  const spec = state.spec
  if (spec === null) return
  const targets = spec.target.members
  const provider = localProvider(spec)
  say('The members are still running (--keep). Look around:')
  process.stdout.write(
    [
      `  cd ${state.dir}`,
      `  alias etcdplan='${CLI}'`,
      `  etcdplan status ${SPEC_FILE}`,
      `  etcdctl --endpoints=${targets.map((m) => m.clientURL).join(',')} member list -w table`,
      `  etcdctl --endpoints=${targets.map((m) => m.clientURL).join(',')} endpoint status -w table`,
      `  less ${provider.logFile(targets[0]!)}         # each member's log, config and data: nodes/<name>/`,
      `  cat .etcdplan/${spec.name}/state.json              # the apply journal`,
      '',
      // One at a time, as stopAllMembers does: a leader stopped together with its successor waits ~7 s.
      'Stop the members one at a time (by their pids), then remove everything:',
      `  for f in ${targets.map((m) => provider.pidFile(m)).join(' ')}; do`,
      '    p=$(cat "$f"); kill "$p"; while kill -0 "$p" 2>/dev/null; do sleep 0.1; done',
      '  done',
      `  rm -rf ${state.dir}`,
      '',
    ].join('\n'),
  )
}

process.exitCode = await main()
