//go:build !linux && !windows

package process

import "syscall"

// sysProcAttr starts a program in its own process group, so that cancelling stops it with
// everything it started.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
