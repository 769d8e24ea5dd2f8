package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The versions tests: the copies a sync overwrites or deletes are listed with why they
// were kept, restored everywhere, and pruned by the project's retention policy.

type versionsDoc struct {
	Versions []keptDoc `json:"versions"`
	Space    []struct {
		Computer string
		Files    int
		Bytes    int64
		Error    string
	} `json:"space"`
}

type keptDoc struct {
	Path, Computer, Project, Folder, Why, Reason string
	Run                                          uint
	Size                                         int64
}

type pruneDoc struct {
	DryRun  bool      `json:"dry_run"`
	Removed []keptDoc `json:"removed"`
	Folders []string  `json:"folders"`
	Errors  []string  `json:"errors"`
}

// versionsJSON runs `filesync versions … --json` and decodes it.
func (h *harness) versionsJSON(args ...string) versionsDoc {
	h.t.Helper()
	r := h.ok(append(append([]string{"versions"}, args...), "--json")...)
	var doc versionsDoc
	if err := jsonUnmarshal(r.stdout, &doc); err != nil {
		h.t.Fatalf("versions %v: not JSON (%v):\n%s", args, err, r.stdout)
	}
	return doc
}

// keptSet is each listed copy as "computer path run why".
func keptSet(vs []keptDoc) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, fmt.Sprintf("%s %s %d %s", v.Computer, v.Path, v.Run, v.Why))
	}
	slices.Sort(out)
	return out
}

func TestVersions_OverwrittenAndDeletedAreListedAndRestoredEverywhere(t *testing.T) {
	h := newHarness(t, 2)
	h.ok("project", "add", "p")
	names := h.names()
	t0 := time.Now().Add(-2 * time.Hour).Truncate(time.Second)
	write(t, h.here, "data/p/f.txt", "first", t0)
	write(t, h.here, "data/p/g.txt", "gone soon", t0)
	h.syncOK()
	write(t, h.here, "data/p/f.txt", "second", t0.Add(time.Hour))
	if err := os.Remove(filepath.Join(h.here, "data/p/g.txt")); err != nil {
		t.Fatal(err)
	}
	res, _ := h.syncOK()
	run := res.RunID

	doc := h.versionsJSON()
	var want []string
	for _, n := range names[1:] {
		want = append(want, fmt.Sprintf("%s data/p/f.txt %d overwritten", n, run), fmt.Sprintf("%s data/p/g.txt %d deleted", n, run))
	}
	slices.Sort(want)
	if got := keptSet(doc.Versions); !slices.Equal(got, want) {
		t.Fatalf("versions listed %v, want %v", got, want)
	}
	for _, s := range doc.Space {
		wantBytes := int64(len("first") + len("gone soon"))
		if s.Computer == "here" {
			wantBytes = 0
		}
		if s.Bytes != wantBytes || s.Error != "" {
			t.Errorf("space on %s: %d bytes (%s), want %d", s.Computer, s.Bytes, s.Error, wantBytes)
		}
	}
	if only := h.versionsJSON("--computer", names[1], "data/p/f.txt"); len(only.Versions) != 1 || only.Versions[0].Computer != names[1] {
		t.Errorf("versions --computer %s data/p/f.txt listed %v", names[1], keptSet(only.Versions))
	}

	for _, bad := range [][]string{
		{"--computer", names[1], "--run", "999", "data/p/f.txt"},
		{"--computer", "nowhere", "--run", fmt.Sprint(run), "data/p/f.txt"},
		{"--computer", names[1], "--run", fmt.Sprint(run), "data/p/absent.txt"},
	} {
		if r := h.cli(append([]string{"versions", "restore"}, bad...)...); r.code != 2 {
			t.Errorf("versions restore %v: exit %d, want 2 (bad input)\n%s", bad, r.code, r.stderr)
		}
	}
	for _, n := range names {
		assertHas(t, n, tree(t, h.root(n)), "data/p/f.txt", "second")
	}

	restored, r := h.twoWay("versions", "restore", "--computer", names[1], "--run", fmt.Sprint(run), "data/p/f.txt")
	if r.code != 0 || restored.Status != "ok" {
		t.Fatalf("restore: exit %d, %s: %s\n%s", r.code, restored.Status, restored.Summary, r.stderr)
	}
	for _, n := range names {
		assertHas(t, n, tree(t, h.root(n)), "data/p/f.txt", "first")
		assertHas(t, n, runVersions(t, h.root(n), restored.RunID), "data/p/f.txt", "second")
	}
	var wantRestore []string
	for _, n := range names {
		wantRestore = append(wantRestore, fmt.Sprintf("%s data/p/f.txt %d overwritten", n, restored.RunID))
	}
	slices.Sort(wantRestore)
	if got := keptSet(h.versionsJSON("--run", fmt.Sprint(restored.RunID)).Versions); !slices.Equal(got, wantRestore) {
		t.Errorf("after the restore, its run kept %v, want %v", got, wantRestore)
	}
	if hist := h.ok("history"); !strings.Contains(hist.stdout, "restore") {
		t.Errorf("the history shows no restore run:\n%s", hist.stdout)
	}
	// The restored copy is the newest everywhere: a Sync all leaves it.
	h.syncOK()
	for _, n := range names {
		assertHas(t, n, tree(t, h.root(n)), "data/p/f.txt", "first")
	}
}

