package listing

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"filesync/sync/fleet"
	"filesync/sync/folders"
	"filesync/sync/testfiles"
	"filesync/sync/transfer"
)

func TestList_SeesWhatASyncSeesOnALocalComputer(t *testing.T) {
	root := t.TempDir()
	at := time.Date(2026, 11, 2, 3, 4, 5, 0, time.UTC)
	for _, p := range []string{"data/P/a.txt", "data/P/sub/b c.bin", "data/P/we\nird", "data/P/tmp/skip.me", "models/P/m.pt", "data/other/not-listed", "data/P/.filesync-partial/half"} {
		testfiles.WriteAt(t, filepath.Join(root, p), "12345", at)
	}
	res, err := folders.Resolve("P", []string{"data", "models", "shared"}, []string{"data/tmp"})
	if err != nil {
		t.Fatal(err)
	}
	fs := append(res.Folders, res.Folders[0]) // a folder named twice is listed once
	var progress []int
	l, err := List(context.Background(), fleet.Computer{Name: "here", Local: true, Root: root}, fs, transfer.Env{}, Timeouts{IO: time.Minute},
		func(n int) { progress = append(progress, n) })
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range l {
		if e.Kind == File {
			files = append(files, e.Path)
			if e.Size != 5 || e.MTime != at.Unix() {
				t.Errorf("%s: size %d mtime %d, want 5, %d", e.Path, e.Size, e.MTime, at.Unix())
			}
		}
	}
	want := []string{"data/P/a.txt", "data/P/sub/b c.bin", "data/P/we\nird", "models/P/m.pt"}
	if !slices.Equal(files, want) {
		t.Errorf("files %q, want %q (excluded, partial and other projects' files left out)", files, want)
	}
	if !l.Has("data/P") || !l.Has("models/P") || l.Has("shared") {
		t.Errorf("listing %+v: want data/P and models/P listed as folders, no shared", l)
	}
	if len(progress) == 0 || progress[len(progress)-1] != len(l) {
		t.Errorf("progress %v, want it to end at %d", progress, len(l))
	}
}

func TestList_CreatesNothingForAMissingRoot(t *testing.T) {
	root := filepath.Join(t.TempDir(), "never-created")
	res, _ := folders.Resolve("P", nil, nil)
	l, err := List(context.Background(), fleet.Computer{Name: "here", Local: true, Root: root}, res.Folders, transfer.Env{}, Timeouts{IO: time.Minute}, nil)
	if err != nil || len(l) != 0 {
		t.Errorf("listing a missing root: %+v, %v; want nothing and no error", l, err)
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("the missing root was created (%v)", err)
	}
}

func TestUnder(t *testing.T) {
	l := Listing{{Path: "data/P"}, {Path: "data/P/a"}, {Path: "data/P/b/c"}, {Path: "data/P2/x"}, {Path: "data/Q"}}
	var got []string
	for _, e := range l.Under("data/P") {
		got = append(got, e.Path)
	}
	if want := []string{"data/P", "data/P/a", "data/P/b/c"}; !slices.Equal(got, want) {
		t.Errorf("Under(data/P) = %q, want %q (not data/P2)", got, want)
	}
}
