// End to end on the lab of separate hosts (real sshd, real etcd 3.4 inside network namespaces): the
// runbook's join (learners, add-first, rolling restart) from etcd1..etcd3 on host A to etcd4..etcd6 on
// host B, driven by nodes.provider exec. The commands are the user's own tooling, written here: one
// small bash script per operation on the apply machine that acts on $ETCDPLAN_HOST with
// `ssh -F <lab's ssh config>` (over a ControlMaster connection per host the test opens and closes),
// every value passed to the host as a single-quoted word of a fixed script (never spliced into its
// text): writeConfig = `cat > temp && mv` on the host (stdin is the config), start = etcd detached
// with setsid and a pid file in the host's /var/lib/etcdplan/exec, isRunning / stop by that pid (or,
// for a source member the tooling did not start, by the etcd whose argv runs its config file), readConfig
// and logTail over ssh too. `etcdplan apply SPEC --auto-approve --json` runs outside the hosts.
// Proves: exit 0; exactly the target; every key; host B's configs as planned (read inside host B, and
// read back by etcdplan through readConfig: no write-config warning); every host operation of a
// member went to that member's host (target members' to host B, the source's to host A); the target
// members run from the tooling's pid files on host B; the old members are stopped on host A; and
// nothing is written in the machine's real /etc/etcd, /var/lib/etcd, /var/lib/etcdplan.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {closeSync, existsSync, openSync, readFileSync} from 'node:fs'
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {runbookHostsSpec} from '../../lab/hosts-layout.js'
import {HOST_DIRS, type Lab} from '../../lab/netns-lab.js'
import {E2E_TIMEOUTS, RUNBOOK_JOIN, writeAndLoadSpec} from '../fixtures/lab-cluster.js'
import {startHostsCluster, type HostsCluster} from '../fixtures/hosts-cluster.js'
import {jsonEvents, runCliAsync} from '../fixtures/run-cli-async.js'
import {assertConfigsMatchPlan, assertDataIntact, assertExactMembership, assertJournalComplete, explain, readJournal, readSavedPlan} from './migration-assertions.js'

const NAME = 'exec-hosts'
const KEYS = {count: 2000, valueBytes: 512, prefix: '/e2e/exec-hosts/keys/'}
/** Where the tooling keeps its pid files and logs on a host (its own convention, not the ssh provider's). */
const TOOL_DIR = '/var/lib/etcdplan/exec'

/**
 * The part that runs ON the host: `bash -c "$ON_HOST" etcdplan-exec OP ARG...`, its text fixed, every
 * value an argument. Exit codes as nodes.exec wants them: isRunning 0/1, readConfig 3 when absent.
 */
