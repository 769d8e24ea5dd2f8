#!/usr/bin/env bash
# Throwaway test computers on this machine: sshd instances on loopback addresses, each with
# its own host key, port and root folder, accepting one generated key. For trying FileSync
# (the README's walkthrough) and for benchmarks. Only 127.0.0.0/8 addresses are used.
#
#   bench/fleet.sh start N DIR   start N computers under DIR; prints the "computer add" lines
#   bench/fleet.sh stop DIR      stop them
set -euo pipefail

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

free_port() {
	python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$1"
}

start() {
	local n=$1 dir
	dir=$(realpath -m "$2")
	mkdir -p "$dir/roots"
	[ -f "$dir/client_key" ] || ssh-keygen -q -t ed25519 -N '' -C filesync-test -f "$dir/client_key"
	cp "$dir/client_key.pub" "$dir/authorized_keys"
	[ "$(id -u)" != 0 ] || mkdir -p /run/sshd
	for i in $(seq 1 "$n"); do
		local name="c$i" host="127.0.0.$((10 + i))" port
		port=$(free_port "$host")
		mkdir -p "$dir/$name" "$dir/roots/$name"
		[ -f "$dir/$name/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/$name/host_key"
		cat > "$dir/$name/sshd_config" <<CONFIG
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
		/usr/sbin/sshd -t -f "$dir/$name/sshd_config"
		/usr/sbin/sshd -f "$dir/$name/sshd_config" -E "$dir/$name/sshd.log"
		echo "filesync computer add $name --host $host --port $port --user $(id -un) --root $dir/roots/$name --identity $dir/client_key --trust"
	done
}

stop() {
	local dir=$1 pidfile
	for pidfile in "$dir"/c*/sshd.pid; do
		[ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
	done
}

case "${1:-}" in
	start) [ $# -eq 3 ] || usage; start "$2" "$3" ;;
	stop) [ $# -eq 2 ] || usage; stop "$2" ;;
	*) usage ;;
esac
