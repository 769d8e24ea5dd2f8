//go:build !windows

package probe

import "syscall"

// diskSpace is the space an unprivileged user can still fill under dir, and the size of
// the disk holding it.
func diskSpace(dir string) (Space, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return Space{}, err
	}
	return Space{Free: int64(st.Bavail) * int64(st.Bsize), Total: int64(st.Blocks) * int64(st.Bsize)}, nil
}
