// Package writers finds the files that a process on this computer holds open for
// writing, so that a sync can hold them back until they are closed: a checkpoint still
// being written is never sent half-written. It reads /proc on Linux; elsewhere it finds
// none, and the quiet time of the watch is the only guard. It imports nothing of FileSync.
package writers
