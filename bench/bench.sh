#!/usr/bin/env bash
# FileSync's fleet benchmark (issue 5): FileSync against the seed's rsync loop and an
# expert's parallel, multiplexed rsync on throwaway sshd computers on this machine.
#
#   bench/bench.sh [FLAGS]     the full benchmark (about 1½ hours on 2 cores); the table goes
#                              to stdout, into docs/benchmarks.md and docs/bench-ratios.png
#   bench/bench.sh -ci         the small CI version (3 computers, small data, 1 run; stdout only)
#   bench/bench.sh -h          every flag (sizes, runs, cases, -keep …)
#
# Installs the Debian packages it needs (with sudo when not root), builds bin/filesync and
# bin/fleetbench, then runs bin/fleetbench. Case d (network namespaces with 100 Mbit/s
# links) needs root; without it, it is skipped and the table says why.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
command -v "$GO" >/dev/null || export PATH="$PATH:/usr/local/go/bin"

ci=false
for arg in "$@"; do
	case "$arg" in -ci | --ci | -ci=true | --ci=true) ci=true ;; esac
done
packages="rsync openssh-server openssh-client parallel iproute2 python3"
$ci || packages="$packages gnuplot-nox"
make --no-print-directory apt PACKAGES="$packages"
[ -n "${FLEETBENCH_SKIP_BUILD:-}" ] || make --no-print-directory build GO="$GO"
"$GO" build -o bin/fleetbench ./bench/fleetbench
[ "$(id -u)" = 0 ] || echo "bench: not root: case d (network namespaces) will be skipped" >&2
if $ci; then
	exec bin/fleetbench "$@"
fi
exec bin/fleetbench -docs docs/benchmarks.md -plot docs/bench-ratios.png "$@"
