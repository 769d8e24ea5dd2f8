package service

import (
	"reflect"
	"testing"
	"time"

	"filesync/sync/fleet"
)

func TestDuePrune_AComputerAtMostEveryHour(t *testing.T) {
	s := &Service{pruned: map[string]time.Time{}}
	t0 := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
	computers := []fleet.Computer{{Name: "a"}, {Name: "b"}, {Name: "down"}}
	res := Result{Computers: []ComputerResult{{Name: "a", Status: StatusOK}, {Name: "b", Status: StatusOK}, {Name: "down", Status: StatusUnreachable}}}
	names := func(cs []fleet.Computer) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	steps := []struct {
		at   time.Duration
		want []string
	}{
		{0, []string{"a", "b"}},
		{time.Second, nil},
		{59 * time.Minute, nil},
		{time.Hour, []string{"a", "b"}},
	}
	for _, st := range steps {
		if got := names(s.duePrune(computers, res, t0.Add(st.at))); !reflect.DeepEqual(got, st.want) {
			t.Errorf("after %s: due %q, want %q", st.at, got, st.want)
		}
	}
}
