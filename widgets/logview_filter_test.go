package widgets

import "testing"

func TestLogFilter_MatchesEitherEndOfATransferAndEachListedProject(t *testing.T) {
	line := LogLine{Level: "info", Computer: "c1 → c2", Project: "mnist, llama", Text: "x"}
	cases := []struct {
		filter LogFilter
		want   bool
	}{
		{LogFilter{Computer: "c1"}, true},
		{LogFilter{Computer: "c2"}, true},
		{LogFilter{Computer: "c"}, false},
		{LogFilter{Computer: "c12"}, false},
		{LogFilter{Project: "llama"}, true},
		{LogFilter{Project: "mnist"}, true},
		{LogFilter{Project: "mn"}, false},
		{LogFilter{Computer: "c2", Project: "llama"}, true},
	}
	for _, tc := range cases {
		if got := compileFilter(tc.filter).matches(line); got != tc.want {
			t.Errorf("%+v matches %+v = %v, want %v", tc.filter, line, got, tc.want)
		}
	}
}
