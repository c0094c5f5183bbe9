# Shared by the etcdctl scripts the benchmark races etcdplan against: scripts/runbook-etcdctl.sh
# (the runbook as written) and scripts/expert-etcdctl.sh (what an expert would script). Their
# arguments, timing and logging, and the member operations both do the same way (configs, starts,
# waits), so that the two differ only in the procedure. Sourced, not run. The sourcing script sets
# SCRIPT_NAME, may set POLL_S (seconds between two polls; default 0.1), then calls
# `parse_members "$@"`; flags it does not know are left in EXTRA_ARGS for the script.
#
# Members live where etcdplan's local provider puts them: <work-dir>/<name>/{etcd.yaml,data,etcd.log,
# etcd.pid}. Every etcd is started as `etcd --config-file FILE`, detached (nohup), its pid in etcd.pid.

ETCD=${ETCD:-etcd}
ETCDCTL=${ETCDCTL:-etcdctl}
TIMEOUT_S=${TIMEOUT_S:-60}
POLL_S=${POLL_S:-0.1}
WORK_DIR=${WORK_DIR:-}
TOKEN=${TOKEN:-}
export ETCDCTL_API=3

usage_of() { sed -n '2,/^set -euo/p' "$1" | sed '$d; s/^# \{0,1\}//'; }

