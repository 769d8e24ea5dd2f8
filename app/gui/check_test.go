package gui

import (
	"strings"
	"testing"

	"filesync/app/service"
)

func TestReportText_ShowsTheCommandStartAndExplainsASlowOne(t *testing.T) {
	for _, tc := range []struct {
		name       string
		ms         int64
		start      string
		wantAdvice bool
	}{
		{"slow", 620, "Command start: 0.62 s", true},
		{"fast", 20, "Command start: 0.02 s", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := reportText(service.CheckReport{Computer: "gpu-1", Status: service.StatusOK, Root: "~/fs", RootExists: true, Writable: true, SessionStartMS: tc.ms})
			if !strings.Contains(text, tc.start) {
				t.Errorf("report lacks %q:\n%s", tc.start, text)
			}
			if advice := strings.Contains(text, "~/.bashrc"); advice != tc.wantAdvice {
				t.Errorf("report advises about ~/.bashrc: %v, want %v:\n%s", advice, tc.wantAdvice, text)
			}
		})
	}
}
