package probe

import "testing"

func TestParseDf_ReadsSizeAndAvailableInKiB(t *testing.T) {
	for _, tc := range []struct {
		line string
		want Space
		ok   bool
	}{
		{"tmpfs 20480 1024 19456 5% /mnt/small", Space{Free: 19456 << 10, Total: 20480 << 10}, true},
		{"/dev/vda 263174212 13000000 82000000 14% /", Space{Free: 82000000 << 10, Total: 263174212 << 10}, true},
		{"Filesystem 1024-blocks Used Available Capacity Mounted on", Space{}, false},
		{"", Space{}, false},
		{"tmpfs 20480 0", Space{}, false},
	} {
		got, ok := parseDf(tc.line)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseDf(%q) = %+v, %v; want %+v, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}
