#!/usr/bin/env bash
# An expert's way of syncing (contender 2 of bench/fleetbench): the seed's computer pairs,
# run in parallel by GNU parallel, over multiplexed ssh connections (one ControlMaster per
# pair of computers, opened first, in parallel) and with rsync -au (times kept, newer wins),
# leaving out the temporary files of the pulls running at the same time.
#
#   bench/expert.sh pull-all FLEET KEY FOLDER…   every computer pulls every folder from every
#                                               other, all pairs at once
#   bench/expert.sh push FLEET KEY FROM FOLDER…  FROM uploads every folder to all the others
#                                               at once (a parallel star)
#
# FLEET is a fleet.tsv of bench/fleet.sh ("name host port root netns"); as in
# bench/seed-loop.sh, a loopback computer's commands run here with its root as the local
# end, a namespace computer's run in its namespace. Each computer has its own folder of
# ControlMaster sockets under EXPERT_CONTROL_DIR (keep it short: socket paths are limited
# to about 104 characters). EXPERT_JOBS is how many commands run at once (default: all
# computers, or every target of a push). CMDLOG, when set, receives the command lines.
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 4 ] || usage
mode=$1 fleet=$2 key=$3
shift 3
[ "$mode" != push ] || { from=$1; shift; }
folders=("$@")
user=$(id -un)
: "${EXPERT_CONTROL_DIR:?EXPERT_CONTROL_DIR must name a folder for the ControlMaster sockets}"
case "$mode" in pull-all | push) ;; *) usage ;; esac

names=() hosts=() ports=() roots=() nss=()
while IFS=$'\t' read -r name host port root ns; do
	names+=("$name") hosts+=("$host") ports+=("$port") roots+=("$root") nss+=("$ns")
done < "$fleet"

# pairs: "I J" for every computer I that runs commands copying between it and J.
pairs() {
	local i j
	for i in "${!names[@]}"; do
		if [ "$mode" = push ]; then
			[ "${names[$i]}" = "$from" ] || continue
		fi
		for j in "${!names[@]}"; do
			[ "$i" = "$j" ] || echo "$i $j"
		done
	done
}

prefix() { [ "${nss[$1]}" = - ] || printf 'ip netns exec %s ' "${nss[$1]}"; }

ssh_opts() {
	local i=$1 j=$2
	mkdir -p "$EXPERT_CONTROL_DIR/${names[$i]}"
	printf 'ssh -p %s -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i %s -o ControlMaster=auto -o ControlPath=%s -o ControlPersist=60' \
		"${ports[$j]}" "$key" "$EXPERT_CONTROL_DIR/${names[$i]}/%C"
}

# Pulls running at once see each other's temporary files (rsync writes .NAME.XXXXXX beside
# the file it receives): they are left out, and one that vanishes while listed (rsync's
# exit code 24) counts as success, as FileSync counts it — the data arrives from its source.
tmpnames='.*.??????'
warmups=$(mktemp) jobs=$(mktemp)
trap 'rm -f "$warmups" "$jobs"' EXIT
njobs=0
while read -r i j; do
	printf '%s%s %s@%s true\n' "$(prefix "$i")" "$(ssh_opts "$i" "$j")" "$user" "${hosts[$j]}" >> "$warmups"
	for folder in "${folders[@]}"; do
		if [ "$mode" = pull-all ]; then
			src="$user@${hosts[$j]}:${roots[$j]}/$folder/" dst="${roots[$i]}/$folder/"
		else
			src="${roots[$i]}/$folder/" dst="$user@${hosts[$j]}:${roots[$j]}/$folder/"
		fi
		printf '%srsync -au --exclude=\047%s\047 -e "%s" %q %q || [ $? = 24 ]\n' "$(prefix "$i")" "$tmpnames" "$(ssh_opts "$i" "$j")" "$src" "$dst" >> "$jobs"
	done
	njobs=$((njobs + 1))
done < <(pairs)

if [ "$mode" = push ]; then default_jobs=$njobs; else default_jobs=${#names[@]}; fi
parallel_jobs=${EXPERT_JOBS:-$default_jobs}
if [ -n "${CMDLOG:-}" ]; then
	echo "parallel --will-cite -j $parallel_jobs --halt now,fail=1 (ssh connections, then rsyncs):" >> "$CMDLOG"
	cat "$warmups" "$jobs" >> "$CMDLOG"
fi
parallel --will-cite -j "$parallel_jobs" --halt now,fail=1 < "$warmups"
parallel --will-cite -j "$parallel_jobs" --halt now,fail=1 < "$jobs"
