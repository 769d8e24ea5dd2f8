#!/usr/bin/env bash
# Throwaway test computers on this machine: sshd instances on loopback addresses, each with
# its own host key, port and root folder, accepting one generated key. For trying FileSync
# (the README's walkthrough) and for benchmarks. Only 127.0.0.0/8 addresses are used.
#
#   bench/fleet.sh start N DIR   start N computers under DIR; prints the "computer add" lines
#   bench/fleet.sh stop DIR      stop them
#
# start and stop run bench/testfleet (with go run), the e2e tests' fixture sync/testfleet.
#
# Bandwidth-limited computers (root only; bench/bench.sh uses them for its push case):
#
#   bench/fleet.sh netns-start N DIR   N computers n1..nN, each in its own network namespace
#                                      behind a 100 Mbit/s link (tc tbf, both directions),
#                                      on 198.18.0.0/24 (the benchmarking range) via a bridge
#   bench/fleet.sh netns-stop [DIR]    stop them and delete the namespaces, links and bridge
#                                      (also what a crashed run left behind)
#
# Both write DIR/fleet.tsv: one line per computer, "name host port root netns" (netns "-"
# for a loopback computer). FLEET_NET sets the loopback /24 (default 127.0.0; computers
# get .11, .12, …); FLEET_RATE the namespace link rate (default 100mbit); GO the go command.
set -euo pipefail

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

FLEET_NET=${FLEET_NET:-127.0.0}
FLEET_RATE=${FLEET_RATE:-100mbit}
NS_PREFIX=fsb-n   # namespaces fsb-n1…; host-side veths fsb-v1…, inside fsb-p1…
BRIDGE=fsb-br0
NS_NET=198.18.0   # 198.18.0.0/15 is reserved for benchmarking (RFC 2544); never any other

# sshd_config NAME HOST PORT DIR: a namespace computer's config: key logins only, with this
# fleet's authorized keys (a loopback computer's is sync/testfleet's).
sshd_config() {
	local name=$1 host=$2 port=$3 dir=$4
	cat <<CONFIG
Port $port
ListenAddress $host
HostKey $dir/$name/host_key
PidFile $dir/$name/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
AllowAgentForwarding yes
StrictModes no
MaxStartups 200:30:400
MaxSessions 100
SetEnv SHLVL=1
CONFIG
}

# prepare DIR NAME: the fleet's client key, the computer's folders and host key.
prepare() {
	local dir=$1 name=$2
	mkdir -p "$dir/roots" "$dir/$name" "$dir/roots/$name"
	[ -f "$dir/client_key" ] || ssh-keygen -q -t ed25519 -N '' -C filesync-test -f "$dir/client_key"
	cp "$dir/client_key.pub" "$dir/authorized_keys"
	[ -f "$dir/$name/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/$name/host_key"
	[ "$(id -u)" != 0 ] || mkdir -p /run/sshd
}

# testfleet ARGS…: bench/testfleet, built from this checkout.
testfleet() {
	local go=${GO:-go}
	command -v "$go" >/dev/null || PATH="$PATH:/usr/local/go/bin"
	"$go" -C "$(dirname "$0")/.." run ./bench/testfleet "$@"
}

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "fleet.sh $1: network namespaces, veth links and tc need root (run as root or with sudo)" >&2
		exit 3
	fi
}

# netns-start N DIR: a bridge with 198.18.0.1 here, and per computer a namespace joined to
# it by a veth pair shaped by tbf on both ends, with an sshd inside on port 22.
netns_start() {
	local n=$1 dir
	dir=$(realpath -m "$2")
	need_root netns-start
	if ip link show "$BRIDGE" >/dev/null 2>&1; then
		echo "fleet.sh netns-start: $BRIDGE exists: another run is using the namespaces, or one crashed (then run: bench/fleet.sh netns-stop)" >&2
		exit 4
	fi
	mkdir -p "$dir"
	: > "$dir/fleet.tsv"
	ip link add "$BRIDGE" type bridge
	ip addr add "$NS_NET.1/24" dev "$BRIDGE"
	ip link set "$BRIDGE" up
	for i in $(seq 1 "$n"); do
		local name="n$i" ns="$NS_PREFIX$i" host="$NS_NET.$((10 + i))" port=22
		prepare "$dir" "$name"
		ip netns add "$ns"
		ip link add "fsb-v$i" type veth peer name "fsb-p$i"
		ip link set "fsb-p$i" netns "$ns"
		ip link set "fsb-v$i" master "$BRIDGE"
		ip link set "fsb-v$i" up
		ip -n "$ns" link set lo up
		ip -n "$ns" addr add "$host/24" dev "fsb-p$i"
		ip -n "$ns" link set "fsb-p$i" up
		# this computer's downlink (host side of the pair) and uplink (its own side)
		tc qdisc add dev "fsb-v$i" root tbf rate "$FLEET_RATE" burst 32kbit latency 50ms
		ip netns exec "$ns" tc qdisc add dev "fsb-p$i" root tbf rate "$FLEET_RATE" burst 32kbit latency 50ms
		sshd_config "$name" "$host" "$port" "$dir" > "$dir/$name/sshd_config"
		/usr/sbin/sshd -t -f "$dir/$name/sshd_config"
		ip netns exec "$ns" /usr/sbin/sshd -D -f "$dir/$name/sshd_config" -E "$dir/$name/sshd.log" \
			</dev/null >/dev/null 2>&1 &
		echo $! > "$dir/$name/sshd.pid"
		printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$host" "$port" "$dir/roots/$name" "$ns" >> "$dir/fleet.tsv"
	done
	for i in $(seq 1 "$n"); do wait_port "$NS_PREFIX$i" "$NS_NET.$((10 + i))" 22; done
	for i in $(seq 1 "$n"); do
		echo "filesync computer add n$i --host $NS_NET.$((10 + i)) --port 22 --user $(id -un) --root $dir/roots/n$i --identity $dir/client_key --trust"
	done
}

# wait_port NS HOST PORT: until sshd in NS answers (reached from here, across the bridge).
wait_port() {
	local tries
	for tries in $(seq 1 100); do
		if python3 - "$2" "$3" <<'PY' 2>/dev/null; then return 0; fi
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1)
assert s.recv(4).startswith(b"SSH-")
PY
		sleep 0.1
	done
	echo "fleet.sh: sshd in $1 ($2:$3) does not answer" >&2
	return 1
}

# netns-stop [DIR]: the sshd instances this script started (by PID), whatever else still
# runs inside the fleet's namespaces (their sessions), then the namespaces, links, bridge.
netns_stop() {
	need_root netns-stop
	local pidfile ns pid
	if [ -n "${1:-}" ]; then
		for pidfile in "$1"/n*/sshd.pid; do
			[ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
		done
	fi
	for ns in $(ip netns list | awk '{print $1}' | grep "^$NS_PREFIX[0-9]*$" || true); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
		ip netns del "$ns" 2>/dev/null || true
	done
	for link in $(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E "^fsb-v[0-9]+$" || true); do
		ip link del "$link" 2>/dev/null || true
	done
	ip link del "$BRIDGE" 2>/dev/null || true
}

case "${1:-}" in
	start) [ $# -eq 3 ] || usage; testfleet -net "$FLEET_NET" start "$2" "$(realpath -m "$3")" ;;
	stop) [ $# -eq 2 ] || usage; testfleet stop "$(realpath -m "$2")" ;;
	netns-start) [ $# -eq 3 ] || usage; netns_start "$2" "$3" ;;
	netns-stop) [ $# -le 2 ] || usage; netns_stop "${2:-}" ;;
	*) usage ;;
esac
