#!/usr/bin/env bash
# Runs the modem simulator (ppp-modemsim) from the source tree, building src/modemsim first
# when its output is missing or older than the sources; every argument goes to the simulator.
#   scripts/modemsim.sh --link /tmp/x/modem --control /tmp/x/ctl --peer-exec 'slirp-fullbolt ppp'
# It prints the pty's slave path on stdout once ready and logs to stderr; see docs/modemsim.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
config=${CONFIGURATION:-Release}
dll=$root/src/modemsim/bin/$config/net10.0/ppp-modemsim.dll
if [ ! -f "$dll" ] || [ -n "$(find "$root/src/modemsim" "$root/src/Ppp.Tun" -name '*.cs' -newer "$dll" -print -quit)" ]; then
  dotnet build "$root/src/modemsim/modemsim.csproj" -c "$config" -nologo -clp:ErrorsOnly >&2
fi
exec dotnet "$dll" "$@"
