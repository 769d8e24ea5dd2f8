package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/listing"
	"filesync/sync/plan"
	"filesync/sync/rsync"
	"filesync/sync/sshcmd"
	"filesync/sync/transfer"
)

// job is one transfer ready to run.
type job struct {
	run      uint
	info     transfer.Job
	shown    TransferInfo
	executor transfer.Executor
	force    bool
	folded   []string // folders deleted as a whole: the log names them, not each file in them
	sends    int      // regular files a listed job names to send
}

// relayed reports whether the job goes through the relay stage on this computer.
func (j job) relayed() bool {
	_, relayed := j.executor.(transfer.Relay)
	return relayed
}

// legs is how many rsync transfers the job runs one after the other: two for a relay.
func (j job) legs() int {
	if j.relayed() {
		return 2
	}
	return 1
}

// optionsKey groups projects that can share one rsync: same flags.
type optionsKey struct {
	mode            fleet.Mode
	versions        bool
	openPermissions bool
}

// jobs turns a step into transfers: one per group of projects with the same options, so a
// pair of computers usually needs a single rsync (and a single ssh connection) for all.
func (r *runState) jobs(step plan.Step) ([]job, error) {
	from, to := r.computer(step.From), r.computer(step.To)
	var order []optionsKey
	groups := map[optionsKey][]folders.Folder{}
	projects := map[optionsKey][]string{}
	for _, p := range r.action.Projects {
		res, err := folders.Resolve(p.Name, p.SyncFolders, p.Ignore)
		if err != nil {
			return nil, fmt.Errorf("project %s: %w", p.Name, err)
		}
		key := r.optionsKey(p)
		if _, seen := groups[key]; !seen {
			order = append(order, key)
		}
		groups[key] = append(groups[key], holdBack(res.Folders, r.action.Hold)...)
		if len(res.Folders) > 0 {
			projects[key] = append(projects[key], p.Name)
		}
	}
	var out []job
	for _, key := range order {
		if len(groups[key]) == 0 {
			continue
		}
		j := r.newJob(r.transferJob(from, to, groups[key], key))
		j.shown.Projects = projects[key]
		out = append(out, j)
	}
	return out, nil
}

// holdBack adds to each folder an exclude of every held path inside it.
func holdBack(fs []folders.Folder, held []string) []folders.Folder {
	if len(held) == 0 {
		return fs
	}
	out := make([]folders.Folder, len(fs))
	for i, f := range fs {
		out[i] = folders.Folder{Path: f.Path, Excludes: slices.Clone(f.Excludes)}
		for _, h := range held {
			if listing.Within(h, f.Path) {
				out[i].Excludes = append(out[i].Excludes, rsync.Literal("/"+h))
			}
		}
	}
	return out
}

// optionsKey: only a push mirrors; Sync all and Sync computer merge every project, since
// "everyone ends with the union" and "delete what the sender lacks" cannot both hold.
func (r *runState) optionsKey(p fleet.Project) optionsKey {
	mode := fleet.Merge
	if p.Mode == fleet.Mirror && r.action.Kind == Push {
		mode = fleet.Mirror
	}
	return optionsKey{mode: mode, versions: p.Versions, openPermissions: p.OpenPermissions}
}

// transferJob is a transfer of folders fs with the options of key.
func (r *runState) transferJob(from, to fleet.Computer, fs []folders.Folder, key optionsKey) transfer.Job {
	tj := transfer.Job{From: from, To: to, Folders: fs, Options: rsync.Options{
		Mode:            key.mode,
		OpenPermissions: key.openPermissions,
		BWLimitKBps:     transfer.BWLimit(from, to),
		Timeout:         r.ioTimeout(),
	}}
	if key.versions {
		tj.Options.RunVersions = r.action.Versions
	}
	return tj
}

// newJob numbers tj and picks its executor.
func (r *runState) newJob(tj transfer.Job) job {
	exec := transfer.For(tj, r.engine.cfg.Env)
	r.mu.Lock()
	r.count++
	index := r.count
	r.mu.Unlock()
	shown := TransferInfo{Index: index, From: tj.From.Name, To: tj.To.Name, Folders: folders.Paths(tj.Folders), Command: commandLine(exec, tj)}
	return job{run: r.action.RunID, info: tj, shown: shown, executor: exec, force: r.action.Force}
}

// ioTimeout is the action's I/O timeout, or the engine's when the action sets none.
func (r *runState) ioTimeout() time.Duration {
	if r.action.IOTimeout > 0 {
		return r.action.IOTimeout
	}
	return r.engine.cfg.IOTimeout
}

func (r *runState) computer(name string) fleet.Computer {
	c, _ := fleet.ByName(r.action.Computers, name)
	return c
}

// commandLine is what the log shows: each command as a shell would need it typed.
func commandLine(exec transfer.Executor, j transfer.Job) string {
	cmds, err := exec.Commands(j)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := make([]string, len(cmds))
	for i, argv := range cmds {
		lines[i] = sshcmd.Quote(argv)
	}
	return strings.Join(lines, " && ")
}
