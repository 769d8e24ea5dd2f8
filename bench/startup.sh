#!/usr/bin/env bash
# Start-up time of the FileSync window: from launching the binary to its window being
# mapped on a virtual display, over several runs (Xvfb, xdotool, a fresh database).
#   bench/startup.sh [RUNS]      (builds bin/filesync first)
set -euo pipefail
runs=${1:-5}
cd "$(dirname "$0")/.."
make --no-print-directory build >/dev/null
work=$(mktemp -d)
display=:97
Xvfb $display -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
times=()
for i in $(seq 1 "$runs"); do
	start=$(date +%s%N)
	DISPLAY=$display HOME="$work/home" FILESYNC_DB="$work/db/filesync.db" LANG=C.UTF-8 ./bin/filesync >"$work/app.log" 2>&1 &
	app=$!
	DISPLAY=$display xdotool search --sync --onlyvisible --name '^FileSync$' >/dev/null
	end=$(date +%s%N)
	kill $app; wait $app 2>/dev/null || true
	times+=($(( (end - start) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "start-up to mapped window, ms (runs: ${times[*]}): min $(echo "$sorted" | head -1), median $(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p"), max $(echo "$sorted" | tail -1)"
