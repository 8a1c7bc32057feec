#!/usr/bin/env bash
# Regenerates the captures in this folder: for each scenario, one pppd-vm VM as the server and
# one as the client, their ptys joined by socat, which records each direction's raw line bytes.
#   capture.sh [SCENARIO...]     (default: all; needs root and ../shared or PPP_SHARED)
# Writes SCENARIO.s2c.bin (server to client), SCENARIO.c2s.bin, SCENARIO.server.log and
# SCENARIO.client.log (pppd's debug logs), and SCENARIO.cmd (the exact commands).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(git -C "$here" rev-parse --show-toplevel)
vm=${PPP_SHARED:-$top/../shared}/peers/pppd-vm
secret='alice srv s3cret *'
addrs=192.168.77.1:192.168.77.2

# scenario -> server options | client options
declare -A server client
server[noauth]="debug noauth $addrs";                 client[noauth]="debug noauth"
server[chap-md5]="debug require-chap name srv $addrs"; client[chap-md5]="debug noauth user alice remotename srv"
server[mschapv2]="debug require-mschap-v2 name srv $addrs"; client[mschapv2]="debug noauth user alice remotename srv"
server[pap]="debug require-pap name srv $addrs";      client[pap]="debug noauth user alice remotename srv"

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(noauth chap-md5 mschapv2 pap)

for s in "${scenarios[@]}"; do
  [ -n "${server[$s]:-}" ] || { echo "unknown scenario $s" >&2; exit 64; }
  srv=cap$$s; cli=cap$$c
  read -r -a sopts <<<"${server[$s]}"
  read -r -a copts <<<"${client[$s]}"
  echo "== $s" >&2
  sdev=$("$vm" start --name "$srv" --lifetime 300 --secret "$secret" -- "${sopts[@]}")
  cdev=$("$vm" start --name "$cli" --lifetime 300 --secret "$secret" -- "${copts[@]}")
  rm -f "$here/$s.s2c.bin" "$here/$s.c2s.bin"
  socat -r "$here/$s.s2c.bin" -R "$here/$s.c2s.bin" "$sdev,raw,echo=0" "$cdev,raw,echo=0" &
  sp=$!
  ok=1
  "$vm" wait-log --name "$srv" --timeout 60 '^PPPVM: ip-up done' >/dev/null || ok=0
  "$vm" wait-log --name "$cli" --timeout 30 '^PPPVM: ip-up done' >/dev/null || ok=0
  # The server hangs up, so the captures end with a Terminate-Request and -Ack.
  "$vm" exec --name "$srv" -- 'killall pppd' >/dev/null || true
  "$vm" wait-log --name "$cli" --timeout 15 '^PPPVM: pppd exited' >/dev/null || true
  sleep 1
  kill "$sp" 2>/dev/null || true
  wait "$sp" 2>/dev/null || true
  "$vm" log --name "$srv" >"$here/$s.server.log"
  "$vm" log --name "$cli" >"$here/$s.client.log"
  "$vm" stop --name "$srv"; "$vm" stop --name "$cli"
  {
    echo "pppd-vm start --name server --secret '$secret' -- ${server[$s]}"
    echo "pppd-vm start --name client --secret '$secret' -- ${client[$s]}"
    echo "socat -r $s.s2c.bin -R $s.c2s.bin SERVER_PTY,raw,echo=0 CLIENT_PTY,raw,echo=0"
  } >"$here/$s.cmd"
  [ $ok = 1 ] || { echo "$s: the link did not come up; see $s.*.log" >&2; exit 1; }
  echo "$s: $(stat -c %s "$here/$s.s2c.bin") + $(stat -c %s "$here/$s.c2s.bin") bytes" >&2
done
