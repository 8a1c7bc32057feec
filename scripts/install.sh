#!/usr/bin/env bash
# Builds UserPpp (Release), installs `ppp` and `pppctl`, then runs the main job: scripts/demo.sh
# (two daemons over PPP-over-TCP between two network namespaces; `ppp -demo` when not root).
#   scripts/install.sh [--no-demo]
# Layout: `dotnet publish` output (framework-dependent, ReadyToRun) in $PREFIX/lib/userppp, with symlinks
# $PREFIX/bin/ppp and $PREFIX/bin/pppctl. PREFIX defaults to /usr/local.
# Needs the .NET 10 SDK (global.json pins 10.0.4xx). If `dotnet` is missing, the Debian
# package dotnet-sdk-10.0 is tried; stock Debian 12 does not carry it (see README.md).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=${PREFIX:-/usr/local}
libdir=$prefix/lib/userppp
demo=1
for arg in "$@"; do
  case "$arg" in
    --no-demo) demo=0 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument '$arg'" >&2; exit 64 ;;
  esac
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 && return 0
  say "dotnet not found: trying the Debian package dotnet-sdk-10.0"
  if "$root/scripts/apt-install.sh" dotnet-sdk-10.0; then
    command -v dotnet >/dev/null 2>&1 && return 0
  fi
  die "the .NET 10 SDK is required and no apt source here provides dotnet-sdk-10.0.
  Debian 12's own archive does not carry it: add Microsoft's package repository for
  Debian 12 (Microsoft's 'Install .NET on Debian' page gives the two commands), then run
  'apt-get install dotnet-sdk-10.0' and this script again. Any SDK 10.0.4xx on PATH works."
}

ensure_dotnet
# global.json pins the SDK band; a wrong one fails here with dotnet's own explanation.
sdk=$(cd "$root" && dotnet --version) || die "no .NET SDK matching $root/global.json (dotnet --list-sdks shows what is installed)"
say "using .NET SDK $sdk"

# Compiled ahead of time for this machine (ReadyToRun): start-up and `ppp -check` take about
# 0.65 of the time, and a long-running daemon's resident memory settles lower and sooner.
case $(uname -m) in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) rid= ;;
esac
aot=()
[ -z "$rid" ] || aot=(-r "$rid" --self-contained false -p:PublishReadyToRun=true)
stage=$(mktemp -d)
build=$(mktemp -d)
trap 'rm -rf "$stage" "$build"' EXIT
for project in ppp pppctl; do
  say "publish src/$project (Release${rid:+, $rid, ReadyToRun})"
  # --artifacts-path keeps this build's obj/ and bin/ apart from the tests' framework-dependent build.
  dotnet publish "$root/src/$project/$project.csproj" -c Release "${aot[@]}" -nologo -v quiet \
    --artifacts-path "$build" -o "$stage"
done

say "install into $libdir, links in $prefix/bin"
as_root mkdir -p "$prefix/bin" "$prefix/lib"
as_root rm -rf "$libdir.new"
as_root cp -a "$stage" "$libdir.new"
as_root chmod 755 "$libdir.new"
as_root rm -rf "$libdir"
as_root mv "$libdir.new" "$libdir"
for tool in ppp pppctl; do
  as_root ln -sfn "$libdir/$tool" "$prefix/bin/$tool"
done

if [ $demo = 1 ]; then
  # The main job: two daemons over PPP-over-TCP between two network namespaces. That needs
  # root (tun, netns), iproute2 and socat; without root only the in-process demo can run.
  if [ "$(id -u)" = 0 ] && [ -c /dev/net/tun ]; then
    missing=()
    for pkg in socat:socat ip:iproute2 ping:iputils-ping; do
      command -v "${pkg%%:*}" >/dev/null 2>&1 || missing+=("${pkg#*:}")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      say "apt-get install ${missing[*]} (for the demo)"
      # With empty package lists (a fresh image) this runs apt-get update first.
      "$root/scripts/apt-install.sh" "${missing[@]}"
    fi
    say "the main job: scripts/demo.sh (ppp -background tcp-client against ppp -direct tcp-server)"
    "$root/scripts/demo.sh" "$prefix/bin/ppp"
  else
    say "not root (or no /dev/net/tun): ppp -demo instead (two in-process links: LCP, CHAP, IPCP, IPV6CP)"
    "$prefix/bin/ppp" -demo
  fi
fi
