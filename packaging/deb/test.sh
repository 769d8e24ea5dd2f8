#!/usr/bin/env bash
# Checks the FileSync .deb, then installs, runs and purges it:
#
#   packaging/deb/test.sh dist/filesync_VERSION_ARCH.deb VERSION
#
# 1. lintian reports no errors (warnings are printed, not fatal), the AppStream
#    metadata and the desktop entry validate;
# 2. apt-get installs it with its dependencies, and /usr/bin/filesync prints
#    "filesync version VERSION+…" and lists computers of an empty database;
# 3. apt-get purges it and none of the files dpkg listed is left under /usr.
# It changes the system (installs filesync), so it refuses to run while filesync is
# installed from anywhere else. Needs root or sudo.
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 PACKAGE.deb VERSION" >&2
	exit 2
fi
deb=$(realpath "$1") version=$2
sudo=$([ "$(id -u)" = 0 ] || echo sudo)
# Wait for another apt or dpkg run to finish instead of failing on its lock.
apt_get() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -qq "$@"; }
step() { printf '\n== %s\n' "$*"; }
# known: dpkg still has filesync (installed, or removed with its config files left).
known() {
	local status
	status=$(dpkg-query -W -f='${Status}' filesync 2>/dev/null) || return 1
	case $status in "" | *not-installed) return 1 ;; esac
}

if known; then
	echo "filesync is already installed; remove it first (apt-get remove --purge filesync)" >&2
	exit 1
fi

step "lintian $(basename "$deb")"
# --fail-on error: warnings and info are shown but do not fail the test.
lintian --fail-on error --tag-display-limit 0 "$deb"
echo "lintian: no errors"

step "appstreamcli validate, desktop-file-validate"
tmp=$(mktemp -d)
installed=
# On a failure after the install, purge the package so the next run starts clean.
cleanup() {
	if [ -n "$installed" ]; then
		echo "test failed: purging filesync" >&2
		apt_get remove --purge filesync >/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
dpkg-deb -x "$deb" "$tmp/root"
appstreamcli validate --no-net "$tmp/root/usr/share/metainfo/io.github.filesync.metainfo.xml"
desktop-file-validate "$tmp/root/usr/share/applications/io.github.filesync.desktop"
echo "desktop entry: valid"

step "apt-get install $(basename "$deb")"
apt_get update
installed=yes
apt_get install "$deb"
dpkg-query -W -f='${Package} ${Version} ${Status}\nDepends: ${Depends}\n' filesync
dpkg -L filesync >"$tmp/files"
echo "$(wc -l <"$tmp/files") paths installed"

step "/usr/bin/filesync --version"
out=$(/usr/bin/filesync --version)
echo "$out"
case $out in
"filesync version $version" | "filesync version $version+"*) ;;
*)
	echo "expected \"filesync version ${version}[+commit]\"" >&2
	exit 1
	;;
esac

step "/usr/bin/filesync computer list (empty database)"
FILESYNC_DB="$tmp/t.db" /usr/bin/filesync computer list
if page=$(man -w filesync 2>/dev/null); then echo "man filesync: $page"; fi

step "apt-get remove --purge filesync"
apt_get remove --purge filesync
installed=
if known; then
	echo "filesync is still known to dpkg after the purge: $(dpkg-query -W -f='${Status}' filesync)" >&2
	exit 1
fi
# Every file must be gone. A directory may stay only when another package owns it
# (/usr/share/icons/hicolor/…) or it still holds other files; an empty directory
# that no package owns would be a leftover of ours.
left=0
while IFS= read -r path; do
	case $path in /usr/*) ;; *) continue ;; esac
	if [ -d "$path" ] && ! [ -L "$path" ]; then
		if [ -z "$(ls -A "$path")" ] && ! dpkg -S "$path" >/dev/null 2>&1; then
			echo "left behind: empty directory $path" >&2
			left=1
		fi
	elif [ -e "$path" ] || [ -L "$path" ]; then
		echo "left behind: $path" >&2
		left=1
	fi
done <"$tmp/files"
[ "$left" = 0 ]
echo "removed: none of the $(grep -c '^/usr/' "$tmp/files") paths under /usr is left"
