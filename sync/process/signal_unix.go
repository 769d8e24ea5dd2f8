//go:build !windows

package process

import "syscall"

// terminate asks the process group of pid to stop.
func terminate(pid int) { _ = syscall.Kill(-pid, syscall.SIGTERM) }

// kill stops the process group of pid at once.
func kill(pid int) { _ = syscall.Kill(-pid, syscall.SIGKILL) }
