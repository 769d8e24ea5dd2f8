package probe

import "golang.org/x/sys/windows"

// diskSpace is the space the user can still fill under dir, and the size of the disk
// holding it.
func diskSpace(dir string) (Space, error) {
	path, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return Space{}, err
	}
	var free, total, totalFree uint64
	if err := windows.GetDiskFreeSpaceEx(path, &free, &total, &totalFree); err != nil {
		return Space{}, err
	}
	return Space{Free: int64(free), Total: int64(total)}, nil
}
