# etcdplan-host: the one fixed script the ssh node provider (src/nodes/ssh-provider.ts) runs on a
# member's host. It is sent on ssh's stdin and read by
#   bash -c 'IFS= read -r -d "" -N <bytes> s && eval "$s"' etcdplan-host OP ARG...
# so that the rest of stdin (a config's content, a snapshot) is left for the operation to read (bash
# reads a pipe byte by byte). Every value from the spec arrives as a positional argument, never in
# the text of this script or of a command line (issue 11, "Providers -> ssh"). Pure ASCII.
#
# Exit codes (stable; the provider reads them):
#   0 done (stdout says what, machine-readable)
#   3 absent (no such file, not running, nothing to move)
#   4 refused (a data dir not etcdplan's, a checksum that differs, nothing to run)
#   5 etcd exited at once (stdout: the log tail)
#   6 a tool failed (snapshot status / restore: its stderr on stderr)
#   2 usage (an unknown operation: the provider and the script disagree)
#   1 anything else (set -e); 255 is never used, it is ssh's own failure code.
set -eu
export LC_ALL=C
# A command that exits 255 under set -e would look like an ssh failure to the provider.
trap 'rc=$?; if [ "$rc" -eq 255 ]; then exit 1; fi' EXIT

# ---- helpers ---------------------------------------------------------------------------------

now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }

# A live process (not a zombie: a zombie answers kill -0 but is gone).
alive() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }
  [ "${s%% *}" != Z ]
}

# This host's mount namespace. A process in another one (a container on this machine, or another
# lab host: the lab's hosts share the machine's pids) that names the same config path or member name
# runs another host's files: never this member's etcd. When a process's link cannot be read (another
# user's, without root), nothing is ruled out.
OWN_MNT_NS=$(readlink "/proc/$$/ns/mnt" 2>/dev/null || true)
same_host() {
  local ns
  [ -n "$OWN_MNT_NS" ] || return 0
  ns=$(readlink "/proc/$1/ns/mnt" 2>/dev/null) || return 0
  [ "$ns" = "$OWN_MNT_NS" ]
}

# Whether the process's argv runs etcd with this config file (--config-file P, --config-file=P).
runs_config() {
  local pid=$1 config=$2 prev='' a
  local -a args=()
  mapfile -d '' args 2>/dev/null < "/proc/$pid/cmdline" || return 1
  for a in "${args[@]}"; do
    case "$prev" in --config-file|-config-file) [ "$a" = "$config" ] && return 0 ;; esac
    case "$a" in "--config-file=$config"|"-config-file=$config") return 0 ;; esac
    prev=$a
  done
  return 1
}

# Whether the process is an etcd (its argv[0] or its comm is etcd).
is_etcd() {
  local comm a0
  local -a args=()
  comm=$(cat "/proc/$1/comm" 2>/dev/null) || return 1
  [ "$comm" = etcd ] && return 0
  mapfile -d '' args 2>/dev/null < "/proc/$1/cmdline" || return 1
  a0=${args[0]:-}
  [ "${a0##*/}" = etcd ]
}

# Whether an etcd's argv names this member (--name N, --name=N).
runs_name() {
  local pid=$1 name=$2 prev='' a
  local -a args=()
  is_etcd "$pid" || return 1
  mapfile -d '' args 2>/dev/null < "/proc/$pid/cmdline" || return 1
  for a in "${args[@]}"; do
    case "$prev" in --name|-name) [ "$a" = "$name" ] && return 0 ;; esac
    case "$a" in "--name=$name"|"-name=$name") return 0 ;; esac
    prev=$a
  done
  return 1
}

# The pid of an etcd listening on ADDR:PORT (or a wildcard address) on this host; ADDR '' matches any.
# Only etcd: a process found by its port that is something else is never this member's.
etcd_on_port() {
  local want_addr=$1 port=$2 line local_addr addr pid
  [ -n "$port" ] || return 1
  command -v ss >/dev/null 2>&1 || return 1
  while IFS= read -r line; do
    local_addr=$(printf '%s\n' "$line" | awk '{print $4}')
    [ "${local_addr##*:}" = "$port" ] || continue
    addr=${local_addr%:*}
    addr=${addr#[}; addr=${addr%]}; addr=${addr%%%*}
    case "$addr" in
      '*'|0.0.0.0|::) ;;
      *) if [ -n "$want_addr" ] && [ "$addr" != "$want_addr" ]; then continue; fi ;;
    esac
    pid=$(printf '%s\n' "$line" | sed -n 's/.*pid=\([0-9][0-9]*\).*/\1/p' | head -n 1)
    [ -n "$pid" ] || continue
    if alive "$pid" && is_etcd "$pid"; then echo "$pid"; return 0; fi
  done < <(ss -Hltnp 2>/dev/null)
  return 1
}

