package rsync

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
)

// PartialDir is where an interrupted file waits, inside its destination folder, so that the
// next run resumes it and no half-written file ever sits under its final name.
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
	// Quiet lists no changes (progress and statistics only).
	Quiet       bool
	RemoteShell string // value of -e, from RemoteShell(); "" when both ends are on this machine
}

// Args returns the argv ("rsync", flags…, sources…, destination) that copies folders from
// src's root to dst's root. Sources use --relative with a "/./" marker, so each folder lands
// at the same path under the destination root and one rsync covers several folders;
// excludes are anchored at the root. A folder missing on the source is skipped, not an error.
func Args(src, dst Endpoint, fs []folders.Folder, opt Options) []string {
	argv := append([]string{"rsync"}, flags(opt)...)
	for _, f := range fs {
		for _, ex := range f.Excludes {
			argv = append(argv, "--exclude="+ex)
		}
	}
	argv = append(argv, "--")
	for _, f := range fs {
		argv = append(argv, src.spec(strings.TrimSuffix(src.Root, "/")+"/./"+f.Path))
	}
	return append(argv, dst.spec(strings.TrimSuffix(dst.Root, "/")+"/"))
}

func flags(opt Options) []string {
	f := []string{
		"--recursive", "--links", "--times", "--relative",
		"--mkpath", "--ignore-missing-args", "--protect-args",
		"--partial-dir=" + PartialDir,
		"--info=progress2,stats2",
		"--timeout=" + strconv.Itoa(max(1, int(opt.Timeout/time.Second))),
	}
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
	if opt.RemoteShell != "" {
		f = append(f, "--rsh="+opt.RemoteShell)
	}
	return f
}

// modeFlags: merge keeps the newer file (needs --times, or every receiver would see the
// transfer time as mtime); mirror makes an exact copy and deletes what the sender lacks.
func modeFlags(m fleet.Mode) []string {
	if m == fleet.Mirror {
		return []string{"--delete", "--delete-delay"}
	}
	return []string{"--update"}
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
