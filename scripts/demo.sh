#!/usr/bin/env bash
# The main job against the built-in default peer: two `ppp` daemons in two network namespaces,
# joined by a veth, run PPP over TCP exactly as conf/ppp.conf's tcp-client and tcp-server
# labels describe (the server started per connection by socat, as inetd would). The client
# runs -background, so it returns once IPCP is up; then pings cross the link both ways, `show`
# output is printed, and SIGTERM closes the link (Terminate-Request) and removes the tun.
#   scripts/demo.sh [PPP]        PPP: the ppp to run (default: ppp on PATH)
# Needs root, iproute2 (ip netns), socat and ping. Everything stays inside the two
# namespaces it makes (udemo-a, udemo-b) and is removed on exit.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ppp=$(command -v "${1:-ppp}") || { echo "demo.sh: ppp not found (install first)" >&2; exit 1; }
work=
say() { printf '==> %s\n' "$*"; }

cleanup() {
  set +e
  ip netns pids udemo-a 2>/dev/null | xargs -r kill -TERM 2>/dev/null
  ip netns pids udemo-b 2>/dev/null | xargs -r kill -TERM 2>/dev/null
  sleep 1
  ip netns pids udemo-a 2>/dev/null | xargs -r kill -KILL 2>/dev/null
  ip netns pids udemo-b 2>/dev/null | xargs -r kill -KILL 2>/dev/null
  ip netns del udemo-a 2>/dev/null
  ip netns del udemo-b 2>/dev/null
  [ -z "$work" ] || rm -rf "$work"
  rm -rf /etc/netns/udemo-a /etc/netns/udemo-b
}
trap cleanup EXIT
cleanup 2>/dev/null || true
work=$(mktemp -d /tmp/userppp-demo.XXXXXX)

# The samples exactly as shipped (ppp.secret already holds the tcp-client's key).
cp "$root"/conf/ppp.conf "$root"/conf/ppp.secret "$work"/

say "namespaces udemo-a (10.0.0.2, client) and udemo-b (10.0.0.1, server) joined by a veth"
for ns in udemo-a udemo-b; do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  mkdir -p "/etc/netns/$ns" && printf 'nameserver 127.0.0.53\n' > "/etc/netns/$ns/resolv.conf"
done
ip link add va netns udemo-a type veth peer name vb netns udemo-b
ip -n udemo-a addr add 10.0.0.2/24 dev va && ip -n udemo-a link set va up
ip -n udemo-b addr add 10.0.0.1/24 dev vb && ip -n udemo-b link set vb up

cat > "$work/server.sh" <<EOS
#!/bin/sh
PPP_CONFDIR=$work PPP_LOGFILE=$work/server.log exec $ppp -direct tcp-server
EOS
chmod +x "$work/server.sh"
say "server: socat TCP-LISTEN:3000 EXEC:'ppp -direct tcp-server' in udemo-b"
ip netns exec udemo-b socat TCP-LISTEN:3000,reuseaddr,fork EXEC:"$work/server.sh" 2>"$work/socat.log" &
sleep 0.5

say "client: ppp -background tcp-client in udemo-a (returns once the link is up)"
PPP_CONFDIR=$work PPP_LOGFILE=$work/client.log ip netns exec udemo-a "$ppp" -background -unit0 tcp-client

say "the client's log"
sed 's/^.*ppp\[[0-9]*\]: /  /' "$work/client.log"
say "udemo-a: ip addr show ppp0; ip route"
ip -n udemo-a addr show ppp0 | sed 's/^/  /'
ip -n udemo-a route | sed 's/^/  /'
say "ping across the link, both ways (IPv4)"
ip netns exec udemo-a ping -c 3 -i 0.2 10.0.1.1 | sed 's/^/  /'
ip netns exec udemo-b ping -c 3 -i 0.2 10.0.1.2 | sed 's/^/  /'
peer6=$(ip -n udemo-b -6 addr show ppp0 scope link | awk '/inet6/ {sub("/.*", "", $2); print $2; exit}')
if [ -n "$peer6" ]; then
  say "ping across the link (IPv6 link-local $peer6)"
  ip netns exec udemo-a ping -6 -c 3 -i 0.2 "$peer6%ppp0" | sed 's/^/  /'
fi

say "SIGTERM to the client: Terminate-Request, then everything it set up is removed"
pid=$(ip netns pids udemo-a | head -1)
kill -TERM "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
tail -n 4 "$work/client.log" | sed 's/^.*ppp\[[0-9]*\]: /  /'
if ip -n udemo-a link show ppp0 >/dev/null 2>&1; then
  echo "demo.sh: ppp0 is still there after the daemon exited" >&2
  exit 1
fi
say "done: ppp0 is gone from udemo-a"
