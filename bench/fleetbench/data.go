package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"filesync/bench/benchkit"
)

// dataTime is the modification time of every generated file: an hour ago, whole seconds,
// the same on every computer of a synced fleet.
var dataTime = time.Now().Add(-time.Hour).Truncate(time.Second)

// dataMode is the mode of generated files and folders: what the seed's --chmod=777 leaves,
// so that its loop, too, has nothing to do on a synced fleet.
const dataMode = 0o777

// filesPerDir spreads a dataset over sub-folders, as image datasets are.
const filesPerDir = 200

func projectName(i int) string { return fmt.Sprintf("p%d", i+1) }

// projectFolders are the folders FileSync's default project syncs ("data, models").
func projectFolders(p string) []string { return []string{"data/" + p, "models/" + p} }

// genDataset writes files of size bytes under root/rel, filesPerDir per sub-folder.
func genDataset(root, rel string, files, size int, rng *rand.ChaCha8) error {
	buf := make([]byte, size)
	for i := 0; i < files; i++ {
		_, _ = rng.Read(buf)
		path := filepath.Join(root, rel, "train", fmt.Sprintf("d%03d", i/filesPerDir), fmt.Sprintf("f%06d.bin", i))
		if err := writeFile(path, buf); err != nil {
			return err
		}
	}
	return nil
}

// genCheckpoint writes a file of mib MiB.
func genCheckpoint(path string, mib int, rng *rand.ChaCha8) error {
	if err := os.MkdirAll(filepath.Dir(path), dataMode); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	for i := 0; i < mib; i++ {
		_, _ = rng.Read(buf)
		if _, err := f.Write(buf); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	return finish(path)
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), dataMode); err != nil {
		return err
	}
	if err := os.WriteFile(path, data, dataMode); err != nil {
		return err
	}
	return finish(path)
}

func finish(path string) error {
	if err := os.Chmod(path, dataMode); err != nil {
		return err
	}
	return os.Chtimes(path, dataTime, dataTime)
}