# Fills old_names/old_peers/old_clients, new_* and old_endpoints/new_endpoints from the arguments or
# the environment; exits 2 on bad usage.
parse_members() {
  local entries_old=() entries_new=() args_old=() args_new=() entry name peer client
  read -r -a entries_old <<<"${OLD_MEMBERS:-}"
  read -r -a entries_new <<<"${NEW_MEMBERS:-}"
  EXTRA_ARGS=()
  while [ $# -gt 0 ]; do
    case $1 in
      --work-dir) WORK_DIR=$2; shift 2 ;;
      --token) TOKEN=$2; shift 2 ;;
      --old) args_old+=("$2"); shift 2 ;;
      --new) args_new+=("$2"); shift 2 ;;
      -h|--help) usage_of "$0"; exit 0 ;;
      *) EXTRA_ARGS+=("$1"); shift ;;
    esac
  done
  [ ${#args_old[@]} -eq 0 ] || entries_old=("${args_old[@]}")
  [ ${#args_new[@]} -eq 0 ] || entries_new=("${args_new[@]}")
  if [ -z "$WORK_DIR" ] || [ -z "$TOKEN" ] || [ ${#entries_old[@]} -eq 0 ] || [ ${#entries_new[@]} -eq 0 ]; then
    echo "$SCRIPT_NAME: needs --work-dir, --token, --old NAME,PEER,CLIENT and --new NAME,PEER,CLIENT (see --help)" >&2
    exit 2
  fi
  old_names=() old_peers=() old_clients=() new_names=() new_peers=() new_clients=()
  for entry in "${entries_old[@]}"; do
    IFS=, read -r name peer client <<<"$entry"
    [ -n "${client:-}" ] || { echo "$SCRIPT_NAME: --old $entry is not NAME,PEER_URL,CLIENT_URL" >&2; exit 2; }
    old_names+=("$name") old_peers+=("$peer") old_clients+=("$client")
  done
  for entry in "${entries_new[@]}"; do
    IFS=, read -r name peer client <<<"$entry"
    [ -n "${client:-}" ] || { echo "$SCRIPT_NAME: --new $entry is not NAME,PEER_URL,CLIENT_URL" >&2; exit 2; }
    new_names+=("$name") new_peers+=("$peer") new_clients+=("$client")
  done
  old_endpoints=$(join_by , "${old_clients[@]}")
  new_endpoints=$(join_by , "${new_clients[@]}")
}

join_by() { local IFS=$1; shift; echo "$*"; }

started_at=$EPOCHREALTIME
since() { awk -v now="$EPOCHREALTIME" -v then="$1" 'BEGIN { printf "%.1f", now - then }'; }
# Three decimals, for the figures the benchmark reads (catch-up times).
since_ms() { awk -v now="$EPOCHREALTIME" -v then="$1" 'BEGIN { printf "%.3f", now - then }'; }
log() { printf '[%6ss] %s\n' "$(since "$started_at")" "$*"; }
fail() {
  log "FAILED: $1"
  if [ -n "${2:-}" ] && [ -f "$WORK_DIR/$2/etcd.log" ]; then
    echo "--- last lines of $WORK_DIR/$2/etcd.log:"
    tail -n 15 "$WORK_DIR/$2/etcd.log"
  fi
  exit 1
}
ctl() { local endpoints=$1; shift; "$ETCDCTL" --endpoints="$endpoints" --dial-timeout=2s --command-timeout=5s "$@"; }
deadline() { awk -v now="$EPOCHREALTIME" -v t="$TIMEOUT_S" 'BEGIN { printf "%.3f", now + t }'; }
past() { awk -v now="$EPOCHREALTIME" -v d="$1" 'BEGIN { exit !(now > d) }'; }

# Alive and not a zombie (an exited process its parent has not reaped yet no longer runs etcd).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat:0:1}" != Z ]
}

# The hex ID of the member with this name, empty when it is not a member.
member_id() { ctl "$2" member list -w simple | awk -F', ' -v name="$1" '$3 == name { print $1 }'; }
has_peer() { ctl "$2" member list -w simple | awk -F', ' -v peer="$1" '$4 == peer { found = 1 } END { exit !found }'; }

write_config() { # NAME PEER CLIENT INITIAL_CLUSTER STATE
  mkdir -p "$WORK_DIR/$1"
  cat >"$WORK_DIR/$1/etcd.yaml.tmp" <<EOF
# etcd config for $1, written by scripts/$SCRIPT_NAME.sh
name: $1
data-dir: $WORK_DIR/$1/data
listen-peer-urls: $2
listen-client-urls: $3
initial-advertise-peer-urls: $2
advertise-client-urls: $3
initial-cluster: $4
initial-cluster-state: $5
initial-cluster-token: $TOKEN
logger: zap
EOF
  mv "$WORK_DIR/$1/etcd.yaml.tmp" "$WORK_DIR/$1/etcd.yaml"
}

start_member() { # NAME
  nohup "$ETCD" --config-file "$WORK_DIR/$1/etcd.yaml" </dev/null >>"$WORK_DIR/$1/etcd.log" 2>&1 &
  echo $! >"$WORK_DIR/$1/etcd.pid"
}

wait_healthy() { # NAME CLIENT_URL
  local until pid
  until=$(deadline)
  pid=$(cat "$WORK_DIR/$1/etcd.pid")
  until ctl "$2" endpoint health --command-timeout=1s >/dev/null 2>&1; do
    alive "$pid" || fail "$1 exited" "$1"
    past "$until" && fail "$1 not healthy within ${TIMEOUT_S}s" "$1"
    sleep "$POLL_S"
  done
}

wait_cluster_healthy() { # WHAT (every new member answers a linearizable read: there is a leader)
  local until
  until=$(deadline)
  until ctl "$new_endpoints" endpoint health --command-timeout=1s >/dev/null 2>&1; do
    past "$until" && fail "the cluster is not healthy $1 within ${TIMEOUT_S}s"
    sleep "$POLL_S"
  done
}

wait_exit() { # PID
  local until
  until=$(deadline)
  while alive "$1"; do
    past "$until" && return 1
    sleep 0.05
  done
}

# Stops the member whose pid is in its etcd.pid (SIGTERM) and waits until it has exited.
stop_member() { # NAME
  local pid
  [ -f "$WORK_DIR/$1/etcd.pid" ] || return 0
  pid=$(cat "$WORK_DIR/$1/etcd.pid")
  alive "$pid" || return 0
  kill "$pid"
  wait_exit "$pid" || fail "$1 (pid $pid) did not stop within ${TIMEOUT_S}s" "$1"
}

# etcd refuses membership changes for a while after any start ("unhealthy cluster"), during an
# election ("no leader", "leader changed") or while too few members have started: "not yet", retried.
not_yet='unhealthy cluster|not enough started members|no leader|leader changed|request timed out|context deadline exceeded|timed out'

# member add NAME on ENDPOINTS with FLAGs (e.g. --learner), retried while etcd says "not yet"; a
# failed or timed-out add may still have happened, so the member list is looked at before each retry.
# Sets initial_cluster to the one etcd answers, which the new member must start with (runbook step 3),
# and retries/refusal for the caller's log line.
add_member() { # ENDPOINTS NAME PEER [FLAG...]
  local endpoints=$1 name=$2 peer=$3 out answer until
  shift 3
  until=$(deadline) retries=0 refusal=''
  while true; do
    if out=$(ctl "$endpoints" member add "$name" "$@" --peer-urls="$peer" 2>&1); then
      answer=$(sed -n 's/^ETCD_INITIAL_CLUSTER="\(.*\)"$/\1/p' <<<"$out")
      [ -z "$answer" ] || initial_cluster=$answer
      return 0
    fi
    if has_peer "$peer" "$endpoints" 2>/dev/null; then return 0; fi
    retry_if_not_yet "member add${*:+ $*} $name" "$out" "$until"
  done
}

# After a refused membership call: fail unless etcd said "not yet" and there is time left; otherwise
# count the refusal (the caller shows it in its log line) and pause before the next try.
retry_if_not_yet() { # WHAT OUTPUT DEADLINE
  local what=$1 out=$2 until=$3
  grep -Eq "$not_yet" <<<"$out" || fail "$what: $(grep -m1 'Error' <<<"$out" || echo "$out")"
  past "$until" && fail "$what still refused after ${TIMEOUT_S}s: $(grep -m1 'Error' <<<"$out")"
  retries=$((retries + 1)) refusal=$(grep -m1 -o 'Error: .*' <<<"$out" || true)
  sleep "$POLL_S"
}
