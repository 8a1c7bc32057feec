#!/usr/bin/env bash
# Builds the man pages from the Markdown in docs/ with pandoc (Debian package pandoc) and the
# filter packaging/man/manpage.lua, then lints each with groff and mandoc: any warning fails.
#   scripts/build-man.sh OUTDIR [VERSION]
# Writes OUTDIR/ppp.8, pppctl.8, ppp.conf.5 and ppp-modemsim.1 (uncompressed roff). VERSION
# goes in each page's footer (default: the assembly version). The date is the last commit's,
# so a commit always builds the same pages.
# Environment: SKIP_LINT=1 builds without linting (the tests lint on their own).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: scripts/build-man.sh OUTDIR [VERSION]}
version=${2:-}

die() { printf 'build-man.sh: %s\n' "$*" >&2; exit 1; }
command -v pandoc >/dev/null || die "pandoc is missing: apt-get install pandoc (scripts/test-deps.sh installs it)"

if [ -z "$version" ]; then
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -1)
  version=${version:-1.0.0}
fi
date=$(git -C "$root" log -1 --format=%cs 2>/dev/null || date -u +%F)
mkdir -p "$out"

# page  section  source (docs/)  one-line description for NAME
pages=(
  "ppp|8|ppp.8.md|userspace Point-to-Point Protocol daemon, after FreeBSD's ppp(8)"
  "pppctl|8|pppctl.md|control a running ppp through its diagnostic socket"
  "ppp.conf|5|ppp.conf.5.md|configuration files of ppp: ppp.conf, ppp.secret, ppp.linkup, ppp.linkdown"
  "ppp-modemsim|1|modemsim.md|a Hayes/3GPP modem simulator on a pseudo-terminal"
)

for entry in "${pages[@]}"; do
  IFS='|' read -r name section source description <<<"$entry"
  title=$(printf '%s' "$name" | tr '[:lower:]' '[:upper:]')
  pandoc --standalone --from markdown --to man \
    --lua-filter "$root/packaging/man/manpage.lua" \
    -M docdir="$root/docs" -M title="$title" -M section="$section" \
    -M name="$name" -M description="$description" \
    -M header="UserPpp" -M footer="UserPpp $version" -M date="$date" \
    "$root/docs/$source" |
  # Four fixes to pandoc 2.17's roff, so that groff -ww and mandoc's lint say nothing, and man(1)
  # prints no warning of its own:
  # - it marks inline code with the font V (mapped by .ftr in its preamble), which mandoc does
  #   not know: literal text is bold in man pages, so write B (BI, B, BI for VI, VB, VBI), and
  #   R for its code blocks' C (constant width means nothing on a terminal);
  # - it puts .PP right after each .SH/.SS, where a paragraph starts anyway;
  # - long words in narrow table columns cannot be justified: fill without justifying (.ad l);
  # - on a terminal man pages are one long page (groff's cR register), which grows at each .ne;
  #   tbl places a cell without .ne, and when a cell ends exactly at the current end tbl
  #   prints "table text block will not fit on one page" (man showed it at most widths).
  #   Starting with a page longer than any man page avoids that; the page is cut to its text
  #   at the end, as before.
  sed -e 's/\\f\[VBI\]/\\f[BI]/g' -e 's/\\f\[VB\]/\\f[B]/g' -e 's/\\f\[VI\]/\\f[BI]/g' \
      -e 's/\\f\[V\]/\\f[B]/g' -e 's/\\f\[C\]/\\f[R]/g' \
      -e '/^\.S[HS] /{n;/^\.PP$/d;}' -e 's/^\.hy$/.ad l\n.if \\n[cR] .pl 100000v\n.hy/' >"$out/$name.$section"
done

if [ "${SKIP_LINT:-0}" != 1 ]; then
  command -v mandoc >/dev/null || die "mandoc is missing: apt-get install mandoc (scripts/test-deps.sh installs it)"
  problems=0
  for page in "$out"/*.[158]; do
    # groff as man(1) formats for a terminal (-Tutf8), -t for the tables, -ww every warning,
    # -z no output; mandoc: every style warning.
    report=$( { groff -t -man -Tutf8 -ww -z "$page" 2>&1; mandoc -T lint -W style "$page" 2>&1; } || true)
    if [ -n "$report" ]; then
      printf '%s\n' "$report" >&2
      problems=1
    fi
  done
  [ $problems = 0 ] || die "lint found problems in the pages above"
fi
ls "$out"
