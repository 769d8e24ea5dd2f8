package probe

import "golang.org/x/sys/windows"

// freeBytes is the space the user can still fill under dir.
func freeBytes(dir string) (int64, error) {
	path, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	var free, total, totalFree uint64
	if err := windows.GetDiskFreeSpaceEx(path, &free, &total, &totalFree); err != nil {
		return 0, err
	}
	return int64(free), nil
}
