#!/usr/bin/env bash
# Installs the Debian packages the tests need: the real PPP peers (pppd in a QEMU VM, slirp),
# the tools that drive them (socat, stty, ip netns, curl), measure across the link (ping,
# iperf3) and decode its traffic (tshark); and what the package tests use: pandoc (builds the
# man pages), mandoc (lints them), bash-completion, and promtool (lints the metrics), which
# Debian ships only inside the prometheus server package: its one binary is taken out of that
# package into /usr/local/libexec/userppp-tests rather than installing (and starting) a server.
# Each package is checked with dpkg first, so a second run costs a fraction of a second and
# does not touch the network. `apt-get update` runs only when a missing package has no
# install candidate in the current lists (a fresh machine ships with empty lists).
set -euo pipefail

PKGS=(qemu-system-x86 ppp socat cpio xz-utils kmod slirp tshark iproute2 iperf3 python3 iputils-ping
      curl pandoc mandoc bash-completion man-db bsdextrautils)
PROMTOOL=/usr/local/libexec/userppp-tests/promtool

log() { printf 'test-deps: %s\n' "$*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ] && [ -x "$PROMTOOL" ]; then
  log "all ${#PKGS[@]} packages present, and promtool"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  log "missing: ${missing[*]}${missing[*]:+ }$([ -x "$PROMTOOL" ] || echo "promtool ($PROMTOOL)"); run this script as root"
  exit 1
fi

apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q "$@"; }

need_update=0
want=("${missing[@]}")
[ -x "$PROMTOOL" ] || want+=(prometheus)
for p in "${want[@]}"; do
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

if [ ! -x "$PROMTOOL" ]; then
  log "promtool: taking it out of Debian's prometheus package (not installed)"
  tmp=$(mktemp -d)
  # apt-get download writes to the current folder; _apt cannot, as root's mktemp folder is 0700.
  chmod 0755 "$tmp"
  (cd "$tmp" && apt_get download prometheus >/dev/null 2>&1) ||
    { apt_get update -qq && (cd "$tmp" && apt_get download prometheus >/dev/null 2>&1); }
  dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb | tar -x -C "$tmp" ./usr/bin/promtool
  install -D -m 0755 "$tmp/usr/bin/promtool" "$PROMTOOL"
  rm -rf "$tmp"
  "$PROMTOOL" --version >/dev/null || { log "promtool does not run"; exit 1; }
fi
[ ${#missing[@]} -gt 0 ] || { log "installed promtool"; exit 0; }

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
