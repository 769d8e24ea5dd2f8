//go:build !windows

package hostkeys

import "github.com/google/renameio/v2"

// writeAtomically replaces path with data (mode 0600) through a temporary file and a
// rename, so that ssh never reads half a file.
func writeAtomically(path string, data []byte) error {
	return renameio.WriteFile(path, data, 0o600)
}
