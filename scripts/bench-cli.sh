#!/usr/bin/env bash
# Start-up speed of the CLI: median wall time of 10 runs each, with hyperfine (Debian package
# `hyperfine`). The offline commands run on the runbook spec; `status` and live `plan` run against a
# real 3-member etcd 3.4 on loopback that lab/bench-cli-live.ts starts for each column and stops
# (by its pid files) when hyperfine ends, also when it fails or is interrupted.
# Goals (issue 14): validate and plan --offline ≤ 150 ms, status and live plan ≤ 200 ms.
# Usage: scripts/bench-cli.sh            (installs hyperfine if missing; builds first)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
npm run -s build
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
medians() {
  node -e '
    const r = require(process.argv[1]).results
    for (const b of r) console.log(`  ${(b.median * 1000).toFixed(0).padStart(5)} ms  ${b.command.replace(/\S*\/bin\/run\.js/, "etcdplan").replace(/\S*\/bench-cli\.yaml/, "SPEC")}`)
  ' "$1"
}
run() {
  hyperfine -N --warmup 3 --runs 10 --export-json "$out/$1.json" \
    "./bin/run.js --version" \
    "./bin/run.js validate plans/runbook.yaml" \
    "./bin/run.js plan plans/runbook.yaml --offline --no-color" >/dev/null
  medians "$out/$1.json"
  node dist/lab/bench-cli-live.js "$out/$1-live.json" -N --warmup 3 --runs 10 >/dev/null
  medians "$out/$1-live.json"
}
echo "median of 10 runs, this environment:"
run as-is
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then
  # Node reads every extra CA certificate at start-up (~50 ms here) before any etcdplan code runs.
  echo "median of 10 runs, without NODE_EXTRA_CA_CERTS (set on this machine; it costs node ~50 ms to start):"
  NODE_EXTRA_CA_CERTS= run no-extra-ca
fi
