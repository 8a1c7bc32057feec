#!/usr/bin/env bash
# Installs the Debian packages the tests need: the real PPP peers (pppd in a QEMU VM, slirp),
# the tools that drive them (socat, stty, ip netns), measure across the link (ping, iperf3)
# and decode its traffic (tshark).
# Each package is checked with dpkg first, so a second run costs a fraction of a second and
# does not touch the network. `apt-get update` runs only when a missing package has no
# install candidate in the current lists (a fresh machine ships with empty lists).
set -euo pipefail

PKGS=(qemu-system-x86 ppp socat cpio xz-utils kmod slirp tshark iproute2 iperf3 python3 iputils-ping)

log() { printf 'test-deps: %s\n' "$*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  log "all ${#PKGS[@]} packages present"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  log "missing packages: ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})"
  exit 1
fi

apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q "$@"; }

need_update=0
for p in "${missing[@]}"; do
  # `apt-cache policy` prints "Candidate: (none)" or nothing at all when the lists lack it.
  cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then need_update=1; break; fi
done
if [ $need_update = 1 ]; then
  log "apt-get update (the package lists lack a candidate)"
  apt_get update -qq
fi

# tshark asks whether non-root users may capture; answer it up front so the install never waits.
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections

log "installing: ${missing[*]}"
if ! apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  # Lists that are present but stale point at files the mirror no longer has: refresh once.
  log "install failed; refreshing the package lists and retrying once"
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for p in "${missing[@]}"; do
  installed "$p" || { log "package $p is still not installed"; exit 1; }
done
log "installed ${#missing[@]} package(s)"
