#!/usr/bin/env bash
# The runbook's approach 1 (docs/runbook.md) the way an etcd expert would script it with etcdctl, for
# the benchmark to race etcdplan against (lab/bench-migration.ts): the same result as
# scripts/runbook-etcdctl.sh, without its avoidable stalls.
#  - Each new member joins as a LEARNER (`member add --learner`: it does not count towards quorum
#    while it catches up), is started once every member lists it, polled until caught up (its
#    applied index has reached the leader's raft index as it was when it started; Status is served
#    by a learner), then promoted, `member promote` retried while etcd answers "not in sync" or
#    "not yet".
#  - The old members are removed non-leaders first; the leader last, after `move-leader` to a new
#    member (removing a leader without a transfer stalls writes for an election, etcd-facts.md).
#  - Configs rewritten (old members out of initial-cluster, state new, as the runbook's step 9), then
#    a rolling restart: non-leaders first, leadership moved away before the leader is restarted.
#  - Event-driven: every wait polls every POLL_S (0.05 s); membership calls are retried only while
#    etcd says "not yet" (e.g. `unhealthy cluster` for 5 s after any start), and the member list is
#    checked before a retry so that a timed-out call that did apply is not repeated.
#
# Usage: scripts/expert-etcdctl.sh --work-dir DIR --token TOKEN \
#          --old NAME,PEER_URL,CLIENT_URL (×3) --new NAME,PEER_URL,CLIENT_URL (×3)
#   or the same in the environment: WORK_DIR, TOKEN, OLD_MEMBERS and NEW_MEMBERS (space-separated
#   NAME,PEER_URL,CLIENT_URL entries). Optional: ETCD, ETCDCTL (binaries), TIMEOUT_S (per wait, 60),
#   POLL_S (0.05). Members live as in scripts/etcdctl-lib.sh.
# Prints a timestamped line per step and, last, `expert-etcdctl: wall_s=… add_s=… remove_s=…
# restart_s=… catchup_<name>_s=… restart_<name>_s=…` (catch-up: from the learner's start until caught
# up; restart: from the stop until it answers health again).
# Exit code: 0 migrated, 1 failed (with the member's log tail), 2 bad usage.
set -euo pipefail

