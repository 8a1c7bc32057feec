#!/usr/bin/env bash
# Builds the Debian package userppp_VERSION_ARCH.deb with dpkg-deb (no debhelper needed):
#   scripts/build-deb.sh [OUTDIR]          (default: artifacts/deb)
# prints the package's path on its last line. Then, as root:
#   apt-get install ./artifacts/deb/userppp_*.deb
#
# Contents: ppp, pppctl and ppp-modemsim published self-contained into /usr/lib/userppp (the
# .NET runtime comes along: it is not a Debian package, so a framework-dependent package could
# not declare a Depends that apt can satisfy; docs/packaging.md has the measurements), with
# links /usr/sbin/ppp, /usr/sbin/pppctl and /usr/bin/ppp-modemsim; the man pages
# (scripts/build-man.sh); the systemd unit ppp@.service; bash completion; /etc/ppp, made by
# postinst when missing and never removed (it holds the user's files and is shared with
# Debian's ppp package, whose files there are never touched); samples
# in /usr/share/doc/userppp/examples (ppp.secret mode 0600), the docs, changelog and copyright.
#
# VERSION is the assembly version plus the last commit: 1.0.0+git20250102.ab12cd3, and file
# times are the commit's, so one commit builds the same package.
# Needs: the .NET SDK (global.json), dpkg-deb, pandoc, mandoc (scripts/test-deps.sh installs them).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/artifacts/deb}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'build-deb.sh: %s\n' "$*" >&2; exit 1; }

for tool in dotnet dpkg-deb pandoc mandoc git; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/test-deps.sh installs the Debian packages)"
done

arch=$(dpkg --print-architecture)
case $arch in
  amd64) rid=linux-x64 ;;
  arm64) rid=linux-arm64 ;;
  *) die "no .NET runtime identifier for the Debian architecture $arch" ;;
esac

upstream=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -1)
upstream=${upstream:-1.0.0}
epoch=$(git -C "$root" log -1 --format=%ct)
commit=$(git -C "$root" log -1 --format=%h)
version="$upstream+git$(date -u -d "@$epoch" +%Y%m%d).$commit"
package=userppp_${version}_$arch.deb

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg=$stage/root
lib=$pkg/usr/lib/userppp
doc=$pkg/usr/share/doc/userppp

# Self-contained, one folder for the three programs (they share the runtime and libraries),
# compiled ahead of time (ReadyToRun): start-up and `ppp -check` take about 0.65 of the time,
# and a long-running daemon's resident memory settles lower and sooner (docs/benchmarks.md).
# --artifacts-path keeps this build's obj/ and bin/ out of the source tree's, which a
# framework-dependent `dotnet build` (and the tests) use.
for project in ppp pppctl modemsim; do
  say "publish src/$project ($rid, self-contained, ReadyToRun)"
  dotnet publish "$root/src/$project/$project.csproj" -c Release -r "$rid" --self-contained \
    -p:PublishReadyToRun=true -p:DebugType=none -nologo -v quiet -clp:ErrorsOnly --artifacts-path "$stage/build" -o "$lib"
done
# LTTng tracing support: it links liblttng-ust, which nothing here needs; the runtime runs without it.
rm -f "$lib/libcoreclrtraceptprovider.so"

say "man pages"
"$root/scripts/build-man.sh" "$stage/man" "$upstream" >/dev/null
install -d "$pkg/usr/share/man/man1" "$pkg/usr/share/man/man5" "$pkg/usr/share/man/man8"
for page in "$stage"/man/*.[158]; do
  name=${page##*/}
  gzip -9n <"$page" >"$pkg/usr/share/man/man${name##*.}/$name.gz"
done
# man ppp.secret, man ppp.linkup, man ppp.linkdown: the same page.
for alias in ppp.secret ppp.linkup ppp.linkdown; do
  ln -s ppp.conf.5.gz "$pkg/usr/share/man/man5/$alias.5.gz"
done

say "links, unit, completion, /etc/ppp, documents"
install -d "$pkg/usr/sbin" "$pkg/usr/bin" "$pkg/lib/systemd/system" "$pkg/usr/share/bash-completion/completions" \
  "$doc/examples"
ln -s ../lib/userppp/ppp "$pkg/usr/sbin/ppp"
ln -s ../lib/userppp/pppctl "$pkg/usr/sbin/pppctl"
ln -s ../lib/userppp/ppp-modemsim "$pkg/usr/bin/ppp-modemsim"
install -m 0644 "$root/packaging/systemd/ppp@.service" "$pkg/lib/systemd/system/"
install -m 0644 "$root/packaging/bash-completion/ppp" "$root/packaging/bash-completion/pppctl" \
  "$pkg/usr/share/bash-completion/completions/"
install -m 0644 "$root/conf/ppp.conf" "$root/conf/ppp.linkup" "$root/conf/ppp.linkdown" "$doc/examples/"
install -m 0600 "$root/conf/ppp.secret" "$doc/examples/"
install -m 0644 "$root/README.md" "$root"/docs/*.md "$doc/"
install -m 0644 "$root/packaging/debian/copyright" "$doc/copyright"
# The runtime's licence notices, from the runtime pack the publish used.
runtime=$(sed -n 's:.*"runtimepack\.Microsoft\.NETCore\.App\.Runtime\.[^/]*/\([^"]*\)".*:\1:p' "$lib/ppp.deps.json" | head -1)
packs=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
notices=$packs/microsoft.netcore.app.runtime.$rid/$runtime/THIRD-PARTY-NOTICES.TXT
[ -f "$notices" ] || die "the .NET runtime's notices are missing: $notices"
install -m 0644 "$notices" "$doc/THIRD-PARTY-NOTICES.TXT"
{
  printf 'userppp (%s) unstable; urgency=medium\n\n' "$version"
  printf '  * Built from commit %s of UserPpp: %s\n' "$commit" "$(git -C "$root" log -1 --format=%s | cut -c1-200)"
  printf '  * Self-contained: .NET runtime %s (%s) in /usr/lib/userppp.\n\n' "$runtime" "$rid"
  printf ' -- UserPpp <dev@userppp.invalid>  %s\n' "$(date -u -R -d "@$epoch")"
} | gzip -9n >"$doc/changelog.gz"

install -d "$pkg/DEBIAN"
install -m 0755 "$root/packaging/debian/postinst" "$root/packaging/debian/postrm" "$pkg/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
  "$root/packaging/debian/control.in" >"$pkg/DEBIAN/control"
(cd "$pkg" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) >"$pkg/DEBIAN/md5sums"

# Modes as Debian wants them whatever the umask was; the secret sample stays 0600.
find "$pkg" -type d -exec chmod 0755 {} +
find "$pkg" -type f ! -path "$pkg/DEBIAN/*" -exec chmod go-w,u+rw {} +
chmod 0600 "$doc/examples/ppp.secret"
find "$pkg" -exec touch -h -d "@$epoch" {} +

mkdir -p "$out"
rm -f "$out"/userppp_*.deb
say "dpkg-deb --build ($size KiB installed)"
SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zxz --build "$pkg" "$out/$package" >/dev/null
printf '%s\n' "$out/$package"
