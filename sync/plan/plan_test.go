package plan

import (
	"fmt"
	"math/bits"
	"testing"
)

func names(n int) []string {
	cs := make([]string, n)
	for i := range cs {
		cs[i] = fmt.Sprintf("c%d", i+1)
	}
	return cs
}

func ceilLog2(n int) int {
	if n <= 1 {
		return 0
	}
	return bits.Len(uint(n - 1))
}

// simulate runs the plan on sets of items: each computer starts with its own name and a
// step copies everything From holds onto To, using the holdings at the start of the round
// (steps of a round run in parallel).
func simulate(p Plan, cs []string) map[string]map[string]bool {
	held := map[string]map[string]bool{}
	for _, c := range cs {
		held[c] = map[string]bool{c: true}
	}
	for _, round := range p.Rounds {
		before := map[string]map[string]bool{}
		for c, items := range held {
			before[c] = map[string]bool{}
			for it := range items {
				before[c][it] = true
			}
		}
		for _, s := range round {
			for it := range before[s.From] {
				held[s.To][it] = true
			}
		}
	}
	return held
}

// assertOneWriter: no two steps of a round write to one computer, and no computer takes
// part in two steps of a round (so the per-computer cap is never the bottleneck).
func assertOneWriter(t *testing.T, p Plan) {
	t.Helper()
	for r, round := range p.Rounds {
		busy := map[string]int{}
		dests := map[string]bool{}
		for _, s := range round {
			if dests[s.To] {
				t.Fatalf("round %d: two steps write to %s", r, s.To)
			}
			dests[s.To] = true
			if s.From == s.To {
				t.Fatalf("round %d: %s copies onto itself", r, s.To)
			}
			busy[s.From]++
			busy[s.To]++
		}
		for c, n := range busy {
			if n > 2 {
				t.Fatalf("round %d: %s takes part in %d steps", r, c, n)
			}
		}
	}
}

func TestPush_ReachesEveryoneWithRelayTreeAboveThreshold(t *testing.T) {
	for n := 1; n <= 20; n++ {
		cs := names(n)
		p := Push(cs[0], cs)
		assertOneWriter(t, p)
		for c, items := range simulate(p, cs) {
			if !items[cs[0]] {
				t.Errorf("N=%d: %s never received the push", n, c)
			}
		}
		want := ceilLog2(n)
		if n <= RelayThreshold && n > 1 {
			want = 1
		}
		if len(p.Rounds) != want {
			t.Errorf("N=%d: %d rounds, want %d", n, len(p.Rounds), want)
		}
		if len(p.Steps()) != n-1 {
			t.Errorf("N=%d: %d transfers, want %d", n, len(p.Steps()), n-1)
		}
		if n > RelayThreshold {
			sends := 0
			for _, s := range p.Steps() {
				if s.From == cs[0] {
					sends++
				}
			}
			if sends != ceilLog2(n) {
				t.Errorf("N=%d: the sender uploads %d copies, want %d", n, sends, ceilLog2(n))
			}
		}
	}
}

func TestDistribute_EachHolderServesOneReceiverARound(t *testing.T) {
	for holders := 1; holders <= 5; holders++ {
		for receivers := 0; receivers <= 12; receivers++ {
			hs, rs := names(holders), names(receivers + holders)[holders:]
			p := Distribute(hs, rs)
			assertOneWriter(t, p)
			for _, round := range p.Rounds {
				from := map[string]bool{}
				for _, s := range round {
					if from[s.From] {
						t.Fatalf("%d holders, %d receivers: %s sends twice in a round", holders, receivers, s.From)
					}
					from[s.From] = true
				}
			}
			want := (receivers + holders - 1) / holders
			if len(p.Rounds) != want {
				t.Errorf("%d holders, %d receivers: %d rounds, want %d", holders, receivers, len(p.Rounds), want)
			}
			got := map[string]bool{}
			for _, s := range p.Steps() {
				got[s.To] = true
			}
			for _, r := range rs {
				if !got[r] {
					t.Errorf("%d holders: %s receives nothing", holders, r)
				}
			}
		}
	}
}

func TestDistribute_WithoutHoldersPlansNothing(t *testing.T) {
	if p := Distribute(nil, names(3)); len(p.Rounds) != 0 {
		t.Fatalf("got %v", p)
	}
}

func TestFan_SendsToEveryOtherComputerInOneRound(t *testing.T) {
	p := Fan("a", []string{"a", "b", "c", "d", "e"})
	if len(p.Rounds) != 1 || len(p.Rounds[0]) != 4 {
		t.Fatalf("plan %v, want one round of 4 steps", p.Rounds)
	}
	for _, s := range p.Steps() {
		if s.From != "a" || s.To == "a" {
			t.Errorf("step %v, want from a to another computer", s)
		}
	}
	if got := Fan("a", []string{"a"}); len(got.Rounds) != 0 {
		t.Errorf("Fan with no other computer: %v, want nothing", got.Rounds)
	}
}
