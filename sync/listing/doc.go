// Package listing reads what a computer holds in a project's folders: one rsync
// --list-only per computer, over the same multiplexed ssh connection and with the same
// excludes as a sync, so that the listing sees exactly the files a sync would see. It also
// stores listings compactly (Encode, Decode) for the fleet's last agreed state.
package listing
