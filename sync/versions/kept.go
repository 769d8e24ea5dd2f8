package versions

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"filesync/sync/listing"
	"filesync/sync/rsync"
)

// Kept is one kept copy of a file on one computer.
type Kept struct {
	Computer string
	Run      string    // the run folder's name: "20261201-101010-run12"
	RunID    uint      // the run that kept it (0 when the folder name carries none)
	Time     time.Time // when it was kept: the run's start, from the folder name
	Path     string    // where the file lived, relative to the root folder
	Size     int64
	MTime    int64 // the copy's own modification time, Unix seconds
}

// Location is the copy's path relative to the root folder.
func (k Kept) Location() string { return rsync.VersionsDir + "/" + k.Run + "/" + k.Path }

// runTime is the layout of the time part of a run folder's name.
const runTime = "20060102-150405"

// ParseRun reads a run folder's name as rsync.VersionsName writes it: the time the run
// started (UTC) and the run's id.
func ParseRun(name string) (time.Time, uint, error) {
	stamp, id, ok := strings.Cut(name, "-run")
	if !ok || len(stamp) != len(runTime) {
		return time.Time{}, 0, fmt.Errorf("versions folder %q is not named <YYYYMMDD-HHMMSS>-run<ID>", name)
	}
	t, err := time.ParseInLocation(runTime, stamp, time.UTC)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("versions folder %q: %w", name, err)
	}
	n, err := strconv.ParseUint(id, 10, 32)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("versions folder %q: run id %q is not a number", name, id)
	}
	return t, uint(n), nil
}

// Folders is what a computer's versions folder holds, read from a listing that covers it
// (paths relative to the root folder): the kept files (and links), and every run folder,
// kept copies or not. Entries of folders not named as runs are left out.
type Folders struct {
	Kept []Kept
	Runs []string // run folder names, sorted
}

// FromListing reads the versions folder's part of l as computer's kept copies.
func FromListing(computer string, l listing.Listing) Folders {
	var f Folders
	prefix := rsync.VersionsDir + "/"
	for _, e := range l.Under(rsync.VersionsDir) {
		rest, ok := strings.CutPrefix(e.Path, prefix)
		if !ok {
			continue
		}
		run, path, _ := strings.Cut(rest, "/")
		t, id, err := ParseRun(run)
		switch {
		case err != nil:
		case path == "" && e.Kind == listing.Dir:
			f.Runs = append(f.Runs, run)
		case e.Kind == listing.File || e.Kind == listing.Link:
			f.Kept = append(f.Kept, Kept{Computer: computer, Run: run, RunID: id, Time: t, Path: path, Size: e.Size, MTime: e.MTime})
		}
	}
	return f
}
