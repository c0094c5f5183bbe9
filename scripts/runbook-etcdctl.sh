#!/usr/bin/env bash
# The runbook (docs/runbook.md) as an operator would script it with etcdctl, for the benchmark to race
# etcdplan against (lab/bench-migration.ts).
#
# Approach 1 (default): add each new member as a VOTER (`member add`), write its config
# (initial-cluster-state existing, initial-cluster = the members so far incl. itself, taken from member
# add's ETCD_INITIAL_CLUSTER), start it, wait until healthy; then (DNS: nothing to do on one machine)
# `member remove` the old members in order — no leader transfer, as the runbook does — waiting for
# each old process to exit; then step 9 (configs rewritten: old members out of initial-cluster, state
# new) and step 10 (restart the new members one at a time, each after the cluster is healthy). Waits
# for the cluster to be healthy before each removal and restart, as the runbook says to watch health
# at every step. Polls every 0.1 s instead of sleeping; retries `member add` and `member remove` only
# while etcd answers "not yet" (e.g. `unhealthy cluster` for 5 s after any start), and checks the
# member list before retrying, so that a timed-out call that did apply is not repeated.
#
# Approach 2 (--snapshot): `snapshot save` from the first old member, `snapshot restore` each new
# member's data dir one after another (etcdutl on 3.5, etcdctl on 3.4), write their configs (state
# new), start all three, wait until each is healthy, then stop the old members (as etcdplan's plan
# does last). Nothing is verified: no checksum, no integrity check, no comparison with the source.
#
# Members live where etcdplan's local provider puts them: <work-dir>/<name>/{etcd.yaml,data,etcd.log,
# etcd.pid}; the old members' etcd.pid files are read to wait for their exit. Every etcd is started
# as `etcd --config-file FILE`, detached (nohup), its pid in etcd.pid (scripts/etcdctl-lib.sh).
#
# Usage: scripts/runbook-etcdctl.sh [--snapshot] --work-dir DIR --token TOKEN \
#          --old NAME,PEER_URL,CLIENT_URL (×3, in removal order) --new NAME,PEER_URL,CLIENT_URL (×3)
#   or the same in the environment: WORK_DIR, TOKEN, OLD_MEMBERS and NEW_MEMBERS (space-separated
#   NAME,PEER_URL,CLIENT_URL entries). Optional: ETCD, ETCDCTL, ETCDUTL (binaries; ETCDUTL for a 3.5
#   restore), TIMEOUT_S (per wait, 60).
# Prints a timestamped line per step and, last, `runbook-etcdctl: wall_s=… add_s=… remove_s=… restart_s=…`
# (--snapshot: `runbook-etcdctl: wall_s=… save_s=… restore_s=… start_s=…`).
# Exit code: 0 migrated, 1 failed (with the member's log tail), 2 bad usage.
set -euo pipefail

SCRIPT_NAME=runbook-etcdctl
# shellcheck source=etcdctl-lib.sh
source "$(dirname "$0")/etcdctl-lib.sh"
parse_members "$@"
mode=join
for arg in "${EXTRA_ARGS[@]}"; do
  case $arg in
    --snapshot) mode=snapshot ;;
    *) echo "runbook-etcdctl: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

if [ "$mode" = snapshot ]; then
  # --- Approach 2, step 1: snapshot save from one member.
  snapshot="$WORK_DIR/snapshot.db"
  mkdir -p "$WORK_DIR"
  save_started=$EPOCHREALTIME
  ctl "${old_clients[0]}" --command-timeout=300s snapshot save "$snapshot" >/dev/null 2>&1 || fail "snapshot save from ${old_names[0]}"
  save_s=$(since "$save_started")
  log "step 1: snapshot save from ${old_names[0]} ($(stat -c %s "$snapshot") bytes)"
  # --- Steps 2-3: configure the new members and restore each one's data dir (not started).
  final_cluster=''
  for i in "${!new_names[@]}"; do final_cluster+="${final_cluster:+,}${new_names[$i]}=${new_peers[$i]}"; done
  restore_started=$EPOCHREALTIME
  for i in "${!new_names[@]}"; do
    name=${new_names[$i]}
    write_config "$name" "${new_peers[$i]}" "${new_clients[$i]}" "$final_cluster" new
    # etcd 3.5 moved restore to etcdutl (etcdctl's is deprecated there; etcd-facts.md "Versions").
    if [ -n "${ETCDUTL:-}" ]; then restore=("$ETCDUTL"); else restore=("$ETCDCTL"); fi
    "${restore[@]}" snapshot restore "$snapshot" --name "$name" --initial-cluster "$final_cluster" \
      --initial-cluster-token "$TOKEN" --initial-advertise-peer-urls "${new_peers[$i]}" \
      --data-dir "$WORK_DIR/$name/data" >/dev/null 2>&1 || fail "snapshot restore for $name"
    log "step 3: restored $name"
  done
  restore_s=$(since "$restore_started")
  # --- Steps 4-5: start the three, then check each is healthy.
  start_started=$EPOCHREALTIME
  for name in "${new_names[@]}"; do start_member "$name"; done
  for i in "${!new_names[@]}"; do wait_healthy "${new_names[$i]}" "${new_clients[$i]}"; done
  start_s=$(since "$start_started")
  log 'steps 4-5: new members started and healthy'
  # The old cluster goes last, as etcdplan's plan stops it (anything written to it after the snapshot
  # is not in the new one).
  for name in "${old_names[@]}"; do stop_member "$name"; done
  log 'old members stopped'
  wall_s=$(since "$started_at")
  log "done: ${old_names[*]} → ${new_names[*]} by snapshot in ${wall_s}s"
  echo "runbook-etcdctl: wall_s=$wall_s save_s=$save_s restore_s=$restore_s start_s=$start_s"
  exit 0
fi

# --- Steps 1-6: add each new member as a voter, write its config, start it, wait until healthy.
log "step 1: checking the cluster ($old_endpoints)"
ctl "$old_endpoints" endpoint health >/dev/null 2>&1 || fail 'the old cluster is not healthy'
endpoints=$old_endpoints
initial_cluster=''
for i in "${!old_names[@]}"; do initial_cluster+="${initial_cluster:+,}${old_names[$i]}=${old_peers[$i]}"; done
add_started=$EPOCHREALTIME
for i in "${!new_names[@]}"; do
  name=${new_names[$i]} peer=${new_peers[$i]} client=${new_clients[$i]}
  initial_cluster+=",$name=$peer"
  add_member "$endpoints" "$name" "$peer"
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
