#!/usr/bin/env bash
# The runbook's approach 1 (docs/runbook.md) as an operator would script it with etcdctl, for
# the benchmark to race etcdplan against: add each new member as a VOTER (`member add`), write its
# config (initial-cluster-state existing, initial-cluster = the members so far incl. itself, taken
# from member add's ETCD_INITIAL_CLUSTER), start it, wait until healthy; then (DNS: nothing to do on
# one machine) `member remove` the old members in order — no leader transfer, as the runbook does —
# waiting for each old process to exit; then step 9 (configs rewritten: old members out of
# initial-cluster, state new) and step 10 (restart the new members one at a time, each after the
# cluster is healthy). Waits for the cluster to be healthy before each removal and restart, as the
# runbook says to watch health at every step. Polls instead of sleeping; retries `member add` and
# `member remove` only while etcd answers "not yet" (e.g. `unhealthy cluster` for 5 s after any
# start), and checks the member list before retrying, so that a timed-out call that did apply is not
# repeated.
#
# Members live where etcdplan's local provider puts them: <work-dir>/<name>/{etcd.yaml,data,etcd.log,
# etcd.pid}; the old members' etcd.pid files are read to wait for their exit. Every etcd is started
# as `etcd --config-file FILE`, detached (nohup), its pid in etcd.pid.
#
# Usage: scripts/runbook-etcdctl.sh --work-dir DIR --token TOKEN \
#          --old NAME,PEER_URL,CLIENT_URL (×3, in removal order) --new NAME,PEER_URL,CLIENT_URL (×3)
#   or the same in the environment: WORK_DIR, TOKEN, OLD_MEMBERS and NEW_MEMBERS (space-separated
#   NAME,PEER_URL,CLIENT_URL entries). Optional: ETCD, ETCDCTL (binaries), TIMEOUT_S (per wait, 60).
# Prints a timestamped line per step and, last, `runbook-etcdctl: wall_s=… add_s=… remove_s=… restart_s=…`.
# Exit code: 0 migrated, 1 failed (with the member's log tail), 2 bad usage.
set -euo pipefail

ETCD=${ETCD:-etcd}
ETCDCTL=${ETCDCTL:-etcdctl}
TIMEOUT_S=${TIMEOUT_S:-60}
WORK_DIR=${WORK_DIR:-}
TOKEN=${TOKEN:-}
read -r -a old_entries <<<"${OLD_MEMBERS:-}"
read -r -a new_entries <<<"${NEW_MEMBERS:-}"
from_args_old=() from_args_new=()
while [ $# -gt 0 ]; do
  case $1 in
    --work-dir) WORK_DIR=$2; shift 2 ;;
    --token) TOKEN=$2; shift 2 ;;
    --old) from_args_old+=("$2"); shift 2 ;;
    --new) from_args_new+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "runbook-etcdctl: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#from_args_old[@]} -eq 0 ] || old_entries=("${from_args_old[@]}")
