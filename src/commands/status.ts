// `etcdplan status`: the cluster as it is now (each member's own Status, its health, where it stands
// in the live membership, leader, alarms) and where the migration's apply stands, for an operator
// before, during or after a migration. Thin: reading is src/status/read-status.ts, drawing is
// render-status.ts; this prints and maps the report to an exit code (src/status/status-exit-code.ts).
import {Args, Flags} from '@oclif/core'
import {EtcdplanCommand} from '../cli/base-command.js'
import {parseDuration} from '../spec/duration.js'
import {UserError} from '../user-error.js'
import type {StatusReport} from '../status/status-report.js'

export default class Status extends EtcdplanCommand {
  static override summary = "Show every member's status and health, and how far the migration's apply has got."
  static override description = `Asks each source and target member of the spec, and every other member the cluster lists, for its own Status at its own client URL (as \`etcdctl endpoint status\` does) and prints one row per endpoint: the spec's member name, ID (hex), version, DB size, leader, learner, raft term, raft index, applied index, health and errors. Below the table: the cluster ID, the leader, the alarms, and the apply journal's position (steps done, the next step and any failed step).

Health: healthy = answers with no errors and follows a leader; learner = a learner that answers with no errors (etcd's own health check always fails on learners, so status uses their Status instead); unhealthy = answers but reports errors (e.g. an alarm) or knows no leader; unreachable = does not answer within 2 s.

Members the cluster does not list (matched by peer URL and client URL) are not faults and are shown by where they stand instead of their health: "removed, stopped" or "removed, still running" (a source member the migration removed; whether its process still answers on its client URL), "not added yet" (a target member before its add), "not listed" (a member the spec keeps that the cluster does not list). With --json each row has a "membership" field: member, removed, not-added, unlisted, or unknown (nothing answered). Each row also has "hasLeader": whether the member's own Status names a leader (false for a member cut off from its cluster's majority, which still answers Status since it serves it alone; null when it did not answer).

Strategy snapshot: the restore makes a NEW cluster (new cluster ID and member IDs), so the source members and the target members are each asked as their own cluster and shown in two sections, "Source cluster" and "Target cluster", each with its own table, cluster ID, leader and alarms. A cluster that does not answer at all is one line: "not created yet" (the target before the restore) or "stopped" (the source after the cut-over). The section marked "serving" is the one the exit code is computed from: with a journal, the target once the journal is complete or its verify step is done, else the source; with no journal, the source if it answers, else the target. With --json the top-level fields (clusterId, leader, alarms, members) are the serving cluster's, "serving" names it, and "clusters" holds both.

The journal is read from --state (default .etcdplan/<name>/state.json, relative to the current directory, where \`etcdplan apply\` writes it). While an apply holds the journal's state lock, a Lock line above it names the holder (user@host, pid, since when, lock ID); a lock left by an apply that no longer runs on this host is shown as STALE with the force-unlock command. Status only reads: it never changes the cluster, the journal or the lock.

Exit codes, from the cluster that should serve now (strategy join: the one cluster; snapshot: the serving section): 0 it answers, no alarm is set and every member it lists is healthy (or a learner in good order); 1 no endpoint of it answers, or the spec is invalid; 2 it answers but a member it lists is unhealthy or unreachable, or an alarm is set. Spec members it does not list (removed, not added yet) do not count.`
  static override examples = [
    {description: 'Show the cluster of the spec in the current directory (etcdplan.yaml).', command: '<%= config.bin %> status'},
    {description: 'Show the runbook cluster and where its apply stands.', command: '<%= config.bin %> status plans/runbook.yaml'},
    {description: 'Read the journal of an apply run elsewhere.', command: '<%= config.bin %> status plans/runbook.yaml --state /srv/etcdplan/runbook/state.json'},
    {description: 'List the members of the cluster that are not healthy.', command: `<%= config.bin %> status plans/runbook.yaml --json | jq -r '.members[] | select(.membership == "member" and .health != "healthy") | .name'`},
    {description: 'List the members the migration has removed.', command: `<%= config.bin %> status plans/runbook.yaml --json | jq -r '.members[] | select(.membership == "removed") | .name'`},
    {description: 'Print the name of the current leader (of the serving cluster).', command: "<%= config.bin %> status plans/runbook.yaml --json | jq -r '.leader.name'"},
    {description: 'Watch a migration while another terminal applies it: the table is redrawn every 2 s until Ctrl-C.', command: '<%= config.bin %> status plans/runbook.yaml --watch'},
    {description: 'Record the leader every 5 s, one JSON object per line.', command: "<%= config.bin %> status plans/runbook.yaml --watch --interval 5s --json | jq -c '{time, leader: .leader.name}'"},
  ]
  static override args = {
    spec: Args.string({description: 'Path to the migration spec.', default: 'etcdplan.yaml'}),
  }
  static override flags = {
    watch: Flags.boolean({description: 'Read the status again every --interval until Ctrl-C (exit 130): on a terminal the table is redrawn in place; with --json or without a terminal, one JSON object per line per interval (the --json report plus "time"). Only reads; stops nothing.'}),
    interval: Flags.string({description: 'How often --watch reads the status, as a Go-style duration.', default: '2s', helpValue: 'DURATION'}),
    state: Flags.string({description: 'The apply journal to report on; its directory must exist. Default: .etcdplan/<name>/state.json, <name> being the spec\'s name.', helpValue: 'FILE'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Status)
    const {loadSpecFile} = await import('../spec/load-spec.js')
    const loaded = await loadSpecFile(args.spec)
    if (loaded.spec === null) {
      // Only errors stop status; warnings are for `validate` and `plan`, not for every status check.
      const {renderDiagnostics, specInvalidJson} = await import('../render/render-diagnostics.js')
      if (flags.json) {
        this.print(specInvalidJson(`${args.spec} has errors; the cluster was not contacted`, `fix them (\`etcdplan validate ${args.spec}\`), then run status again`, loaded.diagnostics))
        return this.exit(1)
      }
      const sources = new Map(loaded.text === null ? [] : [[args.spec, loaded.text]])
      this.printError(renderDiagnostics(loaded.diagnostics, {colour: this.useColour(flags['no-color'], process.stderr), sources, subject: args.spec}))
      return this.exit(1)
    }
    const spec = loaded.spec
    const {resolveJournalPath} = await import('../apply/journal.js')
    // A mistyped --state would report "no journal" for a migration that has one: refused before the cluster is asked.
    const {path: journalPath} = resolveJournalPath(flags.state, spec.name)
    const {readStatus} = await import('../status/read-status.js')
    const {statusExitCode} = await import('../status/status-exit-code.js')
    if (flags.watch) return this.watch(() => readStatus(spec, {journalPath}), watchInterval(flags.interval), flags.json || process.stdout.isTTY !== true, this.useColour(flags['no-color']))
    const report = await readStatus(spec, {journalPath})
    if (flags.json) {
      this.print(JSON.stringify(report, null, 2))
    } else {
      const {renderStatus} = await import('../render/render-status.js')
      this.print(renderStatus(report, {colour: this.useColour(flags['no-color'])}))
    }
    const code = statusExitCode(report)
    if (code !== 0) this.exit(code)
  }

  /** --watch: until Ctrl-C, which ends it with exit code 130 (128 + SIGINT), as a shell counts it. */
  private async watch(read: () => Promise<StatusReport>, intervalMs: number, json: boolean, colour: boolean): Promise<void> {
    const {watchStatus} = await import('../status/watch-status.js')
    const {renderStatus} = await import('../render/render-status.js')
    const {InPlaceRedraw} = await import('../render/redraw-in-place.js')
    const stop = new AbortController()
    const interrupted = () => stop.abort()
    process.once('SIGINT', interrupted)
    process.once('SIGTERM', interrupted)
    const screen = new InPlaceRedraw(process.stdout, () => process.stdout.columns)
    try {
      await watchStatus({
        intervalMs,
        read,
        signal: stop.signal,
        show: (result) => {
          const time = new Date().toISOString()
          if (json) {
            const line = result.ok ? {time, ...result.value} : {time, type: 'error', error: errorOf(result.error)}
            process.stdout.write(`${JSON.stringify(line)}\n`)
          } else {
            const body = result.ok ? renderStatus(result.value, {colour}) : `Error: ${errorOf(result.error).message}`
            screen.draw(`${body}\n\n(every ${intervalMs / 1000} s, last ${time.slice(11, 19)} UTC; Ctrl-C to stop)`)
          }
        },
      })
    } finally {
      process.removeListener('SIGINT', interrupted)
      process.removeListener('SIGTERM', interrupted)
    }
    this.exit(130)
  }
}

function errorOf(error: unknown): {code: string | null; message: string; hint: string | null} {
  if (error instanceof UserError) return {code: error.code ?? null, message: error.message, hint: error.hint ?? null}
  return {code: null, message: error instanceof Error ? error.message : String(error), hint: null}
}

/** --interval as milliseconds; a value that is not a duration is refused with what to write instead. */
function watchInterval(text: string): number {
  const parsed = parseDuration(text)
  if (!parsed.ok || parsed.ms < 100) {
    throw new UserError(`--interval "${text}" is not a usable interval: ${parsed.ok ? 'it is shorter than 100ms' : parsed.reason}`, 'give a Go-style duration of at least 100ms, e.g. --interval 2s or --interval 500ms', 1, 'invalid-flag')
  }
  return parsed.ms
}
