package process

import "syscall"

// sysProcAttr starts a program in its own process group (so that cancelling stops it with
// everything it started) and has the kernel send it SIGTERM when this process dies, even
// by SIGKILL: an rsync left running by a dead app would go on writing into a folder whose
// lock died with the app. rsync stops cleanly on SIGTERM, keeping its partial file.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
