#!/usr/bin/env bash
# Connect/drop soak of the supervisor (issue 10): `ppp -ddial` in namespace A dials PPP over
# TCP to namespace B, where socat starts `ppp -direct` per connection, as inetd would. Each
# cycle waits for IPCP to come up on the -ddial side, then kills the answering daemon
# (SIGKILL: the TCP connection just ends, an unexpected drop), and the -ddial side must bring
# the link back by itself. After every cycle it samples the -ddial daemon's RSS, open
# descriptors and threads; at the end it compares the last sample with the one after the
# warm-up and fails when anything grew past the allowance.
#
#   benchmarks/soak/ddial-soak.sh [--cycles N] [--warmup N] [--ppp PATH] [--csv FILE]
#
# Defaults: 1000 cycles (the figure for the issue note), warm-up 50. CI runs a short version
# through tests/Ppp.Daemon.Tests (SoakTests). Needs root, iproute2, socat. Everything stays
# inside two namespaces it makes (usoak-PID-a/b) and is removed on exit.
# Output: one line per 50 cycles, then "soak: ... ok" or "soak: ... FAILED: why" (exit 1).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cycles=1000
warmup=50
ppp=
csv=
rss_allowance_kib=${SOAK_RSS_ALLOWANCE_KIB:-8192}
fd_allowance=${SOAK_FD_ALLOWANCE:-2}
thread_allowance=${SOAK_THREAD_ALLOWANCE:-3}
cycle_timeout=${SOAK_CYCLE_TIMEOUT:-30}

while [ $# -gt 0 ]; do
  case $1 in
    --cycles) cycles=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --ppp) ppp=$2; shift 2 ;;
    --csv) csv=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "ddial-soak: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$warmup" -lt "$cycles" ] || { echo "ddial-soak: --warmup must be below --cycles" >&2; exit 2; }
if [ -z "$ppp" ]; then
  dll="$root/src/ppp/bin/Release/net10.0/ppp.dll"
  [ -f "$dll" ] || dotnet build "$root/src/ppp/ppp.csproj" -c Release -nologo -clp:ErrorsOnly >&2
  ppp="dotnet $dll"
fi

a=usoak-$$-a
b=usoak-$$-b
work=$(mktemp -d /tmp/userppp-soak.XXXXXX)
cleanup() {
  set +e
  for ns in "$a" "$b"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -TERM 2>/dev/null; done
  sleep 1
  for ns in "$a" "$b"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null; ip netns del "$ns" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

for ns in "$a" "$b"; do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
done
ip link add "va$$" netns "$a" type veth peer name "vb$$" netns "$b"
ip -n "$a" addr add 10.0.0.2/24 dev "va$$" && ip -n "$a" link set "va$$" up
ip -n "$b" addr add 10.0.0.1/24 dev "vb$$" && ip -n "$b" link set "vb$$" up

# The dialler reconnects at once (the policy's floor still applies); no resolver, no idle.
cat > "$work/ppp.conf" <<'EOF'
default:
 set log Phase IPCP
 set timeout 0
 disable ipv6cp
client:
 set device 10.0.0.1:3000/tcp
 set ifaddr 10.0.1.2/0 10.0.1.1/0
 set redial 0 0
 set reconnect 0 0
server:
 set ifaddr 10.0.1.1 10.0.1.2
EOF
cat > "$work/server.sh" <<EOS
#!/bin/sh
PPP_CONFDIR=$work PPP_LOGFILE=/dev/null exec $ppp -direct server
EOS
chmod +x "$work/server.sh"
ip netns exec "$b" socat TCP-LISTEN:3000,reuseaddr,fork EXEC:"$work/server.sh" 2>"$work/socat.log" &

PPP_CONFDIR=$work PPP_LOGFILE=$work/client.log ip netns exec "$a" $ppp -ddial -quiet -unit0 client 2>"$work/client.err" &
sleep 0.5
client=$(ip netns pids "$a" | head -1)
[ -n "$client" ] || { echo "soak: the -ddial daemon did not start" >&2; cat "$work/client.err" >&2; exit 1; }

ups() { local n; n=$(grep -c 'IPCP: .*LayerUp' "$work/client.log" 2>/dev/null) || true; echo "${n:-0}"; }
sample() { # rss_kib fds threads
  local rss threads fds
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$client/status")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$client/status")
  fds=$(ls "/proc/$client/fd" | wc -l)
  echo "$rss $fds $threads"
}

[ -z "$csv" ] || echo "cycle,seconds,rss_kib,fds,threads" > "$csv"
start=$SECONDS
base=
for cycle in $(seq 1 "$cycles"); do
  deadline=$((SECONDS + cycle_timeout))
  until [ "$(ups)" -ge "$cycle" ]; do
    if ! kill -0 "$client" 2>/dev/null; then echo "soak: cycle $cycle: the -ddial daemon exited" >&2; tail -20 "$work/client.log" >&2; exit 1; fi
    if [ $SECONDS -ge $deadline ]; then echo "soak: cycle $cycle: the link did not come back within ${cycle_timeout} s FAILED" >&2; tail -30 "$work/client.log" >&2; exit 1; fi
    sleep 0.05
  done
  read -r rss fds threads < <(sample)
  [ -z "$csv" ] || echo "$cycle,$((SECONDS - start)),$rss,$fds,$threads" >> "$csv"
  if [ "$cycle" -eq "$warmup" ]; then base="$rss $fds $threads"; fi
  if [ $((cycle % 50)) -eq 0 ] || [ "$cycle" -eq "$cycles" ]; then
    echo "soak: cycle $cycle after $((SECONDS - start)) s: rss ${rss} KiB, ${fds} fds, ${threads} threads"
  fi
  # The drop: the answering daemon dies, the TCP connection ends under the dialler.
  for pid in $(ip netns pids "$b"); do
    if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- '-direct'; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
done

read -r rss0 fds0 threads0 <<< "$base"
read -r rss1 fds1 threads1 < <(sample)
summary="soak: $cycles cycles in $((SECONDS - start)) s; after cycle $warmup: rss ${rss0} KiB, ${fds0} fds, ${threads0} threads; at the end: rss ${rss1} KiB, ${fds1} fds, ${threads1} threads"
why=
[ $((rss1 - rss0)) -le "$rss_allowance_kib" ] || why="$why rss grew by $((rss1 - rss0)) KiB (allowed $rss_allowance_kib);"
[ $((fds1 - fds0)) -le "$fd_allowance" ] || why="$why descriptors grew by $((fds1 - fds0)) (allowed $fd_allowance);"
[ $((threads1 - threads0)) -le "$thread_allowance" ] || why="$why threads grew by $((threads1 - threads0)) (allowed $thread_allowance);"
if [ -n "$why" ]; then
  echo "$summary FAILED:$why"
  exit 1
fi
echo "$summary ok"
