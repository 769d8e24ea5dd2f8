package versions

import (
	"fmt"
	"slices"
	"time"
)

// Scheme is how a policy thins kept copies out.
type Scheme string

// The schemes.
const (
	// KeepDays keeps every copy for Days days.
	KeepDays Scheme = "days"
	// Staggered keeps every copy for an hour, the newest copy of each clock hour for a day,
	// the newest copy of each day (UTC) for Days days, as Syncthing's staggered versioning.
	Staggered Scheme = "staggered"
)

// DefaultDays is how long copies are kept unless a project says otherwise.
const DefaultDays = 30

// GB is the unit of a policy's size cap.
const GB = 1 << 30

// Policy is a project's retention of kept copies.
type Policy struct {
	Scheme Scheme
	Days   int     // copies older than this many days expire (0: never, by age)
	MaxGB  float64 // the most every computer keeps of the project's copies (0: no cap)
}

// DefaultPolicy is a new project's: every copy for 30 days, no size cap.
func DefaultPolicy() Policy { return Policy{Scheme: KeepDays, Days: DefaultDays} }

// Check reports whether p can be applied.
func (p Policy) Check() error {
	switch {
	case p.Scheme != KeepDays && p.Scheme != Staggered:
		return fmt.Errorf("versions retention %q is neither %q nor %q", p.Scheme, KeepDays, Staggered)
	case p.Days < 0:
		return fmt.Errorf("versions kept %d days: give a number of days, 0 to keep them whatever their age", p.Days)
	case p.MaxGB < 0:
		return fmt.Errorf("versions cap %g GB: give a size in GB, 0 for no cap", p.MaxGB)
	}
	return nil
}

// String is the policy in a few words: "30 days", "staggered, 30 days, at most 2 GB per
// computer", "forever".
func (p Policy) String() string {
	s := fmt.Sprintf("%d days", p.Days)
	if p.Days == 0 {
		s = "forever"
	}
	if p.Scheme == Staggered {
		s = "staggered, " + s
	}
	if p.MaxGB > 0 {
		s += fmt.Sprintf(", at most %g GB per computer", p.MaxGB)
	}
	return s
}

// Removal is a copy that expires, and why.
type Removal struct {
	Kept
	Reason string // "older than 30 days"
}

// Expired returns the copies p removes at now, oldest first; the others stay. Every
// copy is judged against the copies of the same computer only. Age goes by the time the
// copy was kept (its run's start): a copy exactly Days days old stays, one a second
// older expires. Staggered keeps, of the copies of one file, every copy less than an
// hour old; among older ones, the newest of each clock hour (UTC) while less than a day
// old, then the newest of each UTC day. Keeping the newest of a bucket is consistent:
// the newest of a day is the newest of its hour, so a copy kept now is never one a
// finer bucket had removed. The size cap then removes the oldest remaining copies of
// each computer until the rest fit.
func Expired(kept []Kept, p Policy, now time.Time) []Removal {
	var out []Removal
	byComputer := map[string][]Kept{}
	for _, k := range kept {
		byComputer[k.Computer] = append(byComputer[k.Computer], k)
	}
	for _, ks := range byComputer {
		slices.SortFunc(ks, oldestFirst)
		gone := map[int]string{}
		for i := range ks {
			if r := ageReason(ks, i, p, now); r != "" {
				gone[i] = r
			}
		}
		overCap(ks, gone, p)
		for i, k := range ks {
			if r, ok := gone[i]; ok {
				out = append(out, Removal{Kept: k, Reason: r})
			}
		}
	}
	slices.SortFunc(out, func(a, b Removal) int { return oldestFirst(a.Kept, b.Kept) })
	return out
}

func oldestFirst(a, b Kept) int {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c
	}
	if a.Computer != b.Computer {
		return compare(a.Computer, b.Computer)
	}
	if a.Path != b.Path {
		return compare(a.Path, b.Path)
	}
	return compare(a.Run, b.Run)
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ageReason is why ks[i] expires by age under p ("" if it stays).
func ageReason(ks []Kept, i int, p Policy, now time.Time) string {
	age := now.Sub(ks[i].Time)
	if p.Days > 0 && age > time.Duration(p.Days)*24*time.Hour {
		return fmt.Sprintf("older than %d days", p.Days)
	}
	if p.Scheme != Staggered || age < time.Hour {
		return ""
	}
	bucket := time.Hour
	if age >= 24*time.Hour {
		bucket = 24 * time.Hour
	}
	for _, o := range ks[i+1:] {
		if o.Path == ks[i].Path && o.Time.After(ks[i].Time) && o.Time.Truncate(bucket).Equal(ks[i].Time.Truncate(bucket)) {
			return "a newer copy of the same " + bucketName(bucket) + " is kept"
		}
	}
	return ""
}

func bucketName(d time.Duration) string {
	if d == time.Hour {
		return "hour"
	}
	return "day"
}

// overCap marks, oldest first, the copies that stay until what is left of ks fits p's cap.
func overCap(ks []Kept, gone map[int]string, p Policy) {
	if p.MaxGB <= 0 {
		return
	}
	limit := int64(p.MaxGB * GB)
	var total int64
	for i, k := range ks {
		if _, ok := gone[i]; !ok {
			total += k.Size
		}
	}
	for i, k := range ks {
		if total <= limit {
			return
		}
		if _, ok := gone[i]; !ok {
			gone[i] = fmt.Sprintf("over the cap of %g GB", p.MaxGB)
			total -= k.Size
		}
	}
}