// settle gives every folder under root/rel the data mode and time (after their files).
func settle(root string, rels ...string) error {
	for _, rel := range rels {
		var dirs []string
		err := filepath.WalkDir(filepath.Join(root, rel), func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				dirs = append(dirs, path)
			}
			return err
		})
		if err != nil {
			return err
		}
		for i := len(dirs) - 1; i >= 0; i-- {
			if err := finish(dirs[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// genReference writes the projects' data into root: per project a dataset folder and a
// models folder with a few checkpoints.
func (b *bench) genReference(root string) error {
	rng := rand.NewChaCha8([32]byte{'f', 'l', 'e', 'e', 't'})
	var rels []string
	for i := 0; i < b.o.projects; i++ {
		p := projectName(i)
		if err := genDataset(root, "data/"+p, b.o.files, b.o.fileSize, rng); err != nil {
			return err
		}
		for c := 0; c < b.o.ckpts; c++ {
			if err := genCheckpoint(filepath.Join(root, "models", p, fmt.Sprintf("epoch-%03d.ckpt", c+1)), b.o.ckptMB, rng); err != nil {
				return err
			}
		}
		rels = append(rels, projectFolders(p)...)
	}
	return settle(root, rels...)
}

// mirror makes each of dsts an exact copy of src (files, modes, times), deleting the rest:
// rsync -a --delete on this machine, two at a time.
func (b *bench) mirror(src string, dsts ...string) error {
	return benchkit.TwoAtATime(len(dsts), func(i int) error {
		if err := os.MkdirAll(dsts[i], 0o755); err != nil {
			return err
		}
		return b.run("rsync", "-a", "--delete", strings.TrimSuffix(src, "/")+"/", strings.TrimSuffix(dsts[i], "/")+"/")
	})
}

// emptyRoot leaves root with only empty project folders: a new computer of the fleet.
func emptyRoot(root string, folders []string) error {
	if err := os.RemoveAll(root); err != nil {
		return err
	}
	for _, f := range folders {
		if err := os.MkdirAll(filepath.Join(root, f), dataMode); err != nil {
			return err
		}
		if err := os.Chmod(filepath.Join(root, f), dataMode); err != nil {
			return err
		}
	}
	return nil
}

// listing is every file under a root's project folders, with its size.
type listing map[string]int64

func list(root string, folders []string) (listing, error) {
	l := listing{}
	for _, f := range folders {
		err := filepath.WalkDir(filepath.Join(root, f), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			if d.IsDir() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			l[rel] = info.Size()
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return l, nil
}

// diff describes how got differs from want, naming a few paths.
func (want listing) diff(got listing) error {
	var missing, extra, size []string
	for p, s := range want {
		g, ok := got[p]
		switch {
		case !ok:
			missing = append(missing, p)
		case g != s:
			size = append(size, fmt.Sprintf("%s (%d bytes, want %d)", p, g, s))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			extra = append(extra, p)
		}
	}
	if len(missing)+len(extra)+len(size) == 0 {
		return nil
	}
	few := func(s []string) string {
		sort.Strings(s)
		if len(s) > 3 {
			return strings.Join(s[:3], ", ") + ", …"
		}
		return strings.Join(s, ", ")
	}
	return fmt.Errorf("%d missing [%s], %d unexpected [%s], %d of another size [%s]",
		len(missing), few(missing), len(extra), few(extra), len(size), few(size))
}

// checkFleet compares every computer's project folders with want.
func checkFleet(cs []computer, folders []string, want listing) error {
	for _, c := range cs {
		got, err := list(c.root, folders)
		if err != nil {
			return err
		}
		if err := want.diff(got); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	return nil
}

// changeSet is case b's rewritten files for one run: the same files and contents for every
// contender of that run.
type changeSet map[string][]byte

// makeChanges picks percent of all the files (from the datasets) and new contents for them.
func (b *bench) makeChanges(run int, ref listing) changeSet {
	var datasets []string
	for p := range ref {
		if strings.HasPrefix(p, "data/") {
			datasets = append(datasets, p)
		}
	}
	sort.Strings(datasets)
	n := int(float64(len(ref))*b.o.changed/100 + 0.5)
	n = max(1, min(n, len(datasets)))
	rng := rand.New(rand.NewPCG(uint64(run), 5))
	rng.Shuffle(len(datasets), func(i, j int) { datasets[i], datasets[j] = datasets[j], datasets[i] })
	content := rand.NewChaCha8([32]byte{byte(run), 'b'})
	cs := changeSet{}
	for _, p := range datasets[:n] {
		buf := make([]byte, ref[p])
		_, _ = content.Read(buf)
		cs[p] = buf
	}
	return cs
}

// apply rewrites the files on root, as a training job would: new contents, a new time.
func (cs changeSet) apply(root string) error {
	now := time.Now()
	for p, data := range cs {
		path := filepath.Join(root, p)
		if err := os.WriteFile(path, data, dataMode); err != nil {
			return err
		}
		if err := os.Chtimes(path, now, now); err != nil {
			return err
		}
	}
	return nil
}

// check reports a computer whose copy of a changed file does not have the new contents.
func (cs changeSet) check(computers []computer) error {
	for _, c := range computers {
		for p, data := range cs {
			got, err := os.ReadFile(filepath.Join(c.root, p))
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			if !bytes.Equal(got, data) {
				return fmt.Errorf("%s: %s does not have the changed contents", c.name, p)
			}
		}
	}
	return nil
}

// sameEnds reports whether two files have the same size and the same first and last MiB.
func sameEnds(a, b string) error {
	fa, err := os.Open(a)
	if err != nil {
		return err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return err
	}
	defer fb.Close()
	sa, _ := fa.Stat()
	sb, _ := fb.Stat()
	if sa.Size() != sb.Size() {
		return fmt.Errorf("%s has %d bytes, want %d", b, sb.Size(), sa.Size())
	}
	const chunk = 1 << 20
	for _, off := range []int64{0, max(0, sa.Size()-chunk)} {
		ba, bb := make([]byte, chunk), make([]byte, chunk)
		na, _ := fa.ReadAt(ba, off)
		nb, _ := fb.ReadAt(bb, off)
		if !bytes.Equal(ba[:na], bb[:nb]) {
			return fmt.Errorf("%s differs from %s", b, a)
		}
	}
	return nil
}
