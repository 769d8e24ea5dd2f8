package sshcmd

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// FuzzQuote checks that any argument survives a round trip through sh -c unchanged.
func FuzzQuote(f *testing.F) {
	for _, tc := range hostileArgs {
		f.Add(strings.Join(tc.argv, "\x1f"))
	}
	f.Fuzz(func(t *testing.T, joined string) {
		if strings.ContainsRune(joined, 0) {
			t.Skip("argv elements cannot hold NUL")
		}
		argv := strings.Split(joined, "\x1f")
		out, err := exec.Command("sh", "-c", `printf '%s\0' `+Quote(argv)).Output()
		if err != nil {
			t.Fatalf("sh failed on %q: %v", Quote(argv), err)
		}
		got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
		if !slices.Equal(got, argv) {
			t.Fatalf("round trip of %q gave %q", argv, got)
		}
	})
}
