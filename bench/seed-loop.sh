#!/usr/bin/env bash
# The seed's way of syncing (contender 1 of bench/fleetbench): one rsync per folder per
# computer pair, one after the other, each with a new ssh connection, as mlcomp's FileSync
# ran them:  rsync -vhru -e "ssh -p PORT -o StrictHostKeyChecking=no" SRC/ DST/ --perms --chmod=777
#
#   bench/seed-loop.sh pull-all FLEET KEY FOLDER…   every computer pulls every folder from
#                                                  every other (the seed's Sync all)
#   bench/seed-loop.sh push FLEET KEY FROM FOLDER…  FROM uploads every folder to each other
#                                                  computer in turn (the seed's push after a task)
#
# FLEET is a fleet.tsv of bench/fleet.sh ("name host port root netns"). Every loopback
# computer shares this machine's disk, so a pull "on" computer X runs here with X's root as
# the local destination; a computer in a network namespace runs its commands in it. The ssh
# options beyond the seed's are what a throwaway fleet needs: the key, no known_hosts file,
# no "Permanently added" noise. CMDLOG, when set, receives every command line before it runs.
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 4 ] || usage
mode=$1 fleet=$2 key=$3
shift 3
[ "$mode" != push ] || { from=$1; shift; }
folders=("$@")
user=$(id -un)

names=() hosts=() ports=() roots=() nss=()
while IFS=$'\t' read -r name host port root ns; do
	names+=("$name") hosts+=("$host") ports+=("$port") roots+=("$root") nss+=("$ns")
done < "$fleet"

# cmd I J FOLDER: the command run on computer I that copies FOLDER between I and J.
cmd() {
	local i=$1 j=$2 folder=$3 prefix="" e src dst
	[ "${nss[$i]}" = - ] || prefix="ip netns exec ${nss[$i]} "
	e="ssh -p ${ports[$j]} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i $key"
	if [ "$mode" = pull-all ]; then
		src="$user@${hosts[$j]}:${roots[$j]}/$folder/" dst="${roots[$i]}/$folder/"
	else
		src="${roots[$i]}/$folder/" dst="$user@${hosts[$j]}:${roots[$j]}/$folder/"
	fi
	printf '%srsync -vhru -e "%s" %q %q --perms --chmod=777\n' "$prefix" "$e" "$src" "$dst"
}

commands() {
	local i j folder
	for i in "${!names[@]}"; do
		if [ "$mode" = push ]; then
			[ "${names[$i]}" = "$from" ] || continue
		fi
		for j in "${!names[@]}"; do
			[ "$i" != "$j" ] || continue
			for folder in "${folders[@]}"; do cmd "$i" "$j" "$folder"; done
		done
	done
}

case "$mode" in pull-all | push) ;; *) usage ;; esac
out=$(mktemp)
trap 'rm -f "$out"' EXIT
while IFS= read -r line; do
	[ -z "${CMDLOG:-}" ] || printf '%s\n' "$line" >> "$CMDLOG"
	# the seed kept only the command line; rsync's output is shown only when it fails
	if ! bash -c "$line" > "$out" 2>&1; then
		echo "seed-loop: failed: $line" >&2
		tail -n 20 "$out" >&2
		exit 1
	fi
done < <(commands)
