#!/usr/bin/env bash
# Builds the FileSync .deb from a staging tree, without debhelper:
#
#   packaging/deb/build.sh BINARY MANDIR VERSION COMMIT OUT.deb
#
# BINARY is the stripped filesync executable, MANDIR holds the filesync*.1 pages from
# packaging/man, VERSION is the Debian version (FyneApp.toml's Version) and COMMIT the
# git commit it was built from (only named in the changelog). Run from the repository
# root; the tree is staged in build/deb/root. File times, the changelog date, the
# metainfo release date and the man pages' dates all come from SOURCE_DATE_EPOCH
# (the Makefile sets it to the commit's time), so the same commit gives the same .deb.
# DEB_MAINTAINER overrides the Maintainer field ("Name <address>").
set -euo pipefail

if [ $# -ne 5 ]; then
	echo "usage: $0 BINARY MANDIR VERSION COMMIT OUT.deb" >&2
	exit 2
fi
binary=$1 mandir=$2 version=$3 commit=$4 out=$5
: "${SOURCE_DATE_EPOCH:=$(date +%s)}"
export SOURCE_DATE_EPOCH
maintainer=${DEB_MAINTAINER:-FileSync developers <dev@filesync.invalid>}
here=packaging/deb
linux=packaging/linux
root=build/deb/root
umask 022

rm -rf "$root"
mkdir -p "$root/DEBIAN"

# The program, its desktop entry and AppStream metadata. The desktop file is named
# after the application ID (io.github.filesync, as in FyneApp.toml) so that AppStream's
# launchable and the desktop's notifications match it.
install -Dm755 "$binary" "$root/usr/bin/filesync"
install -Dm644 "$linux/filesync.desktop" "$root/usr/share/applications/io.github.filesync.desktop"
mkdir -p "$root/usr/share/metainfo"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)/" \
	"$linux/io.github.filesync.metainfo.xml.in" >"$root/usr/share/metainfo/io.github.filesync.metainfo.xml"

# The icon at the hicolor theme's usual sizes. -strip and the excluded chunks keep
# ImageMagick from writing the current time into the files.
for size in 16 32 48 64 128 256 512; do
	dir="$root/usr/share/icons/hicolor/${size}x${size}/apps"
	mkdir -p "$dir"
	convert Icon.png -resize "${size}x${size}" -strip -define png:exclude-chunks=date,time "$dir/filesync.png"
done

# Manual pages, compressed the way Debian policy asks (-n: no name or time stored).
mkdir -p "$root/usr/share/man/man1"
for page in "$mandir"/*.1; do
	name=$(basename "$page")
	gzip -9n <"$page" >"$root/usr/share/man/man1/$name.gz"
done

# Documentation. The version has no Debian revision (0.1.0, not 0.1.0-1), which makes
# this a native package, and lintian warns that a native package's changelog is
# usually named changelog.gz (wrong-name-for-changelog-of-native-package); the name
# changelog.Debian.gz is kept on purpose. No lintian overrides: lintian reports no
# errors. Should one be needed, install it as usr/share/lintian/overrides/filesync,
# with a comment saying why.
doc="$root/usr/share/doc/filesync"
install -Dm644 "$here/copyright" "$doc/copyright"
sed -e "s/@VERSION@/$version/g" -e "s/@COMMIT@/${commit:-unknown}/" -e "s/@MAINTAINER@/$maintainer/" \
	-e "s/@DATE@/$(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")/" "$here/changelog.in" |
	gzip -9n >"$doc/changelog.Debian.gz"

# Depends: the shared libraries the binary links (found by dpkg-shlibdeps, which wants
# to run next to a debian/control), the X libraries GLFW loads with dlopen at run time
# (ldd cannot see those: cursors, monitors, input, video modes), and the programs
# FileSync runs.
shlibs=$(
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	abs=$(realpath "$root/usr/bin/filesync")
	mkdir "$tmp/debian" && touch "$tmp/debian/control"
	cd "$tmp" && dpkg-shlibdeps -O "$abs" 2>/dev/null | sed -n 's/^shlibs:Depends=//p'
)
if [ -z "$shlibs" ]; then
	echo "dpkg-shlibdeps found no libraries for $binary" >&2
	exit 1
fi
depends="$shlibs, libxcursor1, libxi6, libxinerama1, libxrandr2, libxxf86vm1, rsync (>= 3.2.3), openssh-client"

# Control files. Installed-Size is in KiB, like dpkg-gencontrol counts it.
installed_size=$(du -sk --apparent-size "$root/usr" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$(dpkg --print-architecture)/" \
	-e "s/@MAINTAINER@/$maintainer/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
	-e "s/@DEPENDS@/$depends/" "$here/control.in" >"$root/DEBIAN/control"
(cd "$root" && find usr -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"

find "$root" -type d -exec chmod 755 {} +
find "$root" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$(dirname "$out")"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out"
