package versions

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// now is the fake clock of the policy tests.
var now = time.Date(2026, 12, 2, 12, 30, 0, 0, time.UTC)

// copyOf is a kept copy of path on computer a, kept age before now, of size bytes.
func copyOf(name, path string, age time.Duration, size int64) Kept {
	t := now.Add(-age)
	return Kept{Computer: "a", Run: name, Time: t, Path: path, Size: size}
}

func runsOf(rs []Removal) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.Computer+":"+r.Run)
	}
	return out
}

func TestExpired_RemovesExactlyWhatEachPolicySays(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name   string
		kept   []Kept
		policy Policy
		want   []string // computer:run removed, oldest first
	}{
		{"days: exactly 30 days old stays, a second older goes", []Kept{
			copyOf("at-limit", "f", 30*day, 1),
			copyOf("over-limit", "f", 30*day+time.Second, 1),
			copyOf("young", "f", time.Minute, 1),
		}, Policy{Scheme: KeepDays, Days: 30}, []string{"a:over-limit"}},
		{"days 0 keeps everything", []Kept{
			copyOf("ancient", "f", 3000*day, 1),
		}, Policy{Scheme: KeepDays}, []string{}},
		{"cap removes the oldest first until the rest fit", []Kept{
			copyOf("new", "f", 1*day, GB/2),
			copyOf("old", "g", 3*day, GB/2),
			copyOf("middle", "h", 2*day, GB/2),
		}, Policy{Scheme: KeepDays, Days: 30, MaxGB: 1}, []string{"a:old"}},
		{"cap counts what the days left", []Kept{
			copyOf("expired", "f", 40*day, GB),
			copyOf("kept", "g", 2*day, GB),
		}, Policy{Scheme: KeepDays, Days: 30, MaxGB: 1}, []string{"a:expired"}},
		{"cap is per computer", []Kept{
			{Computer: "a", Run: "a-old", Path: "f", Time: now.Add(-2 * day), Size: GB},
			{Computer: "b", Run: "b-old", Path: "f", Time: now.Add(-3 * day), Size: GB / 2},
			{Computer: "a", Run: "a-new", Path: "f", Time: now.Add(-1 * day), Size: GB / 2},
		}, Policy{Scheme: KeepDays, Days: 30, MaxGB: 1}, []string{"a:a-old"}},
		{"staggered keeps every copy of the last hour", []Kept{
			copyOf("m1", "f", time.Minute, 1),
			copyOf("m2", "f", 2*time.Minute, 1),
			copyOf("m59", "f", 59*time.Minute, 1),
		}, Policy{Scheme: Staggered, Days: 30}, []string{}},
		{"staggered keeps the newest of each clock hour older than an hour", []Kept{
			// now is 12:30: 10:05 and 10:55 share the 10:00 hour, 09:10 is alone in its hour.
			copyOf("10:05", "f", 2*time.Hour+25*time.Minute, 1),
			copyOf("10:55", "f", 95*time.Minute, 1),
			copyOf("09:10", "f", 3*time.Hour+20*time.Minute, 1),
			copyOf("other-file-10:10", "g", 2*time.Hour+20*time.Minute, 1),
		}, Policy{Scheme: Staggered, Days: 30}, []string{"a:10:05"}},
		{"staggered keeps the newest of each day older than a day", []Kept{
			// Nov 29 01:00 and 23:00 share a UTC day; Nov 28 23:30 is the day before.
			{Computer: "a", Run: "29-01", Path: "f", Time: time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)},
			{Computer: "a", Run: "29-23", Path: "f", Time: time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC)},
			{Computer: "a", Run: "28-23", Path: "f", Time: time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC)},
		}, Policy{Scheme: Staggered, Days: 30}, []string{"a:29-01"}},
		{"staggered removes what is older than the days", []Kept{
			copyOf("old", "f", 31*day, 1),
			copyOf("alone-in-its-day", "f", 29*day, 1),
		}, Policy{Scheme: Staggered, Days: 30}, []string{"a:old"}},
		{"staggered judges each computer's copies apart", []Kept{
			{Computer: "a", Run: "a", Path: "f", Time: time.Date(2026, 12, 2, 10, 5, 0, 0, time.UTC)},
			{Computer: "b", Run: "b", Path: "f", Time: time.Date(2026, 12, 2, 10, 55, 0, 0, time.UTC)},
		}, Policy{Scheme: Staggered, Days: 30}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runsOf(Expired(tt.kept, tt.policy, now))
			if !slices.Equal(got, tt.want) {
				t.Fatalf("removed %v, want %v", got, tt.want)
			}
		})
	}
}

