package main

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"filesync/bench/benchkit"
)

// dataTime is the modification time of every generated file and folder: an hour ago,
// whole seconds, so that every computer's copy lists the same.
var dataTime = time.Now().Add(-time.Hour).Truncate(time.Second)

// filesPerDir spreads a dataset over sub-folders, as image datasets are.
const filesPerDir = 200

func projectName(i int) string { return fmt.Sprintf("p%d", i+1) }

// genReference writes every project's data under root: data/P holds the small files
// (random contents, sizes from half to one and a half times fileSize, times 1-2 s apart
// in path order, as a job writing them would leave them), models/P the large ones
// (sparse: a listing reads no contents).
func (b *bench) genReference(root string) error {
	src := rand.NewChaCha8([32]byte{'s', 't', 'a', 't', 'u', 's'})
	rng := rand.New(src)
	buf := make([]byte, b.o.fileSize*3/2+1)
	for i := range b.o.projects {
		p := projectName(i)
		t := dataTime.Add(-2 * time.Duration(b.o.files) * time.Second)
		for n := range b.o.files {
			data := buf[:b.o.fileSize/2+rng.IntN(b.o.fileSize+1)]
			_, _ = src.Read(data)
			t = t.Add(time.Duration(1+rng.IntN(2)) * time.Second)
			if err := writeFile(filepath.Join(root, smallFile(p, n)), data, t); err != nil {
				return err
			}
		}
		for c := range b.o.large {
			path := filepath.Join(root, "models", p, fmt.Sprintf("epoch-%03d.ckpt", c+1))
			if err := sparseFile(path, int64(b.o.largeMB)<<20, dataTime); err != nil {
				return err
			}
		}
	}
	return settleFolders(root)
}

// smallFile is the path of project p's small file number n.
func smallFile(p string, n int) string {
	return filepath.Join("data", p, "train", fmt.Sprintf("d%03d", n/filesPerDir), fmt.Sprintf("f%06d.bin", n))
}

func writeFile(path string, data []byte, t time.Time) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	return os.Chtimes(path, t, t)
}

// sparseFile makes path a file of size bytes that holds no data blocks, modified at t.
func sparseFile(path string, size int64, t time.Time) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Chtimes(path, t, t)
}

// settleFolders gives every folder under root the data time, after their files are written.
func settleFolders(root string) error {
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, path)
		}
		return err
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := os.Chtimes(dirs[i], dataTime, dataTime); err != nil {
			return err
		}
	}
	return nil
}

// copyTo makes each of roots a copy of src (times, modes, holes kept), two at a time: each
// computer has its own files, not links to one set.
func copyTo(src string, roots []string) error {
	return benchkit.TwoAtATime(len(roots), func(i int) error {
		root := roots[i]
		if err := os.MkdirAll(root, 0o755); err != nil {
			return err
		}
		if out, err := exec.Command("cp", "-a", "--sparse=always", src+"/.", root+"/").CombinedOutput(); err != nil {
			return fmt.Errorf("cp -a %s %s: %v: %s", src, root, err, out)
		}
		return nil
	})
}

// difference is one way a computer's copy departs from the others'.
type difference struct {
	computer int    // index into the fleet's computers
	what     string // for the report
	apply    func(root string) error
}

// differences are the few changes made on c1 and c2 (in every fleet size) after the
// syncs: status has something to find, against the agreed state the syncs stored.
func (b *bench) differences() []difference {
	now := time.Now().Truncate(time.Second)
	p1, p2 := projectName(0), projectName(min(1, b.o.projects-1))
	var ds []difference
	for _, n := range []int{7, b.o.files / 2, b.o.files - 1} {
		rel := smallFile(p1, n)
		ds = append(ds, difference{1, "rewritten " + rel, func(root string) error {
			path := filepath.Join(root, rel)
			if err := os.WriteFile(path, []byte(fmt.Sprintf("changed on c2 at %s\n", now)), 0o644); err != nil {
				return err
			}
			return os.Chtimes(path, now, now)
		}})
	}
	for _, n := range []int{11, b.o.files / 3} {
		rel := smallFile(p2, n)
		ds = append(ds, difference{1, "deleted " + rel, func(root string) error { return os.Remove(filepath.Join(root, rel)) }})
	}
	for n := range 2 {
		rel := filepath.Join("data", p1, "new", fmt.Sprintf("extra%d.bin", n))
		ds = append(ds, difference{1, "added " + rel, func(root string) error {
			return writeFile(filepath.Join(root, rel), make([]byte, b.o.fileSize), now)
		}})
	}
	if b.o.large > 0 {
		rel := filepath.Join("models", p1, "epoch-001.ckpt")
		ds = append(ds, difference{0, "grown by 1 MiB and touched " + rel, func(root string) error {
			return sparseFile(filepath.Join(root, rel), int64(b.o.largeMB+1)<<20, now)
		}})
	}
	return ds
}