const ON_HOST = String.raw`set -eu
op=$1; shift
dir=${TOOL_DIR}
own_ns=$(readlink /proc/$$/ns/mnt)
# runs_config PID CONFIG: PID is a live (not zombie) etcd whose argv has --config-file CONFIG, on this
# host: in its mount namespace (the lab's hosts share the machine's pids, and every lab has an etcd1).
runs_config() {
  [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] || return 1
  [ "$(readlink "/proc/$1/ns/mnt" 2> /dev/null)" = "$own_ns" ] || return 1
  local stat state args i
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  state=${"$"}{stat##*) }; state=${"$"}{state%% *}
  [ "$state" != Z ] || return 1
  mapfile -d '' args < "/proc/$1/cmdline" 2>/dev/null || return 1
  [ "${"$"}{#args[@]}" -gt 1 ] && [ "$(basename -- "${"$"}{args[0]}")" = etcd ] || return 1
  for ((i = 1; i < ${"$"}{#args[@]}; i++)); do
    if [ "${"$"}{args[i]}" = --config-file ] && [ "${"$"}{args[i+1]:-}" = "$2" ]; then return 0; fi
    if [ "${"$"}{args[i]}" = "--config-file=$2" ]; then return 0; fi
  done
  return 1
}
# find_pid MEMBER CONFIG: the pid file's pid, else any etcd running CONFIG (adopted: pid file written).
find_pid() {
  local pid p
  pid=$(cat "$dir/$1.pid" 2>/dev/null || true)
  if runs_config "$pid" "$2"; then echo "$pid"; return 0; fi
  for p in /proc/[0-9]*; do
    pid=${"$"}{p#/proc/}
    if runs_config "$pid" "$2"; then mkdir -p "$dir"; echo "$pid" > "$dir/$1.pid"; echo "$pid"; return 0; fi
  done
  return 1
}
case $op in
  writeConfig)
    mkdir -p -- "$(dirname -- "$1")"
    tmp="$1.tmp.$$"
    (umask 077; cat > "$tmp")
    mv -f -- "$tmp" "$1" ;;
  readConfig)
    if [ -e "$1" ]; then cat -- "$1"; else exit 3; fi ;;
  isRunning)
    if find_pid "$1" "$2" > /dev/null; then exit 0; else exit 1; fi ;;
  start)
    member=$1 config=$2 etcd=$3 mark=$4
    if find_pid "$member" "$config" > /dev/null; then exit 0; fi
    mkdir -p "$dir"
    printf '%s\n' "$mark" >> "$dir/$member.log"
    setsid -- "$etcd" --config-file "$config" < /dev/null >> "$dir/$member.log" 2>&1 &
    echo $! > "$dir/$member.pid" ;;
  stop)
    member=$1 config=$2 timeout=$3
    if ! pid=$(find_pid "$member" "$config"); then exit 0; fi
    kill -TERM "$pid" 2> /dev/null || true
    for ((waited = 0; waited < timeout; waited += 50)); do runs_config "$pid" "$config" || break; sleep 0.05; done
    if runs_config "$pid" "$config"; then kill -KILL "$pid" 2> /dev/null || true; sleep 0.2; fi
    rm -f -- "$dir/$member.pid" ;;
  logTail)
    tail -n "$2" -- "$dir/$1.log" 2> /dev/null || true ;;
  *) echo "unknown operation $op" >&2; exit 2 ;;
esac
`

/**
 * The command nodes.exec runs on the apply machine: `bash exec-op.sh SSH_CONFIG CONTROL_DIR RECORD OP`.
 * It records what it was asked (operation, member, host), quotes the fixed host script and the values
 * for the host's shell, and runs them on $ETCDPLAN_HOST over ssh.
 */
const EXEC_OP = String.raw`set -eu
config=$1 control=$2 record=$3 op=$4
on_host=$(cat -- "$(dirname -- "$0")/on-host.sh")
printf '%s\t%s\t%s\n' "$op" "$ETCDPLAN_MEMBER" "$ETCDPLAN_HOST" >> "$record"
sq() { local s=${"$"}{1//\'/\'\\\'\'}; printf "'%s' " "$s"; }
case $op in
  writeConfig | readConfig) args=("$ETCDPLAN_CONFIG_FILE") ;;
  isRunning) args=("$ETCDPLAN_MEMBER" "$ETCDPLAN_CONFIG_FILE") ;;
  start) args=("$ETCDPLAN_MEMBER" "$ETCDPLAN_CONFIG_FILE" "${"$"}{ETCDPLAN_ETCD:-etcd}" "$ETCDPLAN_START_MARK") ;;
  stop) args=("$ETCDPLAN_MEMBER" "$ETCDPLAN_CONFIG_FILE" "$ETCDPLAN_TIMEOUT_MS") ;;
  logTail) args=("$ETCDPLAN_MEMBER" "$ETCDPLAN_LINES") ;;
  *) echo "unknown operation $op" >&2; exit 2 ;;
esac
line="$(sq bash)$(sq -c)$(sq "$on_host")$(sq etcdplan-exec)$(sq "$op")"
for arg in "${"$"}{args[@]}"; do line+=$(sq "$arg"); done
exec ssh -F "$config" -o ControlMaster=no -o "ControlPath=$control/%C" -- "$ETCDPLAN_HOST" "$line"
`

