#!/usr/bin/env bash
# The demo: the runbook's migration (plans/runbook.yaml, 3 → 3 members) validated, planned, saved as
# a plan file, rendered for a pull request, and a hand-edited copy refused. Offline: this version of
# etcdplan plans; `etcdplan apply` (the live migration on local etcd processes) is the next milestone.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund
[ -f dist/src/commands/plan.js ] || npm run -s build
etcdplan() { ./bin/run.js "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
say() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; }

say etcdplan validate plans/runbook.yaml
etcdplan validate plans/runbook.yaml

say etcdplan plan plans/runbook.yaml --offline -o "$work/runbook.plan.json"
etcdplan plan plans/runbook.yaml --offline -o "$work/runbook.plan.json"

say etcdplan show "$work/runbook.plan.json" --format markdown "| head -30"
etcdplan show "$work/runbook.plan.json" --format markdown | head -30

say "a reviewer's copy edited by hand is refused:"
sed 's/"catchUpTolerance": 100/"catchUpTolerance": 100000/' "$work/runbook.plan.json" > "$work/edited.plan.json"
etcdplan show "$work/edited.plan.json" || echo "(exit code $?)"

say "a spec with the runbook's own mistakes (0.0.0.0 advertised, a misspelt key) is refused with every problem at once:"
sed -e 's#clientURL: http://127.0.2.1:2379#clientURL: http://0.0.0.0:2379#' -e 's#peerURL: http://127.0.2.2:2380#peerUrl: http://127.0.2.2:2380#' plans/runbook.yaml > "$work/mistakes.yaml"
etcdplan validate "$work/mistakes.yaml" || echo "(exit code $?)"
