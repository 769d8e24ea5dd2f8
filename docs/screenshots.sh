#!/usr/bin/env bash
# Takes the README's screenshots: the real window on a virtual display (Xvfb) over a real
# fleet (bench/fleet.sh: sshd test computers on loopback), syncing, with one computer down;
# the Fleet view before the sync, while each computer lacks files the others hold.
#   docs/screenshots.sh        writes docs/*.png
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory build >/dev/null
work=$(mktemp -d)
export DISPLAY=:98 HOME=$work/home FILESYNC_DB=$work/db/filesync.db LANG=C.UTF-8 XDG_RUNTIME_DIR=$work/run
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
F=$PWD/bin/filesync
Xvfb $DISPLAY -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
eval "$(ssh-agent -s)" >/dev/null
cleanup() {
	[ -n "${app:-}" ] && kill "$app" 2>/dev/null
	bench/fleet.sh stop "$work/fleet"
	ssh-agent -k >/dev/null 2>&1
	kill $xvfb 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

bench/fleet.sh start 3 "$work/fleet" | sed "s|^filesync|$F|" >"$work/add.sh"
ssh-add -q "$work/fleet/client_key"
$F computer add workstation --local --root "$HOME/mlcomp" >/dev/null
bash "$work/add.sh" >/dev/null
$F project add mnist --ignore "[ data/cache, *.tmp ]" >/dev/null 2>&1
$F project add llama --sync "[ data, models/checkpoints ]" >/dev/null
mkdir -p "$HOME/mlcomp/data/mnist/train" "$work/fleet/roots/c1/models/mnist" "$work/fleet/roots/c2/data/llama"
for i in $(seq 1 300); do head -c 20000 /dev/urandom >"$HOME/mlcomp/data/mnist/train/img$i.bin"; done
head -c 300M /dev/urandom >"$work/fleet/roots/c1/models/mnist/epoch10.pt"
head -c 200M /dev/urandom >"$work/fleet/roots/c2/data/llama/shard0.bin"
# Each computer lacks something the others hold, for the Fleet view.
mkdir -p "$HOME/mlcomp/data/llama" "$work/fleet/roots/c1/models/llama/checkpoints"
head -c 3M /dev/urandom >"$HOME/mlcomp/data/llama/tokenizer.json"
for i in 1 2 3; do head -c 15M /dev/urandom >"$work/fleet/roots/c1/models/llama/checkpoints/step${i}000.pt"; done
# Two computers changed the same file: the Sync all records a conflict (History's run details).
mkdir -p "$work/fleet/roots/c1/data/llama"
echo "lr: 0.001" >"$HOME/mlcomp/data/llama/config.yaml"; touch -d '2 hours ago' "$HOME/mlcomp/data/llama/config.yaml"
echo "lr: 0.0003" >"$work/fleet/roots/c1/data/llama/config.yaml"; touch -d '1 hour ago' "$work/fleet/roots/c1/data/llama/config.yaml"
$F computer edit c1 --bwlimit 20000 >/dev/null
$F computer edit c2 --bwlimit 20000 >/dev/null
kill "$(cat "$work/fleet/c3/sshd.pid")"   # one computer is down
$F sync --project mnist >/dev/null 2>&1 || true

click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-1}"; }
shot() { import -window root "docs/$1.png"; }
$F >"$work/app.log" 2>&1 &
app=$!
xdotool search --sync --onlyvisible --name '^FileSync$' >/dev/null
sleep 1
click 163 21 4         # Fleet: lists every computer at once
click 400 332 1.5      # workstation × llama
shot fleet
click 60 21 1          # Computers
click 193 61 6         # Sync all
shot computers
click 350 21 1.5       # Activity
shot activity
while $F history --json --limit 1 | grep -q '"Status": "running"'; do sleep 2; done
sleep 3
click 448 21 1.5       # History
shot history
click 400 100 2        # the last run's details: its conflict
shot history-run
click 254 173 3        # Versions kept by this run: the conflict's losing copy, with Restore
shot versions
click 639 661 1        # Close the versions
click 639 661 1        # Close
click 252 21 1         # Projects
click 100 101 1.5      # the first project
shot projects
click 60 21 1          # Computers, after the run
shot computers-after
