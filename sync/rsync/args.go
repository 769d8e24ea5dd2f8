package rsync

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
)

// PartialDir is where, inside its destination folder, each updated file waits until the
// transfer ends (--delay-updates), so that a reader sees the old set of files or the new
// one, never a mix; an interrupted file waits there too, so that the next try resumes it
// and no half-written file ever sits under its final name.
const PartialDir = ".filesync-partial"

// VersionsDir is the folder, relative to a root folder, that keeps overwritten files.
const VersionsDir = ".filesync/versions"

// Endpoint is one end of a transfer: a root folder, on this machine (Remote == "") or on
// a computer reached as Remote ("user@host").
type Endpoint struct {
	Remote string
	Root   string // absolute for this machine; for a remote, as its rsync sees it (relative = under home)
}

func (e Endpoint) spec(p string) string {
	if e.Remote == "" {
		return p
	}
	return e.Remote + ":" + p
}

// Options are the per-transfer choices.
type Options struct {
	Mode            fleet.Mode
	RunVersions     string // versions sub-folder for this run ("" keeps no versions)
	OpenPermissions bool
	BWLimitKBps     int
	Timeout         time.Duration // I/O timeout: rsync gives up when no data moves this long
	DryRun          bool
	// ItemizeUnchanged lists unchanged files too (-ii), to count what a receiver holds.
	ItemizeUnchanged bool
	// Quiet lists no changes and no statistics (progress only).
	Quiet       bool
	RemoteShell string // value of -e, from RemoteShell(); "" when both ends are on this machine
	// FilesFrom makes this a transfer of the files (and folders) named on rsync's stdin,
	// NUL-separated, relative to the roots, instead of whole folders.
	FilesFrom bool
	// DeleteMissing moves each named path the source lacks into the destination's
	// versions (a deletion planned from the fleet's listings); it needs RunVersions.
	DeleteMissing bool
	// Fuzzy lets a file new to the destination start from a similar file in its folder
	// there (a renamed file's old copy) instead of being sent whole.
	Fuzzy bool
}

// Args returns the argv ("rsync", flags…, sources…, destination) of a transfer, which
// copies folders (or, with opt.FilesFrom, the files named on stdin) from src's root to
// dst's root in one rsync: every updated file is put in place at its end, together.
// Sources use --relative with a "/./" marker, so each folder lands at the same path under
// the destination root and one rsync covers several folders; excludes are anchored at the
// root. A source path missing is skipped, not an error.
func Args(src, dst Endpoint, fs []folders.Folder, opt Options) []string {
	argv := append([]string{"rsync"}, flags(opt)...)
	if opt.FilesFrom {
		// The folders' excludes keep what the project ignores safe from a folder's deletion.
		for _, f := range fs {
			argv = append(argv, excludes(f)...)
		}
		return append(argv, "--", src.spec(strings.TrimSuffix(src.Root, "/")+"/"), dst.spec(strings.TrimSuffix(dst.Root, "/")+"/"))
	}
	// The partial folders of a walked folder are never sent as data, and never deleted by a
	// mirror (rsync's own rule for --partial-dir comes after the folders' excludes).
	argv = append(argv, "--exclude="+PartialDir+"/")
	for _, f := range fs {
		argv = append(argv, excludes(f)...)
	}
	argv = append(append(argv, "--"), src.relativeSpecs(folders.Paths(fs))...)
	return append(argv, dst.spec(strings.TrimSuffix(dst.Root, "/")+"/"))
}

// relativeSpecs names paths under the root with the "/./" marker of --relative.
func (e Endpoint) relativeSpecs(paths []string) []string {
	specs := make([]string, len(paths))
	for i, p := range paths {
		specs[i] = e.spec(strings.TrimSuffix(e.Root, "/") + "/./" + p)
	}
	return specs
}

func excludes(f folders.Folder) []string {
	ex := make([]string, len(f.Excludes))
	for i, e := range f.Excludes {
		ex[i] = "--exclude=" + e
	}
	return ex
}