[ ${#from_args_new[@]} -eq 0 ] || new_entries=("${from_args_new[@]}")
if [ -z "$WORK_DIR" ] || [ -z "$TOKEN" ] || [ ${#old_entries[@]} -eq 0 ] || [ ${#new_entries[@]} -eq 0 ]; then
  echo 'runbook-etcdctl: needs --work-dir, --token, --old NAME,PEER,CLIENT and --new NAME,PEER,CLIENT (see --help)' >&2
  exit 2
fi

old_names=() old_peers=() old_clients=() new_names=() new_peers=() new_clients=()
for entry in "${old_entries[@]}"; do
  IFS=, read -r name peer client <<<"$entry"
  [ -n "${client:-}" ] || { echo "runbook-etcdctl: --old $entry is not NAME,PEER_URL,CLIENT_URL" >&2; exit 2; }
  old_names+=("$name") old_peers+=("$peer") old_clients+=("$client")
done
for entry in "${new_entries[@]}"; do
  IFS=, read -r name peer client <<<"$entry"
  [ -n "${client:-}" ] || { echo "runbook-etcdctl: --new $entry is not NAME,PEER_URL,CLIENT_URL" >&2; exit 2; }
  new_names+=("$name") new_peers+=("$peer") new_clients+=("$client")
done
join_by() { local IFS=$1; shift; echo "$*"; }
old_endpoints=$(join_by , "${old_clients[@]}")
new_endpoints=$(join_by , "${new_clients[@]}")
export ETCDCTL_API=3

started_at=$EPOCHREALTIME
since() { awk -v now="$EPOCHREALTIME" -v then="$1" 'BEGIN { printf "%.1f", now - then }'; }
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
# etcd config for $1, written by scripts/runbook-etcdctl.sh
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
    sleep 0.1
  done
}

wait_cluster_healthy() { # WHAT (every new member answers a linearizable read: there is a leader)
  local until
  until=$(deadline)
  until ctl "$new_endpoints" endpoint health --command-timeout=1s >/dev/null 2>&1; do
    past "$until" && fail "the cluster is not healthy $1 within ${TIMEOUT_S}s"
    sleep 0.1
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

# etcd refuses membership changes for a while after any start ("unhealthy cluster"), during an
# election ("no leader", "leader changed") or while too few members have started: "not yet", retried.
not_yet='unhealthy cluster|not enough started members|no leader|leader changed|request timed out|context deadline exceeded|timed out'

# --- Steps 1-6: add each new member as a voter, write its config, start it, wait until healthy.
log "step 1: checking the cluster ($old_endpoints)"
ctl "$old_endpoints" endpoint health >/dev/null 2>&1 || fail 'the old cluster is not healthy'
endpoints=$old_endpoints
initial_cluster=''
for i in "${!old_names[@]}"; do initial_cluster+="${initial_cluster:+,}${old_names[$i]}=${old_peers[$i]}"; done
# After a refused membership call: fail unless etcd said "not yet" and there is time left; otherwise
# count the refusal (shown in the step's log line) and pause before the next try.
retry_if_not_yet() {
  local what=$1 out=$2 until=$3
  grep -Eq "$not_yet" <<<"$out" || fail "$what: $(grep -m1 'Error' <<<"$out" || echo "$out")"
  past "$until" && fail "$what still refused after ${TIMEOUT_S}s: $(grep -m1 'Error' <<<"$out")"
  retries=$((retries + 1)) refusal=$(grep -m1 -o 'Error: .*' <<<"$out" || true)
  sleep 0.1
}

add_started=$EPOCHREALTIME
for i in "${!new_names[@]}"; do
  name=${new_names[$i]} peer=${new_peers[$i]} client=${new_clients[$i]}
  until=$(deadline) retries=0 refusal=''
  initial_cluster+=",$name=$peer"
  while true; do
    if out=$(ctl "$endpoints" member add "$name" --peer-urls="$peer" 2>&1); then
      # etcd answers with the initial-cluster the new member must start with (runbook step 3).
      answer=$(sed -n 's/^ETCD_INITIAL_CLUSTER="\(.*\)"$/\1/p' <<<"$out")
      [ -z "$answer" ] || initial_cluster=$answer
      break
    fi
    # A failed or timed-out add may still have happened: look before trying again.
    if has_peer "$peer" "$endpoints" 2>/dev/null; then break; fi
    retry_if_not_yet "member add $name" "$out" "$until"
  done
  log "step 3: member add $name --peer-urls=$peer (voter)${refusal:+ ($retries refusals while not ready, e.g. $refusal)}"
  write_config "$name" "$peer" "$client" "$initial_cluster" existing
  start_member "$name"
  wait_healthy "$name" "$client"
  log "step 4: $name started and healthy"
  endpoints+=",$client"
done
add_s=$(since "$add_started")
log 'steps 5-6: members and their status:'
ctl "$endpoints" member list -w table
ctl "$endpoints" endpoint status -w table

# --- Step 7: switching DNS — nothing to do on one machine.
# --- Step 8: remove the old members one by one, no leader transfer; each shuts itself down.
remove_started=$EPOCHREALTIME
for i in "${!old_names[@]}"; do
  name=${old_names[$i]}
  # The runbook: watch cluster health at every step (removing the leader leaves none for an election).
  wait_cluster_healthy "before removing $name"
  until=$(deadline) retries=0 refusal=''
  id=$(member_id "$name" "$new_endpoints")
  [ -n "$id" ] || fail "$name is not a member"
  while ! out=$(ctl "$new_endpoints" member remove "$id" 2>&1); do
    # Applied although the call failed (timed out)? Then it is done.
    if [ -z "$(member_id "$name" "$new_endpoints" 2>/dev/null || echo "?")" ]; then break; fi
    retry_if_not_yet "member remove $name ($id)" "$out" "$until"
  done
  log "step 8: member remove $id ($name)${refusal:+ ($retries refusals while not ready, e.g. $refusal)}"
  if [ -f "$WORK_DIR/$name/etcd.pid" ]; then
    pid=$(cat "$WORK_DIR/$name/etcd.pid")
    wait_exit "$pid" || fail "$name (pid $pid) did not exit within ${TIMEOUT_S}s of its removal" "$name"
    log "step 8: $name (pid $pid) exited"
  fi
done
remove_s=$(since "$remove_started")

# --- Step 9: configs without the old members, initial-cluster-state new.
final_cluster=''
for i in "${!new_names[@]}"; do final_cluster+="${final_cluster:+,}${new_names[$i]}=${new_peers[$i]}"; done
for i in "${!new_names[@]}"; do write_config "${new_names[$i]}" "${new_peers[$i]}" "${new_clients[$i]}" "$final_cluster" new; done
log "step 9: configs rewritten (initial-cluster: $final_cluster, state new)"

# --- Step 10: restart the new members in turn, each once the cluster is healthy.
restart_started=$EPOCHREALTIME
for i in "${!new_names[@]}"; do
  name=${new_names[$i]}
  wait_cluster_healthy "before restarting $name"
  pid=$(cat "$WORK_DIR/$name/etcd.pid")
  kill "$pid"
  wait_exit "$pid" || fail "$name (pid $pid) did not stop within ${TIMEOUT_S}s" "$name"
  start_member "$name"
  wait_healthy "$name" "${new_clients[$i]}"
  log "step 10: $name restarted and healthy"
done
restart_s=$(since "$restart_started")
ctl "$new_endpoints" member list -w table
wall_s=$(since "$started_at")
log "done: migrated ${old_names[*]} → ${new_names[*]} in ${wall_s}s"
echo "runbook-etcdctl: wall_s=$wall_s add_s=$add_s remove_s=$remove_s restart_s=$restart_s"