const OPERATIONS = ['writeConfig', 'readConfig', 'start', 'stop', 'isRunning', 'logTail'] as const

/** What is in the real machine's /etc/etcd, /var/lib/etcd, /var/lib/etcdplan (the hosts' mount points): must not change. */
async function realHostDirs(): Promise<Record<string, string[]>> {
  const seen: Record<string, string[]> = {}
  for (const dir of HOST_DIRS.filter((d) => d !== '/root')) seen[dir] = await readdir(dir).catch(() => ['(absent)'])
  return seen
}

/** The user's ssh master connections, one per host (their tooling would keep them too); `ssh -O exit` ends them. */
function masters(lab: Lab, control: string): {open(): void; close(): void} {
  // The master outlives the command and keeps the stdio it was given: a log file, never a pipe a spawnSync would wait on.
  const log = join(control, '..', 'masters.log')
  const ssh = (host: string, ...args: string[]) => {
    const fd = openSync(log, 'a')
    try {
      return spawnSync('ssh', ['-F', lab.ssh.config, '-o', `ControlPath=${control}/%C`, ...args, host], {stdio: ['ignore', fd, fd], timeout: 30_000})
    } finally {
      closeSync(fd)
    }
  }
  return {
    open() {
      for (const host of lab.hosts) {
        // -f -N: authenticated, then in the background holding the connection; ControlPersist keeps it for the test.
        const result = ssh(host.address, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=yes', '-f', '-N')
        assert.equal(result.status, 0, `ssh master to host ${host.name} failed; see ${log}: ${readFileSync(log, 'utf8')}`)
      }
    },
    close() {
      for (const host of lab.hosts) ssh(host.address, '-O', 'exit')
    },
  }
}

/** The last lines of every member's log on its host (the ssh provider's and the tooling's), for a failure's diagnostics. */
async function hostLogs(cluster: HostsCluster): Promise<string> {
  const parts: string[] = []
  for (const host of cluster.lab.hosts) {
    const found = await host.exec(['bash', '-c', `for f in /var/lib/etcdplan/*/etcd.log ${TOOL_DIR}/*.log; do [ -e "$f" ] && { echo "--- $f"; tail -n 15 "$f"; }; done; ps -eo pid,args | grep [e]tcd`]).catch((error: Error) => ({stdout: error.message}))
    parts.push(`=== host ${host.name}\n${found.stdout}`)
  }
  return parts.join('\n')
}

test('the runbook join across hosts driven by nodes.provider exec (the user\'s ssh tooling): exact target, every key, configs on host b as planned', {timeout: 420_000}, async (t) => {
  let cluster: HostsCluster | null = null
  let connections: {close(): void} | null = null
  try {
    const before = await realHostDirs()
    cluster = await startHostsCluster({name: NAME, spec: {join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS}, keys: KEYS})
    const {spec: started, lab, dir} = cluster
    const hostA = lab.host('a')
    const hostB = lab.host('b')

    const tools = join(dir, 'tooling')
    const control = join(tools, 'cm')
    const record = join(tools, 'record.tsv')
    await mkdir(control, {recursive: true, mode: 0o700})
    await writeFile(join(tools, 'on-host.sh'), ON_HOST)
    await writeFile(join(tools, 'exec-op.sh'), EXEC_OP)
    const command = (op: string) => ['bash', join(tools, 'exec-op.sh'), lab.ssh.config, control, record, op]
    const m = masters(lab, control)
    connections = m
    m.open()

    // The same migration, now with nodes.provider exec (the fixture started the source with ssh).
    const exec = Object.fromEntries(OPERATIONS.map((op) => [op, command(op)]))
    const {spec, path: specPath} = await writeAndLoadSpec({
      ...runbookHostsSpec(lab, {name: NAME, dir, join: RUNBOOK_JOIN, timeouts: E2E_TIMEOUTS}),
      nodes: {provider: 'exec', exec},
      fileName: `${NAME}-exec.yaml`,
    })
    assert.equal(spec.nodes.provider, 'exec')
    assert.deepEqual([...spec.source.members, ...spec.target.members].map((x) => [x.name, x.host, x.configFile, x.dataDir]), [...started.source.members, ...started.target.members].map((x) => [x.name, x.host, x.configFile, x.dataDir]))

    const result = await runCliAsync(['apply', specPath, '--auto-approve', '--json'], {cwd: dir, timeoutMs: 360_000})
    t.diagnostic(`exec apply across hosts took ${Math.round(result.durationMs)} ms`)
    assert.equal(result.status, 0, explain(result))
    const events = jsonEvents(result.stdout)
    assert.deepEqual(events.filter((e) => e.type === 'step-failed'), [])
    t.diagnostic(`steps: ${events.filter((e) => e.type === 'step-done').map((e) => `${String(e.id)} ${Math.round(Number(e.elapsedMs ?? 0))}ms`).join(', ')}`)
    // readConfig is there: every written config was read back and checked, none "not read back".
    const warnings = events.filter((e) => e.type === 'step-warning').map((e) => `${String(e.id)}: ${String(e.warning)}`)
    assert.deepEqual(warnings.filter((w) => /config/.test(w) && /not read back/.test(w)), [])

    const targetURLs = spec.target.members.map((x) => x.clientURL)
    await assertExactMembership(targetURLs, spec.target.members)
    await assertDataIntact(targetURLs, KEYS)
    const plan = await readSavedPlan(dir, NAME)
    assertJournalComplete(await readJournal(dir, NAME), plan)
    await assertConfigsMatchPlan(plan, spec.target.members, (x) => readFile(hostB.rootOf(x.configFile), 'utf8'))

    // Every operation went to its member's host; the target's were done on host B by the tooling.
    const seen = (await readFile(record, 'utf8')).trim().split('\n').map((line) => line.split('\t') as [string, string, string])
    const hostOf = new Map([...spec.source.members, ...spec.target.members].map((x) => [x.name, x.host]))
    for (const [op, member, host] of seen) assert.equal(host, hostOf.get(member), `${op} of ${member} went to ${host}`)
    for (const x of spec.target.members) {
      assert.equal(x.host, hostB.address)
      for (const op of ['writeConfig', 'readConfig', 'start', 'stop', 'isRunning']) assert.ok(seen.some(([o, member]) => o === op && member === x.name), `no ${op} for ${x.name}: ${JSON.stringify(seen.filter(([, member]) => member === x.name))}`)
      const pid = Number((await readFile(hostB.rootOf(`${TOOL_DIR}/${x.name}.pid`), 'utf8')).trim())
      const cmdline = (await hostB.exec(['cat', `/proc/${pid}/cmdline`])).stdout.split('\0')
      assert.deepEqual(cmdline.slice(1, 3), ['--config-file', x.configFile], `${x.name}'s pid file on host b names no etcd of its config`)
      assert.match(await readFile(hostB.rootOf(`${TOOL_DIR}/${x.name}.log`), 'utf8'), new RegExp(`--- etcdplan: starting etcd for ${x.name} with --config-file `))
    }
    for (const x of spec.source.members) {
      assert.equal(x.host, hostA.address)
      assert.equal(await cluster.provider.isRunning(x), false, `${x.name} still runs on host a`)
    }
    assert.equal(existsSync(hostA.rootOf(`${TOOL_DIR}/etcd4.pid`)), false, 'the tooling started a target member on host a')

    // Nothing written outside the hosts' own directories.
    assert.deepEqual(await realHostDirs(), before)
  } catch (error) {
    if (cluster !== null) t.diagnostic(await hostLogs(cluster))
    throw error
  } finally {
    connections?.close()
    await cluster?.close()
  }
})
