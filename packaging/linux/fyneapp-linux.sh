#!/bin/sh
# Prints a FyneApp.toml [LinuxAndBSD] section made from a desktop entry:
#
#   packaging/linux/fyneapp-linux.sh packaging/linux/filesync.desktop >> build/src/FyneApp.toml
#
# "fyne package -os linux" writes the tarball's desktop entry from that section, so
# with it the tarball's entry has the same GenericName, Comment, Categories and
# Keywords as the .deb's, which are written once, in filesync.desktop.
set -eu
awk '
	BEGIN { print ""; print "[LinuxAndBSD]" }
	{ key = substr($0, 1, index($0, "=") - 1); value = substr($0, index($0, "=") + 1) }
	key == "GenericName" || key == "Comment" { printf "%s = \"%s\"\n", key, value }
	key == "Categories" || key == "Keywords" {
		n = split(value, items, ";"); list = ""
		for (i = 1; i <= n; i++) if (items[i] != "") list = list (list == "" ? "" : ", ") "\"" items[i] "\""
		printf "%s = [%s]\n", key, list
	}
' "$1"
