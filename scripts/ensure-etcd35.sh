#!/usr/bin/env bash
# Installs etcd 3.5 (Debian trixie's etcd-server and etcd-client) NEXT TO the system's etcd 3.4.23
# (Debian bookworm), so the tests can run both versions and migrate 3.4 -> 3.5.
#
# Nothing of the system changes: apt runs with its own sources list (the trixie suite on the same
# mirror host as /etc/apt/sources.list*), its own lists and cache directories, and only *downloads*
# the two .deb files; `dpkg-deb -x` unpacks them into a cache directory. dpkg's database, /usr/bin
# and the system's apt lists are untouched.
#
# Usage: scripts/ensure-etcd35.sh           installs if missing, prints the bin directory on stdout
#        scripts/ensure-etcd35.sh --bin-dir prints the bin directory if installed, else fails (no network)
# Where: ${ETCDPLAN_ETCD35_DIR:-${ETCDPLAN_CACHE:-$HOME/.cache/etcdplan}/etcd-3.5}/usr/bin
# Progress goes to stderr; a second run with the binaries present does nothing.
set -euo pipefail

root="${ETCDPLAN_ETCD35_DIR:-${ETCDPLAN_CACHE:-$HOME/.cache/etcdplan}/etcd-3.5}"
bin="$root/usr/bin"
suite="${ETCDPLAN_ETCD35_SUITE:-trixie}"

say() { echo "ensure-etcd35: $*" >&2; }
fail() {
  say "FAILED: $1"
  shift
  for line in "$@"; do echo "  $line" >&2; done
  exit 1
}

installed() {
  # The version is read whole before it is matched: `etcd --version | grep -q` lets grep close the
  # pipe after the first line, etcd dies of SIGPIPE writing the next ones, and with pipefail the
  # check fails at random (which reinstalled 3.5 under running tests).
  local version
  [ -x "$bin/etcd" ] && [ -x "$bin/etcdctl" ] && [ -x "$bin/etcdutl" ] &&
    version=$("$bin/etcd" --version 2>/dev/null) && [[ "$version" == "etcd Version: 3.5."* ]]
}

if [ "${1:-}" = "--bin-dir" ]; then
  installed || fail "etcd 3.5 is not installed in $root" "run: bash scripts/ensure-etcd35.sh"
  echo "$bin"
  exit 0
fi
if [ -n "${1:-}" ]; then
  fail "unknown argument '$1'" "usage: scripts/ensure-etcd35.sh [--bin-dir]"
fi

if installed; then
  echo "$bin"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 ||
  fail "apt-get and dpkg-deb are needed to fetch Debian's etcd 3.5 packages and are not on PATH" \
    "on a non-Debian machine, unpack an etcd v3.5 release (etcd, etcdctl, etcdutl) into $bin"

# The mirror host the system already uses (deb822 "URIs:" or one-line "deb URL suite"), so a machine
# behind a local mirror or proxy keeps using it; deb.debian.org otherwise.
mirror="${ETCDPLAN_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -Ev '^[[:space:]]*#' | grep -Eo 'https?://[^ ]+/debian/?([[:space:]]|$)' | head -1 | tr -d '[:space:]' | sed 's:/$::' || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"

work="$root.apt"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
: >"$work/status" # an empty dpkg status: the system's installed 3.4.23 must not be the "candidate"
echo "deb $mirror $suite main" >"$work/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o "Dir::State::status=$work/status"
  -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root"
)

say "fetching the package lists of Debian $suite from $mirror (into $work, not the system's apt state)"
apt-get "${apt_opts[@]}" -qq --error-on=any update >&2 ||
  fail "apt-get update for Debian $suite from $mirror failed" \
    "check the network reaches $mirror (or set ETCDPLAN_DEBIAN_MIRROR to a Debian mirror URL), then run again"

say "downloading etcd-server and etcd-client from $suite"
(cd "$work/debs" && rm -f ./*.deb && apt-get "${apt_opts[@]}" -qq download etcd-server etcd-client >&2) ||
  fail "apt-get download etcd-server etcd-client ($suite) failed" \
    "see apt's message above; the packages must exist in $suite main for $(dpkg --print-architecture 2>/dev/null || echo this architecture)"

tmp="$root.unpack.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
for deb in "$work"/debs/*.deb; do
  say "unpacking $(basename "$deb") into $root"
  dpkg-deb -x "$deb" "$tmp" || fail "dpkg-deb -x $deb failed" "delete $work and run again"
done
# Replace atomically-ish: a half-unpacked tree never passes installed().
rm -rf "$root"
mv "$tmp" "$root"

for tool in etcd etcdctl etcdutl; do
  [ -x "$bin/$tool" ] || fail "$bin/$tool is missing after unpacking" \
    "the $suite packages may have moved the binary; look in $root and adjust this script"
done
"$bin/etcd" --version >&2 || fail "$bin/etcd --version does not run" "delete $root and run again"
"$bin/etcdctl" version >&2 || fail "$bin/etcdctl version does not run" "delete $root and run again"
"$bin/etcdutl" version >&2 || fail "$bin/etcdutl version does not run" "delete $root and run again"
installed || fail "$bin/etcd is not etcd 3.5" "Debian $suite may ship another version; set ETCDPLAN_ETCD35_SUITE"
rm -rf "$work" # the lists and .debs (~36 MB) are not needed once unpacked
say "etcd 3.5 ready in $bin"
echo "$bin"