func flags(opt Options) []string {
	var f []string
	if !opt.FilesFrom {
		f = append(f, "--recursive")
	}
	f = append(f, "--links", "--times", "--relative", "--mkpath")
	if !opt.DeleteMissing {
		f = append(f, "--ignore-missing-args")
	}
	f = append(f, "--protect-args", "--timeout="+strconv.Itoa(max(1, int(opt.Timeout/time.Second))))
	f = append(f, infoFlag(opt.Quiet), "--partial-dir="+PartialDir, "--delay-updates")
	if !opt.Quiet {
		f = append(f, "--itemize-changes")
	}
	f = append(f, modeFlags(opt.Mode)...)
	f = append(f, permissionFlags(opt.OpenPermissions)...)
	if opt.RunVersions != "" {
		f = append(f, "--backup", "--backup-dir="+VersionsDir+"/"+opt.RunVersions)
	}
	if opt.BWLimitKBps > 0 {
		f = append(f, "--bwlimit="+strconv.Itoa(opt.BWLimitKBps))
	}
	if opt.DryRun {
		f = append(f, "--dry-run")
	}
	if opt.ItemizeUnchanged {
		f = append(f, "--itemize-changes")
	}
	if opt.Fuzzy {
		f = append(f, "--fuzzy")
	}
	if opt.RemoteShell != "" {
		f = append(f, "--rsh="+opt.RemoteShell)
	}
	return append(f, filesFromFlags(opt)...)
}

// filesFromFlags read the file list from stdin. Without --recursive a named folder is
// not walked: only the named files are sent, and a folder the source lacks is deleted
// as a whole (--force lets rsync delete a folder that is not empty). Without
// DeleteMissing, a file gone from the source since the listing is skipped.
func filesFromFlags(opt Options) []string {
	switch {
	case !opt.FilesFrom:
		return nil
	case opt.DeleteMissing:
		return []string{"--files-from=-", "--from0", "--delete-missing-args", "--force"}
	}
	return []string{"--files-from=-", "--from0"}
}

// infoFlag asks for progress, and statistics unless quiet.
func infoFlag(quiet bool) string {
	if quiet {
		return "--info=progress2"
	}
	return "--info=progress2,stats2"
}

// modeFlags: merge keeps the newer file (needs --times, or every receiver would see the
// transfer time as mtime); mirror makes an exact copy and deletes what the sender lacks.
func modeFlags(m fleet.Mode) []string {
	if m != fleet.Mirror {
		return []string{"--update"}
	}
	return []string{"--delete", "--delete-delay"}
}

func permissionFlags(open bool) []string {
	if open {
		return []string{"--perms", "--chmod=ugo=rwX"}
	}
	return []string{"--perms"}
}

// RemoteShell joins an ssh argv into the text of rsync's -e option. rsync splits that text
// on spaces itself (no shell involved), honouring single quotes in which a doubled quote
// stands for one; arguments are quoted that way whenever they need it.
func RemoteShell(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && !strings.ContainsAny(a, ` '"`) {
			parts[i] = a
			continue
		}
		parts[i] = "'" + strings.ReplaceAll(a, "'", "''") + "'"
	}
	return strings.Join(parts, " ")
}

// VersionsName is the versions sub-folder of a run: sortable by time, unique by run id.
func VersionsName(runID uint, start time.Time) string {
	return fmt.Sprintf("%s-run%d", start.UTC().Format("20060102-150405"), runID)
}

// listDestination is the destination a listing names: rsync takes the last of several
// arguments as the destination, and lists the sources only. A folder inside /dev/null
// can never exist, and --dry-run is there too, so nothing is ever written.
const listDestination = "/dev/null/filesync-lists-only/"

// ListArgs returns the argv that lists folders under src's root (--list-only), seeing what
// a transfer of the folders sees: the same excludes, paths relative to the root, a
// missing folder skipped. Sizes are plain digits (--no-human-readable).
func ListArgs(src Endpoint, fs []folders.Folder, timeout time.Duration, remoteShell string) []string {
	argv := []string{"rsync", "--list-only", "--dry-run", "--recursive", "--links", "--relative", "--no-human-readable",
		"--ignore-missing-args", "--protect-args", "--timeout=" + strconv.Itoa(max(1, int(timeout/time.Second))),
		"--exclude=" + PartialDir + "/"}
	if remoteShell != "" {
		argv = append(argv, "--rsh="+remoteShell)
	}
	var paths []string
	for _, f := range fs {
		argv = append(argv, excludes(f)...)
		paths = append(paths, f.Path)
	}
	argv = append(append(argv, "--"), src.relativeSpecs(paths)...)
	return append(argv, listDestination)
}
