#!/usr/bin/env bash
# The migration benchmark: the runbook's approach 1 scripted with etcdctl (scripts/runbook-etcdctl.sh)
# against `etcdplan apply`, R rounds on real local etcd with a client writing throughout
# (lab/bench-migration.ts). Builds first. Needs etcd and etcdctl on PATH (Debian: etcd-server etcd-client).
# Usage: scripts/bench-migration.sh [--rounds N] [--out FILE] [--keys N] [--keep-failed]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in etcd etcdctl; do
  command -v "$tool" >/dev/null || { echo "bench-migration: $tool is not on PATH (Debian: apt-get install -y etcd-server etcd-client)" >&2; exit 1; }
done
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run -s build
exec node dist/lab/bench-migration.js "$@"
