#!/usr/bin/env bash
# The migration benchmark: the runbook scripted with etcdctl (scripts/runbook-etcdctl.sh), an expert's
# etcdctl script (scripts/expert-etcdctl.sh) and `etcdplan apply`, join and snapshot cases on etcd 3.4
# and 3.5, on real local etcd with a client writing throughout (lab/bench-migration.ts; --help lists
# the cases and flags). Builds first; unpacks etcd 3.5 into its cache unless it is there
# (scripts/ensure-etcd35.sh). Needs etcd and etcdctl on PATH (Debian: etcd-server etcd-client).
# Usage: scripts/bench-migration.sh [--cases ID,...] [--large] [--rounds N] [--out FILE] [--keep-failed] (--help)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in etcd etcdctl; do
  command -v "$tool" >/dev/null || { echo "bench-migration: $tool is not on PATH (Debian: apt-get install -y etcd-server etcd-client)" >&2; exit 1; }
done
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/ensure-etcd35.sh >/dev/null
npm run -s build
exec node dist/lab/bench-migration.js "$@"