# The pids (ascending) of the processes whose command line contains STRING anywhere.
cmdline_holds() {
  grep -laF -- "$1" /proc/[0-9]*/cmdline 2>/dev/null | sed -n 's#^/proc/\([0-9][0-9]*\)/cmdline$#\1#p' | sort -n
}

# The pid of this member's etcd: the pid file's when it is alive and runs CONFIG; else one found by
# command line (--config-file CONFIG, then --name NAME), else by its peer or client port; a found one
# is adopted (pid file written). Prints nothing and fails when none runs.
find_member_pid() {
  local rundir=$1 config=$2 name=$3 addr=$4 peer_port=$5 client_port=$6 pid='' p
  if [ -r "$rundir/etcd.pid" ]; then
    pid=$(tr -dc 0-9 < "$rundir/etcd.pid")
    if [ -n "$pid" ] && alive "$pid" && runs_config "$pid" "$config" && same_host "$pid"; then echo "$pid"; return 0; fi
    pid=''
  fi
  # Only processes whose command line holds the string at all are looked at closely: one grep over
  # /proc instead of a bash loop over every process of the machine (~150 ms on a busy host).
  for p in $(cmdline_holds "$config"); do
    [ "$p" = "$$" ] && continue
    if runs_config "$p" "$config" && alive "$p" && same_host "$p"; then pid=$p; break; fi
  done
  if [ -z "$pid" ]; then
    for p in $(cmdline_holds "$name"); do
      [ "$p" = "$$" ] && continue
      if runs_name "$p" "$name" && alive "$p" && same_host "$p"; then pid=$p; break; fi
    done
  fi
  if [ -z "$pid" ]; then
    pid=$(etcd_on_port "$addr" "$peer_port" || etcd_on_port "$addr" "$client_port" || true)
  fi
  [ -n "$pid" ] || return 1
  mkdir -p "$rundir"
  write_atomic "$rundir/etcd.pid" 0644 <<<"$pid"
  echo "$pid"
}

# stdin -> PATH, atomically: temp file beside it, fsync, rename, fsync of the directory.
write_atomic() {
  local path=$1 mode=$2 dir tmp
  dir=$(dirname -- "$path")
  mkdir -p -- "$dir"
  tmp="$path.etcdplan-$$.tmp"
  (umask 077; cat > "$tmp")
  chmod "$mode" "$tmp"
  sync -- "$tmp"
  mv -f -- "$tmp" "$path"
  sync -- "$dir" 2>/dev/null || true
}

sha256_of() { sha256sum -- "$1" | awk '{print $1}'; }

# The snapshot tool of an etcd binary: etcdutl beside it (3.5+), else etcdctl beside it or on PATH
# (3.4), as src/nodes/find-snapshot-tool.ts does on the apply machine. Prints "NAME PATH".
snapshot_tool() {
  local etcd=$1 bin
  bin=$(command -v -- "$etcd" 2>/dev/null || true)
  case "$etcd" in */*) bin=$etcd ;; esac
  if [ -n "$bin" ] && [ -x "$(dirname -- "$bin")/etcdutl" ]; then echo "etcdutl $(dirname -- "$bin")/etcdutl"; return; fi
  case "$etcd" in */*) echo "etcdctl $(dirname -- "$etcd")/etcdctl" ;; *) echo "etcdctl etcdctl" ;; esac
}

