#!/usr/bin/env bash
# Makes sure the tools of the lab of separate hosts (lab/netns-lab.ts) are installed: sshd and ssh
# (openssh-server, openssh-client), BIND 9 and nsupdate/dig (bind9, dnsutils), ip (iproute2),
# unshare/nsenter (util-linux), and Graphviz's dot (graphviz), which the tests use to parse
# `show --graph dot`. On Debian/Ubuntu as root it installs what is missing, with a
# policy-rc.d that forbids the packages to start their services: the lab starts its own sshd and
# named inside network namespaces, and nothing here may start an init system (DEVELOPERS.md).
# Elsewhere it says exactly what is missing, and fails.
set -euo pipefail
missing=()
for tool in sshd:openssh-server ssh:openssh-client named:bind9 nsupdate:dnsutils dig:dnsutils ip:iproute2 tc:iproute2 unshare:util-linux nsenter:util-linux dot:graphviz; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "lab tools missing: installing ${packages}(their services are not started)" >&2
  export DEBIAN_FRONTEND=noninteractive
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && created_policy=1
  fi
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $packages >/dev/null
  [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  exit 0
fi
cat >&2 <<MSG
The lab of separate hosts needs these packages, which are missing: ${packages}
Install them as root (their services need not run: the lab starts its own sshd and named), then run the command again:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y ${packages}
MSG
exit 1
