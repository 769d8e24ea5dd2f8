package rsync

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestLiteral_ExcludesExactlyThePath runs the real rsync with the pattern of each name
// excluded and checks that exactly that file stays behind, and none of its look-alikes.
func TestLiteral_ExcludesExactlyThePath(t *testing.T) {
	names := []string{"plain.pt", "epoch=1-step=9.ckpt", "a*b.pt", "a?b.pt", "[1].pt", `back\slash*.pt`, "a1b.pt", "1.pt", `back\slashX.pt`}
	for _, excluded := range names {
		src, dst := t.TempDir(), t.TempDir()
		for _, n := range names {
			if err := os.WriteFile(filepath.Join(src, n), []byte(n), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out, err := exec.Command("rsync", "-r", "--exclude=/"+Literal(excluded), src+"/", dst+"/").CombinedOutput()
		if err != nil {
			t.Fatalf("rsync: %v\n%s", err, out)
		}
		entries, _ := os.ReadDir(dst)
		var missing []string
		got := map[string]bool{}
		for _, e := range entries {
			got[e.Name()] = true
		}
		for _, n := range names {
			if !got[n] {
				missing = append(missing, n)
			}
		}
		sort.Strings(missing)
		if strings.Join(missing, "|") != excluded {
			t.Errorf("exclude of Literal(%q) = %q left behind %q, want only %q", excluded, Literal(excluded), missing, excluded)
		}
	}
}
