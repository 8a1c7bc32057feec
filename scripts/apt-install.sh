#!/usr/bin/env bash
# Installs Debian packages with apt-get, running `apt-get update` first when any of them has
# no install candidate in the current package lists: a fresh Debian image ships with empty
# lists, and `apt-get install` then stops with "Unable to locate package" (exit 100).
#   scripts/apt-install.sh PACKAGE...
# As root it runs apt-get itself, otherwise through sudo. scripts/install.sh uses it.
set -euo pipefail

if [ $# -eq 0 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
  [ $# -gt 0 ]; exit $?
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q "$@"; }

for p in "$@"; do
  # `apt-cache policy` prints "Candidate: (none)", or nothing at all, when the lists lack it.
  cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then
    printf '==> apt-get update (the package lists have no candidate for %s)\n' "$p"
    apt_get update -qq || printf 'apt-install.sh: apt-get update failed; trying the install anyway\n' >&2
    break
  fi
done
apt_get install -y -qq "$@"
