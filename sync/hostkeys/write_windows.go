package hostkeys

import (
	"os"
	"path/filepath"
)

// writeAtomically replaces path with data through a temporary file and a rename (renameio
// does not support Windows, where a rename over an existing file is still atomic enough for
// a reader that opens the file anew).
func writeAtomically(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".known_hosts-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