// runFolder names a versions folder kept age ago by run id.
func runFolder(age time.Duration, id int) string {
	return time.Now().Add(-age).UTC().Format("20060102-150405") + fmt.Sprintf("-run%d", id)
}

// keep writes a kept copy into root's versions folder.
func keep(t *testing.T, root, run, rel, content string) {
	t.Helper()
	write(t, root, ".filesync/versions/"+run+"/"+rel, content, time.Now().Add(-time.Hour))
}

func removedSet(vs []keptDoc) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.Computer+" "+v.Folder)
	}
	slices.Sort(out)
	return out
}

func TestVersions_PruneRemovesExactlyWhatThePolicyExpires(t *testing.T) {
	h := newHarness(t, 1)
	h.ok("project", "add", "p", "--versions-days", "10")
	remote := h.names()[1]
	day := 24 * time.Hour
	old, mixed, young, empty := runFolder(20*day, 9001), runFolder(20*day, 9002), runFolder(5*day, 9003), runFolder(day, 9004)
	for _, root := range []string{h.here, h.root(remote)} {
		keep(t, root, old, "data/p/a", "a")
		keep(t, root, mixed, "data/p/b", "b")
		keep(t, root, mixed, "other/x", "outside every project")
		keep(t, root, young, "data/p/c", "12345")
		if err := os.MkdirAll(filepath.Join(root, ".filesync/versions", empty), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	for _, n := range []string{"here", remote} {
		want = append(want, n+" .filesync/versions/"+old+"/data/p/a", n+" .filesync/versions/"+mixed+"/data/p/b")
	}
	slices.Sort(want)

	dry := h.pruneJSON("--dry-run")
	if got := removedSet(dry.Removed); !slices.Equal(got, want) {
		t.Fatalf("dry run would remove %v, want %v", got, want)
	}
	for _, n := range []string{"here", remote} {
		if files := tree(t, filepath.Join(h.root(n), ".filesync/versions")); len(files) != 4 {
			t.Errorf("a dry run changed %s's versions: %v", n, files)
		}
	}

	pruned := h.pruneJSON()
	if got := removedSet(pruned.Removed); !slices.Equal(got, want) || len(pruned.Errors) > 0 {
		t.Fatalf("prune removed %v (errors %v), want %v", got, pruned.Errors, want)
	}
	for _, n := range []string{"here", remote} {
		v := filepath.Join(h.root(n), ".filesync/versions")
		files := tree(t, v)
		wantFiles := map[string]string{mixed + "/other/x": "outside every project", young + "/data/p/c": "12345"}
		if len(files) != len(wantFiles) || files[mixed+"/other/x"] == "" || files[young+"/data/p/c"] == "" {
			t.Errorf("%s keeps %v after the prune, want %v", n, files, wantFiles)
		}
		for _, gone := range []string{old, empty, mixed + "/data"} {
			if _, err := os.Stat(filepath.Join(v, gone)); !os.IsNotExist(err) {
				t.Errorf("%s still has %s after the prune (%v)", n, gone, err)
			}
		}
	}

	// A cap of 8 bytes keeps the newest 5-byte copy and removes the older one.
	newer := runFolder(2*day, 9005)
	for _, root := range []string{h.here, h.root(remote)} {
		keep(t, root, newer, "data/p/d", "67890")
	}
	h.ok("project", "edit", "p", "--versions-days", "0", "--versions-max-gb", fmt.Sprint(8.0/(1<<30)))
	capped := h.pruneJSON()
	want = []string{"here .filesync/versions/" + young + "/data/p/c", remote + " .filesync/versions/" + young + "/data/p/c"}
	slices.Sort(want)
	if got := removedSet(capped.Removed); !slices.Equal(got, want) {
		t.Fatalf("the cap removed %v, want %v", got, want)
	}

	// A sync that transfers files prunes by itself.
	h.ok("project", "edit", "p", "--versions-days", "10", "--versions-max-gb", "0")
	stale := runFolder(30*day, 9006)
	keep(t, h.root(remote), stale, "data/p/e", "stale")
	write(t, h.here, "data/p/new.txt", "new", time.Now().Add(-time.Minute))
	h.syncOK()
	if _, err := os.Stat(filepath.Join(h.root(remote), ".filesync/versions", stale)); !os.IsNotExist(err) {
		t.Errorf("the sync left %s's expired run folder %s (%v)", remote, stale, err)
	}
	if _, err := os.Stat(filepath.Join(h.root(remote), ".filesync/versions", newer, "data/p/d")); err != nil {
		t.Errorf("the sync's prune removed a copy the policy keeps: %v", err)
	}
}

// pruneJSON runs `filesync versions prune … --json` and decodes it.
func (h *harness) pruneJSON(args ...string) pruneDoc {
	h.t.Helper()
	r := h.ok(append(append([]string{"versions", "prune"}, args...), "--json")...)
	var doc pruneDoc
	if err := jsonUnmarshal(r.stdout, &doc); err != nil {
		h.t.Fatalf("versions prune %v: not JSON (%v):\n%s", args, err, r.stdout)
	}
	return doc
}
