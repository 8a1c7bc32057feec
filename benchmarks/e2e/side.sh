#!/usr/bin/env bash
# side.sh ROLE LINK - one end of our daemon's tunnel, as e2e.sh's plug-in variant runs it.
#   ROLE a: dials (-foreground, `set device $UL_B:$PORT/tcp` or the pty $PTY_A)
#   ROLE b: answers (-direct on the socket socat accepted, or -foreground on the pty $PTY_B)
# e2e.sh exports TUN_A TUN_B UL_B PORT PTY_A PTY_B WORK; run.sh exports OURS_DLL, OURS_DOTNET,
# OURS_MRU, OURS_MTU, OURS_CONF (a file of extra lines for the label), OURS_NAME. Writes
# ppp.conf into $WORK/$OURS_NAME-ROLE/ and samples the
# daemon's peak RSS (VmHWM) into $WORK/rss/$OURS_NAME-ROLE.PID.kB, one file per run, rewritten
# at every new peak (e2e.sh SIGKILLs what does not exit within a second).
set -uo pipefail
role=$1 link=$2
dir=$WORK/$OURS_NAME-$role
mkdir -p "$dir" "$WORK/rss"
case "$role" in
  a) mine=$TUN_A his=$TUN_B ;;
  b) mine=$TUN_B his=$TUN_A ;;
  *) echo "side.sh: role must be a or b" >&2; exit 64 ;;
esac
device=
mode=-foreground
case "$role/$link" in
  a/tcp) device="set device $UL_B:$PORT/tcp" ;;
  b/tcp) mode=-direct ;;
  a/pty) device="set device $PTY_A" ;;
  b/pty) device="set device $PTY_B" ;;
  *) echo "side.sh: link must be tcp or pty" >&2; exit 64 ;;
esac
{
  echo "default:"
  echo " set log Phase Warning Error"
  echo "$role:"
  [ -n "$device" ] && echo " $device"
  echo " set ifaddr $mine $his"
  [ -n "${OURS_MRU:-}" ] && echo " set mru $OURS_MRU"
  [ -n "${OURS_MTU:-}" ] && echo " set mtu $OURS_MTU"
  [ -n "${OURS_CONF:-}" ] && grep -v '^#' "$OURS_CONF" | sed 's/^/ /'
} >"$dir/ppp.conf"

export PPP_CONFDIR=$dir PPP_LOGFILE=$dir/ppp.log
# In -direct mode the link is our stdin/stdout: hand them to the daemon explicitly (a
# background job would otherwise get /dev/null as stdin).
"$OURS_DOTNET" "$OURS_DLL" $mode -unit0 "$role" <&0 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null' TERM INT
hwm=0
while kill -0 $pid 2>/dev/null; do
  v=$(awk '/^VmHWM:/ {print $2}' /proc/$pid/status 2>/dev/null)
  if [ -n "$v" ] && [ "$v" -gt "$hwm" ]; then
    hwm=$v
    echo "$hwm" >"$WORK/rss/$OURS_NAME-$role.$$.kB"
  fi
  sleep 0.5
done
wait $pid