// TestExpired_StaggeredNeverKeepsWhatItRemoved checks the consistency Expired documents:
// as the clock moves on, a copy once removed would never have been kept later.
func TestExpired_StaggeredNeverKeepsWhatItRemoved(t *testing.T) {
	var kept []Kept
	start := now.Add(-10 * 24 * time.Hour)
	for i := 0; i < 200; i++ {
		kept = append(kept, Kept{Computer: "a", Run: start.Add(time.Duration(i*71) * time.Minute).Format(runTime), Path: "f",
			Time: start.Add(time.Duration(i*71) * time.Minute)})
	}
	p := Policy{Scheme: Staggered, Days: 30}
	removed := map[string]bool{}
	for clock := now; clock.Before(now.Add(3 * 24 * time.Hour)); clock = clock.Add(37 * time.Minute) {
		gone := map[string]bool{}
		for _, r := range Expired(kept, p, clock) {
			gone[r.Run] = true
		}
		for run := range removed {
			if !gone[run] {
				t.Fatalf("at %s, %s is kept again after it was removed", clock, run)
			}
		}
		removed = gone
	}
}

func TestExpired_SaysWhy(t *testing.T) {
	got := Expired([]Kept{copyOf("old", "f", 31*24*time.Hour, 1)}, DefaultPolicy(), now)
	if len(got) != 1 || got[0].Reason != "older than 30 days" {
		t.Fatalf("got %+v, want one removal older than 30 days", got)
	}
}

func TestParseRun_ReadsWhatVersionsNameWrites(t *testing.T) {
	tests := []struct {
		name    string
		want    time.Time
		id      uint
		wantErr string
	}{
		{"20261201-101112-run12", time.Date(2026, 12, 1, 10, 11, 12, 0, time.UTC), 12, ""},
		{"20261201-101112", time.Time{}, 0, "is not named"},
		{"2026-run1", time.Time{}, 0, "is not named"},
		{"20261301-101112-run1", time.Time{}, 0, "month out of range"},
		{"20261201-101112-runx", time.Time{}, 0, "is not a number"},
	}
	for _, tt := range tests {
		got, id, err := ParseRun(tt.name)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ParseRun(%q) error %v, want one saying %q", tt.name, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || !got.Equal(tt.want) || id != tt.id):
			t.Errorf("ParseRun(%q) = %s, %d, %v; want %s, %d", tt.name, got, id, err, tt.want, tt.id)
		}
	}
}

func TestPolicyCheck_RejectsWhatCannotBeApplied(t *testing.T) {
	tests := []struct {
		p  Policy
		ok bool
	}{
		{DefaultPolicy(), true},
		{Policy{Scheme: Staggered, Days: 7, MaxGB: 0.5}, true},
		{Policy{Scheme: "weekly", Days: 7}, false},
		{Policy{Scheme: KeepDays, Days: -1}, false},
		{Policy{Scheme: KeepDays, Days: 1, MaxGB: -1}, false},
	}
	for _, tt := range tests {
		if err := tt.p.Check(); (err == nil) != tt.ok {
			t.Errorf("%+v.Check() = %v, want ok %v", tt.p, err, tt.ok)
		}
	}
}

func TestPolicyString_SaysWhatIsKept(t *testing.T) {
	tests := []struct {
		p    Policy
		want string
	}{
		{DefaultPolicy(), "30 days"},
		{Policy{Scheme: KeepDays}, "forever"},
		{Policy{Scheme: Staggered, Days: 7, MaxGB: 1.5}, "staggered, 7 days, at most 1.5 GB per computer"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v is %q, want %q", tt.p, got, tt.want)
		}
	}
}
