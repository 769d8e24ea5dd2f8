package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// change is new contents for some of the small files, all modified at one time.
type change struct {
	files map[string][]byte // relative path → contents
	at    time.Time
	bytes int64
}

// onePercent is change number n: every hundredth small file of each project (a different
// hundredth for each n), with new random contents of a new random size.
func (b *bench) onePercent(n int) change {
	rng := rand.New(rand.NewPCG(uint64(n), 14))
	c := change{files: map[string][]byte{}, at: time.Now().Truncate(time.Second)}
	for i := range b.o.projects {
		for f := n % 100; f < b.o.files; f += 100 {
			data := make([]byte, b.o.fileSize/2+rng.IntN(b.o.fileSize+1))
			for j := range data {
				data[j] = byte(rng.Uint32())
			}
			c.files[smallFile(projectName(i), f)] = data
			c.bytes += int64(len(data))
		}
	}
	return c
}

// write makes the change on each of roots.
func (c change) write(roots []string) error {
	for _, root := range roots {
		for rel, data := range c.files {
			if err := writeFile(filepath.Join(root, rel), data, c.at); err != nil {
				return err
			}
		}
	}
	return nil
}

// check reports the first of roots that does not hold the change.
func (c change) check(roots []string) error {
	for _, root := range roots {
		for rel, data := range c.files {
			got, err := os.ReadFile(filepath.Join(root, rel))
			if err != nil {
				return err
			}
			info, err := os.Stat(filepath.Join(root, rel))
			if err != nil {
				return err
			}
			if !bytes.Equal(got, data) || !info.ModTime().Equal(c.at) {
				return fmt.Errorf("after the Sync all, %s holds other contents or another time than the changed copy", filepath.Join(root, rel))
			}
		}
	}
	return nil
}

// timeChangedSync makes change number n on c1 and times the Sync all that spreads it; it
// checks that every computer of r's fleet got it, then makes it by hand on the computers
// outside the fleet, so that all hold the same files again.
func (b *bench) timeChangedSync(r *sizeResult, n int) (sample, error) {
	c := b.onePercent(n)
	roots := b.roots()
	if err := c.write(roots[:1]); err != nil {
		return sample{}, err
	}
	s, err := b.timeSync(r)
	if err != nil {
		return s, err
	}
	s.changed = c.bytes
	if err := c.check(roots[1:r.k]); err != nil {
		return s, err
	}
	return s, c.write(roots[r.k:])
}
