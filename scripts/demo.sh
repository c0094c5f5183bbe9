#!/usr/bin/env bash
# The one-command demo (`npm run demo`): a real migration of a local 3-member etcd cluster onto 3 new
# members with `etcdplan apply`, a client writing all along (lab/demo.ts). Does all set-up on a fresh
# Debian machine first: installs etcd (Debian's etcd-server/etcd-client, and 3.5 beside it) when missing and we are
# root with apt-get, installs the npm dependencies when node_modules is missing, and builds.
# Usage: scripts/demo.sh [--keep]    (--keep leaves the members running to look around)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo 'demo: Node.js 20 or later (with npm) is needed: https://nodejs.org/en/download (Debian 13: apt-get install -y nodejs npm)' >&2
  exit 1
fi

bash scripts/ensure-etcd.sh
# etcd 3.5 beside the system's 3.4, so the demo's new members can run the newer release (upgrading
# while migrating). Without it (no network, not root) the demo still runs, on 3.4 alone.
bash scripts/ensure-etcd35.sh >/dev/null || echo 'demo: etcd 3.5 could not be installed (see above); the demo runs on etcd 3.4 alone' >&2

[ -d node_modules ] || npm ci --no-audit --no-fund

# Build when dist is missing or older than any source (a build takes seconds).
stamp=dist/lab/demo.js
if [ ! -f "$stamp" ] || [ ! -f dist/cli/etcdplan.js ] ||
   [ -n "$(find src lab schemas bin package.json package-lock.json tsconfig.json -newer "$stamp" -print -quit)" ]; then
  npm run -s build
fi

exec node dist/lab/demo.js "$@"
