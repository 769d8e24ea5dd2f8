// Package units writes sizes, rates, durations and counts for people, the same way in the window
// and on the command line. It imports no Fyne, so the command line can use it.
package units

import (
	"fmt"
	"time"
)

// Bytes renders a byte count in decimal units, e.g. "12.3 MB".
func Bytes(n int64) string {
	if n < 0 {
		return "-" + Bytes(-n)
	}
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	value := float64(n)
	units := []string{"kB", "MB", "GB", "TB", "PB", "EB"}
	unit := -1
	// Stop below 999.95 so rounding never prints "1000.0 kB" instead of "1.0 MB".
	for value >= 999.95 && unit < len(units)-1 {
		value /= 1000
		unit++
	}
	return fmt.Sprintf("%.1f %s", value, units[unit])
}

// Rate renders a transfer rate in bytes per second, e.g. "5.1 MB/s".
func Rate(bytesPerSecond float64) string {
	if bytesPerSecond < 0 {
		bytesPerSecond = 0
	}
	return Bytes(int64(bytesPerSecond)) + "/s"
}

// Duration renders a duration as m:ss or h:mm:ss, e.g. "0:07" or "1:02:03".
func Duration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	total := int64(d.Round(time.Second) / time.Second)
	h, m, s := total/3600, total/60%60, total%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// Count is n of a noun, plural when n is not 1: "1 file", "3 files".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
