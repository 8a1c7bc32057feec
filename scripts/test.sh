#!/usr/bin/env bash
# Builds the solution (Release) and runs every test project, the interop tests against real
# peers included, then sums the TRX results. Extra arguments go to `dotnet test`, e.g.
#   scripts/test.sh --filter 'TestCategory!=Interop'     # no VM, no root needed
#   scripts/test.sh --filter TestCategory=Interop
# Environment:
#   TEST_RESULTS_DIR  where the TRX files go (default artifacts/test-results; emptied first)
#   PPP_SHARED        the shared folder with peers/pppd-vm (default: ../shared beside the repo)
#   SKIP_TEST_DEPS=1  do not check/install the Debian packages the interop tests need
#   BLAME_HANG_TIMEOUT  a test running longer is killed and reported (default 10m)
#   PROJECT_TIMEOUT     a test project running longer is killed (default 20m)
# Exit status: 0 all passed; 1 a test failed, was skipped, or none ran; 2 the build failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
results=${TEST_RESULTS_DIR:-$root/artifacts/test-results}
export PPP_SHARED=${PPP_SHARED:-$(cd "$root/.." && pwd)/shared}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*"; }

if [ "${SKIP_TEST_DEPS:-0}" != 1 ]; then
  say "test dependencies (Debian packages)"
  "$root/scripts/test-deps.sh"
fi

# Old results must not be mistaken for this run's, whatever happens next.
rm -rf "$results"
mkdir -p "$results"

say "build (Release)"
if ! dotnet build UserPpp.sln -c Release -nologo -clp:ErrorsOnly; then
  echo "BUILD FAILED" >&2
  exit 2
fi

# The test projects are the solution's projects that say <IsTestProject>true. Each runs on
# its own, one after the other, with its own TRX file: a solution-wide run would share one
# LogFileName (each project overwriting the last) and runs projects in parallel, which two
# shared cores and real-peer timing do not need.
mapfile -t projects < <(dotnet sln UserPpp.sln list | grep -E '\.csproj$' | tr '\\' '/' |
                        while read -r p; do grep -qs '<IsTestProject>true' "$p" && echo "$p"; done)
if [ ${#projects[@]} -eq 0 ]; then
  echo "no test project in UserPpp.sln" >&2
  exit 1
fi

rc=0
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  say "test $name (results in $results/$name.trx)"
  # A hung test is killed after 10 minutes and reported (blame), rather than eating the CI
  # budget; the outer timeout is the last guard for a hang outside any test.
  timeout --kill-after=60s "${PROJECT_TIMEOUT:-20m}" \
    dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$results" \
      --blame-hang-timeout "${BLAME_HANG_TIMEOUT:-10m}" --blame-hang-dump-type none \
      "$@" || rc=$?
  if [ ! -f "$results/$name.trx" ]; then
    echo "$name: no TRX file was written (the test host did not start or was killed)" >&2
    rc=1
  fi
done

summary_rc=0
python3 "$root/scripts/trx-summary.py" "$results" || summary_rc=$?
if [ $rc -ne 0 ] || [ $summary_rc -ne 0 ]; then
  exit 1
fi
