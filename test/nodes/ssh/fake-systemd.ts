// Fake `systemctl` and `journalctl` for testing the ssh provider's `service: systemd` mode by the
// exact commands it sends (issue 11: a real systemd never runs on these machines). Put first on PATH
// of the "host": each records its argv (one line, words joined by tabs) to <dir>/commands, and
// `systemctl start|stop|restart|is-active UNIT` runs etcd as a process for UNIT, with the config
// file named in <dir>/<UNIT>.config and its output in <dir>/<UNIT>.log, which `journalctl -u UNIT
// -n N` prints.
import {chmod, mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

const SYSTEMCTL = `#!/bin/bash
set -u
d=$(dirname "$0")
(IFS=$'\\t'; printf '%s\\n' "systemctl	$*") >> "$d/commands"
quiet=0; args=()
for a in "$@"; do case "$a" in --quiet) quiet=1 ;; *) args+=("$a") ;; esac; done
verb=\${args[0]}; unit=\${args[1]}
pidf="$d/$unit.pid"
alive() { [ -r "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$(cat "$pidf")/status" 2>/dev/null; }
start() { alive && return 0; setsid etcd --config-file "$(cat "$d/$unit.config")" </dev/null >>"$d/$unit.log" 2>&1 & echo $! > "$pidf"; sleep 0.2; }
stop() { if alive; then p=$(cat "$pidf"); kill "$p"; for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; fi; rm -f "$pidf"; }
case "$verb" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  disable) echo "Removed /etc/systemd/system/multi-user.target.wants/$unit." ;;
  is-active) if alive; then [ $quiet = 1 ] || echo active; exit 0; else [ $quiet = 1 ] || echo inactive; exit 3; fi ;;
  *) echo "fake systemctl: $verb" >&2; exit 1 ;;
esac
`

const JOURNALCTL = `#!/bin/bash
set -u
d=$(dirname "$0")
(IFS=$'\\t'; printf '%s\\n' "journalctl	$*") >> "$d/commands"
unit=''; n=10; until=0
while [ $# -gt 0 ]; do case "$1" in -u) unit=$2; shift ;; -n) n=$2; shift ;; --until) until=1; shift ;; --since) shift ;; esac; shift; done
# The fake journal has no times: lines "before" a start mark are none, "since" it all of them.
[ $until = 1 ] && exit 0
tail -n "$n" "$d/$unit.log" 2>/dev/null || true
`

/** Writes the fakes into `dir` (put it first on PATH); `configFor(unit, path)` tells systemctl which config a unit runs. */
export async function installFakeSystemd(dir: string): Promise<{commands: string; configFor: (unit: string, configFile: string) => Promise<void>}> {
  await mkdir(dir, {recursive: true})
  for (const [name, text] of [['systemctl', SYSTEMCTL], ['journalctl', JOURNALCTL]] as const) {
    await writeFile(join(dir, name), text)
    await chmod(join(dir, name), 0o755)
  }
  return {commands: join(dir, 'commands'), configFor: (unit, configFile) => writeFile(join(dir, `${unit}.config`), configFile)}
}
