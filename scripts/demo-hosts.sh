#!/usr/bin/env bash
# `npm run demo:hosts`: the runbook's two-server migration across separate hosts made on this machine
# (network namespaces with their own sshd; BIND in a third host), narrated (lab/demo-hosts.ts). Does
# all set-up on a fresh Debian machine first, as root: etcd, the lab's tools (openssh-server, bind9,
# dnsutils, iproute2, without starting their services), the npm dependencies, the build.
# Usage: scripts/demo-hosts.sh [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo 'demo:hosts: the lab of hosts needs root (network namespaces, a bridge, sshd); run it as root, or run `npm run demo` (one machine, no root)' >&2
  exit 1
fi
bash scripts/ensure-etcd.sh
bash scripts/ensure-lab-tools.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
stamp=dist/lab/demo-hosts.js
if [ ! -f "$stamp" ] || [ -n "$(find src lab share schemas bin package.json package-lock.json tsconfig.json -newer "$stamp" -print -quit)" ]; then
  npm run -s build
fi
exec node dist/lab/demo-hosts.js "$@"
