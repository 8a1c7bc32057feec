#!/usr/bin/env bash
# run.sh - end-to-end figures of the ppp daemon beside the C HDLC tunnel, in one run.
#
#   benchmarks/e2e/run.sh [--runs N] [--duration S] [--pings N] [--links tcp,pty]
#                         [--mru N] [--mtu N] [--conf FILE] [--config Release|Debug] [--no-build] [--work DIR]
#
# For each link (tcp, pty) it runs the shared harness $PPP_SHARED/bench/e2e.sh once, with the
# C tunnel of that link (chdlc-tcp / chdlc-pty) and our daemon as the plug-in variant
# (ours-tcp / ours-pty), rounds interleaved so that machine noise hits both alike:
#   ours over TCP: ns B  socat TCP-LISTEN:$PORT EXEC:'ppp -direct b',nofork  (as inetd would:
#                        the accepted socket is ppp's stdin/stdout, no relay process)
#                  ns A  ppp -foreground -unit0 a   with `set device $UL_B:$PORT/tcp`
#   ours over pty: ppp -foreground -unit0 a|b on the two ends of e2e.sh's linked pty pair
# No authentication; `set ifaddr` as e2e.sh's addresses; --mru/--mtu become `set mru`/`set mtu`
# (--mtu is also the C tunnel's MTU); --conf appends FILE's lines to both sides' label (e.g.
# filters40.conf: 40 in and 40 out filter rules that every TCP packet walks to the end). Measured: iperf3 TCP both ways, ping RTT, CPU, time to
# the first ping (e2e.sh), and the daemon's peak RSS (VmHWM, sampled every 0.5 s by side.sh).
# Prints e2e.sh's medians, then a summary table with the ratios ours/C.
#
# Environment: PPP_SHARED (default: ../shared beside the repository). Needs root, iproute2,
# iperf3, socat, iputils-ping, python3, gcc, and the .NET SDK (to build src/ppp).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/benchmarks/e2e
shared=${PPP_SHARED:-$(cd "$root/.." && pwd)/shared}
harness=$shared/bench/e2e.sh
runs=3 duration=10 pings=100 links=tcp,pty mru="" mtu="" conf="" config=Release build=1
work=/tmp/bench/userppp-e2e

die() { echo "run.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --pings) pings=$2; shift 2 ;;
    --links) links=$2; shift 2 ;;
    --mru) mru=$2; shift 2 ;;
    --mtu) mtu=$2; shift 2 ;;
    --conf) conf=$(realpath "$2"); shift 2 ;;
    --config) config=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --work) work=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed 's/^# \{0,1\}//;$d'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[ "$(id -u)" = 0 ] || die "must run as root (namespaces, tun)"
[ -x "$harness" ] || die "no harness at $harness: set PPP_SHARED to the shared folder"

if [ $build = 1 ]; then
  echo "==> build src/ppp ($config)" >&2
  dotnet build "$root/src/ppp/ppp.csproj" -c "$config" -nologo -clp:ErrorsOnly >&2
fi
export OURS_DLL=$root/src/ppp/bin/$config/net10.0/ppp.dll
export OURS_DOTNET
OURS_DOTNET=$(command -v dotnet) || die "dotnet is not on PATH"
[ -f "$OURS_DLL" ] || die "$OURS_DLL is missing (build src/ppp -c $config, or drop --no-build)"
export OURS_MRU=$mru OURS_MTU=$mtu OURS_CONF=$conf
[ -z "$conf" ] || [ -r "$conf" ] || die "--conf $conf cannot be read"

rm -rf "$work"
mkdir -p "$work"
# Namespace names of our own: other users of e2e.sh on this machine keep the defaults.
ns_a=upa$$ ns_b=upb$$
e2e_mtu=()
[ -n "$mtu" ] && e2e_mtu=(--mtu "$mtu")

results=$work/results.txt
: >"$results"
IFS=',' read -r -a link_list <<<"$links"
for link in "${link_list[@]}"; do
  case "$link" in
    tcp) cmd_b="exec socat TCP-LISTEN:\$PORT,bind=\$UL_B,reuseaddr EXEC:'$here/side.sh b tcp',nofork" ;;
    pty) cmd_b="exec $here/side.sh b pty" ;;
    *) die "--links takes tcp and/or pty" ;;
  esac
  export OURS_NAME=ours-$link
  echo "==> e2e.sh: chdlc-$link and ours-$link, $runs interleaved rounds" >&2
  "$harness" --runs "$runs" --duration "$duration" --pings "$pings" --work "$work/$link" \
    --ns-a "$ns_a" --ns-b "$ns_b" "${e2e_mtu[@]}" \
    --variants "chdlc-$link" --name "ours-$link" --link "$link" --ifname ppp0 \
    --cmd-b "$cmd_b" --cmd-a "exec $here/side.sh a $link" | tee -a "$results" ||
    echo "run.sh: e2e.sh failed for the $link link (logs in $work/$link)" >&2
done

echo
python3 - "$results" "$work" "${link_list[@]}" <<'PY'
import glob, os, statistics, sys
results, work, links = sys.argv[1], sys.argv[2], sys.argv[3:]
med = {}
for line in open(results):
    parts = line.split()
    if len(parts) >= 3:
        med[(parts[0], parts[1])] = parts[2]
for link in links:
    for role in "ab":
        files = glob.glob(os.path.join(work, link, "rss", f"ours-{link}-{role}.*.kB"))
        vals = [int(open(f).read().split()[0]) for f in files if open(f).read().strip()]
        med[(f"ours-{link}", f"peak_rss_{role}_MiB")] = "%.1f" % (max(vals) / 1024) if vals else "NA"
metrics = [("up_s", "s to first ping"), ("ping_avg_ms", "ping avg ms"), ("ping_p99_ms", "ping p99 ms"),
           ("tcp_fwd_Mbit_s", "TCP A->B Mbit/s"), ("tcp_rev_Mbit_s", "TCP B->A Mbit/s"),
           ("tcp_fwd_cpu_pct", "CPU % (A->B)"), ("tcp_rev_cpu_pct", "CPU % (B->A)"),
           ("peak_rss_a_MiB", "peak RSS A MiB"), ("peak_rss_b_MiB", "peak RSS B MiB")]
def ratio(a, b):
    try:
        return "%.2f" % (float(a) / float(b))
    except (ValueError, ZeroDivisionError):
        return "-"
header = "%-18s" % "metric" + "".join("%12s%12s%8s" % (f"ours-{l}", f"chdlc-{l}", "ours/C") for l in links)
print(header)
print("-" * len(header))
for key, label in metrics:
    row = "%-18s" % label
    for l in links:
        ours, c = med.get((f"ours-{l}", key), "NA"), med.get((f"chdlc-{l}", key), "NA")
        if key.startswith("peak_rss"):
            c = "-"
        row += "%12s%12s%8s" % (ours, c, ratio(ours, c))
    print(row)
PY
