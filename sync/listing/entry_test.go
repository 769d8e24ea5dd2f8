package listing

import (
	"testing"
	"time"
)

func TestParseLine(t *testing.T) {
	at := time.Date(2026, 12, 1, 22, 26, 31, 0, time.UTC).Unix()
	tests := []struct {
		line string
		want Entry
	}{
		{"-rw-r--r--        5000 2026/12/01 22:26:31 data/P/sub/b c.bin", Entry{"data/P/sub/b c.bin", File, 5000, at}},
		{"drwxr-xr-x        4096 2026/12/01 22:26:31 data/P", Entry{"data/P", Dir, 4096, at}},
		{"lrwxrwxrwx           5 2026/12/01 22:26:31 data/P/link -> a.txt", Entry{"data/P/link", Link, 5, at}},
		{"-rw-r--r--           0 2026/12/01 22:26:31 data/P/x -> y", Entry{"data/P/x -> y", File, 0, at}},
		{`-rw-r--r--           0 2026/12/01 22:26:31 data/P/we\#012ird`, Entry{"data/P/we\nird", File, 0, at}},
		{`-rw-r--r--           0 2026/12/01 22:26:31 data/P/back\#134#012slash`, Entry{`data/P/back\#012slash`, File, 0, at}},
		{"-rw-r--r--           7 2026/12/01 22:26:31 data/P/ü tf8", Entry{"data/P/ü tf8", File, 7, at}},
		{"-rw-r--r--           7 2026/12/01 22:26:31 data/P/  two leading spaces", Entry{"data/P/  two leading spaces", File, 7, at}},
		{"srwxr-xr-x           0 2026/12/01 22:26:31 data/P/sock", Entry{"data/P/sock", Special, 0, at}},
		{"-rw-r--r-- 12345678901234 2026/12/01 22:26:31 big", Entry{"big", File, 12345678901234, at}},
	}
	for _, tc := range tests {
		got, err := ParseLine(tc.line)
		if err != nil || got != tc.want {
			t.Errorf("ParseLine(%q) = %+v, %v; want %+v", tc.line, got, err, tc.want)
		}
	}
}

func TestParseLine_RefusesWhatIsNotAListing(t *testing.T) {
	for _, line := range []string{
		"",
		"rsync: [sender] change_dir failed",
		"-rw-r--r--        4,096 2026/12/01 22:26:31 a", // human-readable sizes: --no-h is missing
		"-rw-r--r--        4096 2026-12-01 22:26:31 a",
		"-rw-r--r--        4096 2026/12/01 22:26:31",
		`-rw-r--r--        4096 2026/12/01 22:26:31 bad\#9`,
		`-rw-r--r--        4096 2026/12/01 22:26:31 bad\#999`,
	} {
		if e, err := ParseLine(line); err == nil {
			t.Errorf("ParseLine(%q) = %+v, want an error", line, e)
		}
	}
}
