package process

import "os"

// terminate stops pid: Windows has no SIGTERM for console programs like rsync.
func terminate(pid int) { kill(pid) }

// kill stops pid at once.
func kill(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}
