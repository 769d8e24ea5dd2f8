#!/usr/bin/env bash
# The `filesync status` benchmark (issue 13): status against its floor (one bare
# rsync --list-only per computer, all at once, the very commands status runs), peak RSS,
# the agreed state's bytes per file (listing.Encode, and the database after a Sync all),
# and the wall time with 2, 4, 8 and 16 computers.
#
#   bench/status.sh [FLAGS]      the full benchmark: 16 sshd computers on 127.0.7.x, each
#                                with 2 projects × (20,000 files of 2-6 KB + 4 sparse
#                                files of 50 MiB), 5 runs per measurement (about 10-15 min
#                                on 2 cores); markdown tables on stdout, progress on stderr
#   bench/status.sh -plot docs/status-scaling.png   also draws the scaling plot (gnuplot)
#   bench/status.sh -h           every flag (-computers 2,4,8,16, -files, -runs, -keep …)
#   bench/status.sh -action sync -files 3000 -runs 3 -shell-start 0,500ms -plot docs/sync-scaling.png
#                                Sync all planned from the listings (issue 14) instead: a
#                                no-op and a 1 % change against the same floor, the ssh
#                                sessions each opens, bytes sent per byte changed
#
# Installs what it needs (rsync, openssh, GNU time for the peak RSS), builds bin/filesync
# (go build -o bin/filesync .) and bin/statusbench, then runs bin/statusbench
# (bench/statusbench/main.go says what each measurement is). It needs about 3 GB under
# /tmp for the 16 computers' copies, removed at the end with the fleet.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
command -v "$GO" >/dev/null || export PATH="$PATH:/usr/local/go/bin"

make --no-print-directory apt PACKAGES="rsync openssh-server openssh-client time gnuplot-nox"
"$GO" build -o bin/filesync .
"$GO" build -o bin/statusbench ./bench/statusbench
exec bin/statusbench "$@"