SCRIPT_NAME=expert-etcdctl
POLL_S=${POLL_S:-0.05}
# shellcheck source=etcdctl-lib.sh
source "$(dirname "$0")/etcdctl-lib.sh"
parse_members "$@"
[ ${#EXTRA_ARGS[@]} -eq 0 ] || { echo "expert-etcdctl: unknown argument ${EXTRA_ARGS[0]} (see --help)" >&2; exit 2; }
# Also "not yet" here: a member just promoted refuses client calls until it has applied its own
# promotion (the leader accepted it first), as a learner would (etcd-facts.md "Membership gates").
not_yet+='|rpc not supported for learner'

# `endpoint status -w simple`: endpoint, ID (hex), version, DB size, is leader, is learner, raft term,
# raft index, raft applied index, errors.
# Only ever asked of live members (a dead endpoint costs etcdctl its dial timeout); one that does not
# answer is left out rather than failing the script.
status_of() { ctl "$1" endpoint status -w simple --command-timeout=1s 2>/dev/null || true; }
# The leader's hex ID: the live member saying "is leader" (the leader is always among the live ones).
leader_id() { status_of "$1" | awk -F', ' '$5 == "true" { print $2; exit }'; }
name_of() { ctl "$2" member list -w simple | awk -F', ' -v id="$1" '$1 == id { print $3 }'; }
raft_index() { status_of "$1" | awk -F', ' 'BEGIN { m = 0 } $8 + 0 > m { m = $8 + 0 } END { print m }'; }
applied_index() { status_of "$1" | awk -F', ' 'BEGIN { a = 0 } { a = $9 + 0 } END { print a }'; }
client_of() { local i; for i in "${!old_names[@]}"; do [ "${old_names[$i]}" != "$1" ] || echo "${old_clients[$i]}"; done; }

# Moves leadership to the member with hex ID $2; etcdctl sends it to the leader among $1.
move_leader() { # ENDPOINTS TARGET_ID
  local until out
  until=$(deadline) retries=0 refusal=''
  until out=$(ctl "$1" move-leader "$2" 2>&1); do
    [ "$(leader_id "$1")" = "$2" ] && break
    retry_if_not_yet "move-leader $2" "$out" "$until"
  done
}

extras=''
add_started=$EPOCHREALTIME
ctl "$old_endpoints" endpoint health >/dev/null 2>&1 || fail 'the old cluster is not healthy'
endpoints=$old_endpoints
initial_cluster=''
for i in "${!old_names[@]}"; do initial_cluster+="${initial_cluster:+,}${old_names[$i]}=${old_peers[$i]}"; done
for i in "${!new_names[@]}"; do
  name=${new_names[$i]} peer=${new_peers[$i]} client=${new_clients[$i]}
  initial_cluster+=",$name=$peer"
  add_member "$endpoints" "$name" "$peer" --learner
  log "member add --learner $name${refusal:+ ($retries refusals while not ready, e.g. $refusal)}"
  # A joining member asks a peer for the membership and exits ("member count is unequal") if that
  # peer has not applied the add yet: start it once every member lists it (each answers MemberList
  # from its own store).
  until=$(deadline)
  for ep in ${endpoints//,/ }; do
    until has_peer "$peer" "$ep" 2>/dev/null; do
      past "$until" && fail "$ep does not list $name ${TIMEOUT_S}s after its add"
      sleep "$POLL_S"
    done
  done
  write_config "$name" "$peer" "$client" "$initial_cluster" existing
  start_member "$name"
  catchup_started=$EPOCHREALTIME
  # Caught up: the learner has applied what the leader had when it started.
  target=$(raft_index "$endpoints")
  pid=$(cat "$WORK_DIR/$name/etcd.pid")
  until=$(deadline)
  while [ "$(applied_index "$client")" -lt "$target" ]; do
    alive "$pid" || fail "$name exited" "$name"
    past "$until" && fail "$name did not catch up within ${TIMEOUT_S}s" "$name"
    sleep "$POLL_S"
  done
  catchup_s=$(since_ms "$catchup_started")
  extras+=" catchup_${name}_s=$catchup_s"
  log "$name started and caught up (index $target) in ${catchup_s}s"
  id=$(member_id "$name" "$endpoints")
  until=$(deadline) retries=0 refusal=''
  while ! out=$(ctl "$endpoints" member promote "$id" 2>&1); do
    # Already a voter (a promote that timed out but applied)? Then it is done.
    ctl "$endpoints" member list -w simple | awk -F', ' -v id="$id" '$1 == id && $6 == "false" { found = 1 } END { exit !found }' && break
    # Not in sync yet (learner's match index < 90 % of the leader's): retry, like "not yet".
    grep -q 'in sync with leader' <<<"$out" && { past "$until" && fail "promote $name: $out"; sleep "$POLL_S"; continue; }
    retry_if_not_yet "member promote $name" "$out" "$until"
  done
  log "member promote $name"
  endpoints+=",$client"
done
add_s=$(since "$add_started")

# --- Remove the old members: non-leaders first, the leader last after moving leadership away.
remove_started=$EPOCHREALTIME
remaining=("${old_names[@]}")
new_first_id=$(member_id "${new_names[0]}" "$new_endpoints")
while [ ${#remaining[@]} -gt 0 ]; do
  live=$new_endpoints
  for candidate in "${remaining[@]}"; do live+=",$(client_of "$candidate")"; done
  leader=$(name_of "$(leader_id "$live")" "$new_endpoints")
  name=''
  for candidate in "${remaining[@]}"; do [ "$candidate" = "$leader" ] || { name=$candidate; break; }; done
  if [ -z "$name" ]; then
    name=$leader
    move_leader "$live" "$new_first_id"
    log "move-leader $name → ${new_names[0]}"
  fi
  id=$(member_id "$name" "$new_endpoints")
  until=$(deadline) retries=0 refusal=''
  while ! out=$(ctl "$new_endpoints" member remove "$id" 2>&1); do
    if [ -z "$(member_id "$name" "$new_endpoints" 2>/dev/null || echo "?")" ]; then break; fi
    retry_if_not_yet "member remove $name ($id)" "$out" "$until"
  done
  log "member remove $name${refusal:+ ($retries refusals while not ready, e.g. $refusal)}"
  pid=$(cat "$WORK_DIR/$name/etcd.pid")
  wait_exit "$pid" || fail "$name (pid $pid) did not exit within ${TIMEOUT_S}s of its removal" "$name"
  rest=()
  for candidate in "${remaining[@]}"; do [ "$candidate" = "$name" ] || rest+=("$candidate"); done
  remaining=("${rest[@]}")
done
remove_s=$(since "$remove_started")

# --- Configs without the old members, initial-cluster-state new (the runbook's step 9).
final_cluster=''
for i in "${!new_names[@]}"; do final_cluster+="${final_cluster:+,}${new_names[$i]}=${new_peers[$i]}"; done
for i in "${!new_names[@]}"; do write_config "${new_names[$i]}" "${new_peers[$i]}" "${new_clients[$i]}" "$final_cluster" new; done

# --- Rolling restart: non-leaders first; the leader last, once leadership has moved to a restarted one.
restart_started=$EPOCHREALTIME
leader=$(name_of "$(leader_id "$new_endpoints")" "$new_endpoints")
order=()
for name in "${new_names[@]}"; do [ "$name" = "$leader" ] || order+=("$name"); done
order+=("$leader")
for name in "${order[@]}"; do
  for i in "${!new_names[@]}"; do [ "${new_names[$i]}" != "$name" ] || client=${new_clients[$i]}; done
  if [ "$(name_of "$(leader_id "$new_endpoints")" "$new_endpoints")" = "$name" ]; then
    other=${order[0]}
    move_leader "$new_endpoints" "$(member_id "$other" "$new_endpoints")"
    log "move-leader $name → $other"
  fi
  one_started=$EPOCHREALTIME
  stop_member "$name"
  start_member "$name"
  wait_healthy "$name" "$client"
  one_s=$(since_ms "$one_started")
  extras+=" restart_${name}_s=$one_s"
  log "$name restarted and healthy in ${one_s}s"
done
restart_s=$(since "$restart_started")
wall_s=$(since "$started_at")
log "done: migrated ${old_names[*]} → ${new_names[*]} in ${wall_s}s"
echo "expert-etcdctl: wall_s=$wall_s add_s=$add_s remove_s=$remove_s restart_s=$restart_s$extras"
