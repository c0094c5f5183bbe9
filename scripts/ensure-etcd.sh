#!/usr/bin/env bash
# Makes sure `etcd` and `etcdctl` are on PATH: the tests and the demo run real etcd processes.
# On Debian/Ubuntu as root, installs Debian's etcd-server and etcd-client (3.4.23 on bookworm);
# elsewhere says exactly how, and fails.
set -euo pipefail
if command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "etcd not found: installing Debian's etcd-server and etcd-client" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq etcd-server etcd-client >/dev/null
  exit 0
fi
cat >&2 <<'MSG'
etcd and etcdctl are needed (the tests and the demo run real etcd processes on loopback) and are not on PATH.
Install them, then run the command again:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y etcd-server etcd-client
  elsewhere:      put the etcd and etcdctl binaries of an etcd 3.4 or 3.5 release on PATH
MSG
exit 1