wait_gone() {
  local pid=$1 deadline=$(( $(now_ms) + $2 ))
  while alive "$pid"; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

# ---- operations ------------------------------------------------------------------------------

# write-file PATH MODE  (content on stdin)
op_write_file() { write_atomic "$1" "$2"; echo written; }

# read-file PATH -> content; 3 when absent
op_read_file() {
  [ -e "$1" ] || exit 3
  cat -- "$1"
}

# sha256 PATH -> "<hex> <bytes>"; 3 when absent
op_sha256() {
  [ -f "$1" ] || exit 3
  echo "$(sha256_of "$1") $(stat -c %s -- "$1")"
}

# put-file PATH MODE SHA256  (bytes on stdin): temp beside PATH, checked, renamed.
op_put_file() {
  local path=$1 mode=$2 want=$3 dir tmp got
  dir=$(dirname -- "$path")
  mkdir -p -- "$dir"
  tmp="$path.etcdplan-$$.part"
  (umask 077; cat > "$tmp")
  chmod "$mode" "$tmp"
  sync -- "$tmp"
  got=$(sha256_of "$tmp")
  if [ "$got" != "$want" ]; then rm -f -- "$tmp"; echo "sha256=$got bytes=$(stat -c %s -- "$path" 2>/dev/null || echo 0)"; exit 4; fi
  mv -f -- "$tmp" "$path"
  sync -- "$dir" 2>/dev/null || true
  echo copied
}

# running RUNDIR CONFIG NAME ADDR PEERPORT CLIENTPORT -> pid; 3 when none
op_running() { find_member_pid "$@" || exit 3; }

# start RUNDIR CONFIG NAME ADDR PEERPORT CLIENTPORT ETCD DATADIR MARK
op_start() {
  local rundir=$1 config=$2 etcd=$7 datadir=$8 mark=$9 pid log
  if pid=$(find_member_pid "$1" "$2" "$3" "$4" "$5" "$6"); then echo "running $pid"; return 0; fi
  log="$rundir/etcd.log"
  mkdir -p -- "$rundir" "$(dirname -- "$datadir")"
  # The start mark first: the lines after it are this start's (the log keeps every start's).
  printf '%s\n' "$mark" >> "$log"
  setsid -- "$etcd" --config-file "$config" < /dev/null >> "$log" 2>&1 &
  pid=$!
  write_atomic "$rundir/etcd.pid" 0644 <<<"$pid"
  sleep 0.1
  if ! alive "$pid"; then
    rm -f -- "$rundir/etcd.pid"
    tail -n 20 -- "$log"
    exit 5
  fi
  echo "started $pid"
}

# stop RUNDIR CONFIG NAME ADDR PEERPORT CLIENTPORT TIMEOUT_MS: SIGTERM, SIGKILL after the deadline.
op_stop() {
  local rundir=$1 timeout=$7 pid
  if ! pid=$(find_member_pid "$1" "$2" "$3" "$4" "$5" "$6"); then echo "stopped none"; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "$timeout"; then
    kill -KILL "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" 5000; then echo "etcd $pid still runs after SIGKILL" >&2; exit 1; fi
  fi
  rm -f -- "$rundir/etcd.pid"
  echo "stopped $pid"
}

# await-exit RUNDIR CONFIG NAME ADDR PEERPORT CLIENTPORT TIMEOUT_MS -> "exited" | "running"
op_await_exit() {
  local rundir=$1 timeout=$7 pid
  if ! pid=$(find_member_pid "$1" "$2" "$3" "$4" "$5" "$6"); then echo exited; return 0; fi
  if wait_gone "$pid" "$timeout"; then rm -f -- "$rundir/etcd.pid"; echo exited; else echo running; fi
}

# log-tail LOG LINES
op_log_tail() { tail -n "$2" -- "$1" 2>/dev/null || true; }

# ---- service: systemd. Start marks: systemd's journal is not ours to write into under the unit's
# name, so the mark and the time of the start are kept in RUNDIR/start-mark, and log-tail merges:
# the unit's lines before that time, the mark, the lines since (src/nodes/ssh/README.md).

sd_mark() {
  mkdir -p -- "$1"
  printf '%s\n%s\n' "$(date +%s)" "$2" | write_atomic "$1/start-mark" 0644
}

# unit-start UNIT RUNDIR MARK
op_unit_start() {
  if systemctl is-active --quiet "$1"; then echo running; return 0; fi
  sd_mark "$2" "$3"
  systemctl start "$1"
  sleep 0.1
  if ! systemctl is-active --quiet "$1"; then op_unit_log_tail "$1" "$2" 20; exit 5; fi
  echo started
}

# unit-restart UNIT RUNDIR MARK
op_unit_restart() {
  sd_mark "$2" "$3"
  systemctl restart "$1"
  sleep 0.1
  if ! systemctl is-active --quiet "$1"; then op_unit_log_tail "$1" "$2" 20; exit 5; fi
  echo started
}

# unit-stop UNIT
op_unit_stop() { systemctl stop "$1"; echo stopped; }

# unit-active UNIT -> 0 active, 3 not
op_unit_active() { systemctl is-active --quiet "$1" || exit 3; echo running; }

# unit-await-exit UNIT TIMEOUT_MS
op_unit_await_exit() {
  local deadline=$(( $(now_ms) + $2 ))
  while systemctl is-active --quiet "$1"; do
    if [ "$(now_ms)" -ge "$deadline" ]; then echo running; return 0; fi
    sleep 0.1
  done
  echo exited
}

# unit-log-tail UNIT RUNDIR LINES
op_unit_log_tail() {
  local unit=$1 markfile="$2/start-mark" lines=$3 at mark
  if [ -r "$markfile" ]; then
    at=$(sed -n 1p "$markfile"); mark=$(sed -n 2p "$markfile")
    { journalctl -u "$unit" -n "$lines" --no-pager -o cat --until "@$at" 2>/dev/null || true
      printf '%s\n' "$mark"
      journalctl -u "$unit" -n "$lines" --no-pager -o cat --since "@$at" 2>/dev/null || true
    } | tail -n "$lines"
  else
    journalctl -u "$unit" -n "$lines" --no-pager -o cat 2>/dev/null || true
  fi
}

# snapshot-status ETCD PATH -> "tool NAME" then the tool's JSON; 6 with its stderr
op_snapshot_status() {
  local tool name path
  read -r name path <<<"$(snapshot_tool "$1")"
  echo "tool $name"
  ETCDCTL_API=3 "$path" snapshot status "$2" -w json || exit 6
}

# restore ETCD SNAPSHOT DATADIR NAME INITIAL_CLUSTER TOKEN PEER_URL SHA256 MARK_NAME
op_restore() {
  local etcd=$1 snap=$2 datadir=$3 name=$4 ic=$5 token=$6 peer=$7 want=$8 markname=$9 got tool path staging moved
  if [ -e "$datadir" ]; then
    if [ -e "$datadir/$markname" ]; then echo already-restored; return 0; fi
    echo "exists"; exit 4
  fi
  [ -f "$snap" ] || { echo "missing"; exit 3; }
  got=$(sha256_of "$snap")
  if [ -n "$want" ] && [ "$got" != "$want" ]; then echo "sha256 $got"; exit 4; fi
  read -r tool path <<<"$(snapshot_tool "$etcd")"
  # Restored beside the data dir, in a directory of this attempt's own, and renamed into place with
  # the mark (src/nodes/restore-staging.ts: an orphaned run of an earlier attempt - its connection
  # lost, its apply killed - may still be writing into its own, and would even rename it later).
  staging="$datadir.restoring-$$-$(printf '%04x%04x' "$RANDOM" "$RANDOM")"
  remove_restore_leftovers "$datadir"
  mkdir -p -- "$(dirname -- "$datadir")"
  if ! ETCDCTL_API=3 "$path" snapshot restore "$snap" --name "$name" --data-dir "$staging" \
      --initial-cluster "$ic" --initial-cluster-token "$token" --initial-advertise-peer-urls "$peer" > /dev/null; then
    rm -rf -- "$staging"
    echo "tool $tool"
    exit 6
  fi
  printf '%s\nsha256:%s\ntool:%s\n' "$snap" "$got" "$tool" | write_atomic "$staging/$markname" 0644
  # Never over a data dir that appeared meanwhile (another attempt finished first): mv -T refuses a
  # non-empty directory and a file; it would replace an empty one, which the test before rules out
  # but for a moment.
  if [ ! -e "$datadir" ] && [ ! -L "$datadir" ] && moved=$(mv -T -- "$staging" "$datadir" 2>&1); then
    sync -- "$(dirname -- "$datadir")" 2>/dev/null || true
    echo "restored $tool"
    return 0
  fi
  if [ -e "$datadir" ] || [ -L "$datadir" ]; then
    rm -rf -- "$staging"
    if [ -e "$datadir/$markname" ]; then echo already-restored; return 0; fi
    echo "exists"; exit 4
  fi
  printf '%s\n' "$moved" >&2
  exit 1
}

# remove_restore_leftovers DATADIR: the staging dirs of earlier attempts of this data dir (a restore
# killed half-way leaves one): the plain DATADIR.restoring of earlier versions, and every
# DATADIR.restoring-PID-HEX whose PID no longer runs here. An orphaned snapshot restore still
# writing into a removed one writes only into unlinked inodes, which nothing renames into place (the
# script that would have is gone). A run still going (its pid alive, on this host, not this shell
# itself) is left alone: it finishes, and the first mv -T wins.
remove_restore_leftovers() {
  local d pid
  for d in "$1.restoring" "$1.restoring-"*; do
    [ -e "$d" ] || [ -L "$d" ] || continue
    pid=${d#"$1.restoring-"}
    pid=${pid%%-*}
    if [ "$d" != "$1.restoring" ] && [[ "$pid" =~ ^[0-9]+$ ]] && [ "$pid" != "$$" ] && alive "$pid" && same_host "$pid"; then continue; fi
    rm -rf -- "$d"
  done
}

# data-dir-state DATADIR MARK_NAME -> absent | restored | foreign
op_data_dir_state() {
  if [ ! -e "$1" ] && [ ! -L "$1" ]; then echo absent
  elif [ -e "$1/$2" ]; then echo restored
  else echo foreign
  fi
}

# inspect DATADIR WALDIR LIMIT HEADBYTES -> NUL-terminated records:
#   S<exists 0|1><isdir 0|1>, E<entry>, F<file below>, W<wal dir entry>, H<base64 of the first WAL's head>
op_inspect() {
  local dir=$1 waldir=$2 limit=$3 head=$4 first=''
  local -a wal=()
  if [ -d "$waldir" ]; then
    mapfile -d '' wal < <(find "$waldir" -mindepth 1 -maxdepth 1 -printf '%f\0' 2>/dev/null | sort -z)
  fi
  if [ ! -e "$dir" ] && [ ! -L "$dir" ]; then printf 'S00\0'
  elif [ ! -d "$dir" ]; then printf 'S10\0'
  else
    printf 'S11\0'
    find "$dir" -mindepth 1 -maxdepth 1 -printf 'E%f\0' 2>/dev/null | sort -z
    find "$dir" -mindepth 1 ! -type d -printf 'F%P\0' 2>/dev/null | sort -z | head -z -n "$limit"
    for f in "${wal[@]}"; do case "$f" in *.wal) first=$f; break ;; esac; done
    if [ -n "$first" ]; then printf 'H%s\0' "$(head -c "$head" -- "$waldir/$first" 2>/dev/null | base64 -w 0 || true)"; fi
  fi
  for f in "${wal[@]}"; do printf 'W%s\0' "$f"; done
}

# move-aside DATADIR CANDIDATE... -> the path it was moved to; 3 when there is no data dir
op_move_aside() {
  local dir=$1 c
  shift
  [ -e "$dir" ] || [ -L "$dir" ] || exit 3
  for c in "$@"; do
    if [ ! -e "$c" ] && [ ! -L "$c" ]; then mv -T -- "$dir" "$c"; printf '%s\n' "$c"; return 0; fi
  done
  exit 4
}

# fence UNIT N PATH CANDIDATE*N [PATH CANDIDATE*N ...] -> NUL-terminated records, one per PATH:
#   M<where it was moved now>, E<where an earlier fence put it>, A (nothing at PATH nor beside it);
#   then, with a UNIT (service: systemd), U<unit> once it is disabled. Never deletes anything.
op_fence() {
  local unit=$1 n=$2 p c latest moved
  local -a cands
  shift 2
  while [ "$#" -gt 0 ]; do
    p=$1; shift
    cands=("${@:1:$n}"); shift "$n"
    moved=''
    if [ -e "$p" ] || [ -L "$p" ]; then
      for c in "${cands[@]}"; do
        if [ ! -e "$c" ] && [ ! -L "$c" ]; then mv -T -- "$p" "$c"; moved=$c; break; fi
      done
      [ -n "$moved" ] || exit 4
      printf 'M%s\0' "$moved"
    else
      # Glob order is the names' order: the stamps sort by time.
      latest=''
      for c in "$p".removed-*; do if [ -e "$c" ] || [ -L "$c" ]; then latest=$c; fi; done
      if [ -n "$latest" ]; then printf 'E%s\0' "$latest"; else printf 'A\0'; fi
    fi
  done
  if [ -n "$unit" ]; then systemctl disable "$unit" >&2; printf 'U%s\0' "$unit"; fi
}

# probe ETCD FILE_COUNT FILE... -> NUL-terminated records:
#   B<path the binary was found at>, R<exit code of --version>, V<its output>, A<local address or prefix>,
#   L<listening local address:port>, P<file: ok|missing|dir|special|denied>
op_probe() {
  local etcd=$1 n=$2 bin rc out f
  shift 2
  bin=$(command -v -- "$etcd" 2>/dev/null || true)
  case "$etcd" in */*) bin=$etcd ;; esac
  printf 'B%s\0' "$bin"
  if [ -z "$bin" ]; then printf 'R127\0V\0'
  else
    rc=0; out=$(timeout 10 "$bin" --version 2>&1) || rc=$?
    printf 'R%s\0V%s\0' "$rc" "$out"
  fi
  # The addresses the host can bind: its local routes (127.0.0.0/8 is one route, not one address).
  { ip -4 route show table local 2>/dev/null; ip -6 route show table local 2>/dev/null; } | awk '$1 == "local" {print $2}' | tr '\n' '\0' | sed -z 's/^/A/'
  ss -Hltn 2>/dev/null | awk '{print $4}' | tr '\n' '\0' | sed -z 's/^/L/'
  while [ "$n" -gt 0 ]; do
    f=$1; shift; n=$((n - 1))
    if [ ! -e "$f" ]; then printf 'Pmissing\0'
    elif [ -d "$f" ]; then printf 'Pdir\0'
    elif [ ! -f "$f" ]; then printf 'Pspecial\0'
    elif ( : < "$f" ) 2>/dev/null; then printf 'Pok\0'
    else printf 'Pdenied\0'
    fi
  done
}

# read-files MAX_BYTES FILE... -> one NUL-terminated record per file, in order:
#   T<base64 of its content> | E<missing|dir|special|denied|large>
# (base64: the content is never cut by a NUL; the preflight's certificate checks read it, and only them).
# receiving-snapshot SNAPDIR PREFIX -> the size of the largest PREFIX* file in SNAPDIR (the snapshot
# etcd is receiving from its leader), or nothing when there is none
op_receiving_snapshot() {
  find "$1" -mindepth 1 -maxdepth 1 -type f -name "$2*" -printf '%s\n' 2>/dev/null | sort -n | tail -n 1
}

op_read_files() {
  local max=$1 f
  shift
  for f in "$@"; do
    if [ ! -e "$f" ]; then printf 'Emissing\0'
    elif [ -d "$f" ]; then printf 'Edir\0'
    elif [ ! -f "$f" ]; then printf 'Especial\0'
    elif ! ( : < "$f" ) 2>/dev/null; then printf 'Edenied\0'
    elif [ "$(stat -c %s -- "$f")" -gt "$max" ]; then printf 'Elarge\0'
    else printf 'T%s\0' "$(base64 -w 0 < "$f")"
    fi
  done
}

op=${1:-}
[ $# -gt 0 ] && shift
case "$op" in
  write-file) op_write_file "$@" ;;
  read-file) op_read_file "$@" ;;
  sha256) op_sha256 "$@" ;;
  put-file) op_put_file "$@" ;;
  running) op_running "$@" ;;
  start) op_start "$@" ;;
  stop) op_stop "$@" ;;
  await-exit) op_await_exit "$@" ;;
  log-tail) op_log_tail "$@" ;;
  unit-start) op_unit_start "$@" ;;
  unit-restart) op_unit_restart "$@" ;;
  unit-stop) op_unit_stop "$@" ;;
  unit-active) op_unit_active "$@" ;;
  unit-await-exit) op_unit_await_exit "$@" ;;
  unit-log-tail) op_unit_log_tail "$@" ;;
  snapshot-status) op_snapshot_status "$@" ;;
  restore) op_restore "$@" ;;
  data-dir-state) op_data_dir_state "$@" ;;
  inspect) op_inspect "$@" ;;
  move-aside) op_move_aside "$@" ;;
  fence) op_fence "$@" ;;
  probe) op_probe "$@" ;;
  read-files) op_read_files "$@" ;;
  receiving-snapshot) op_receiving_snapshot "$@" ;;
  *) echo "etcdplan-host: unknown operation '$op'" >&2; exit 2 ;;
esac
