package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"filesync/app/service"
)

func TestProjectsTab_SavesTheRetentionPolicyAndRefusesABadOne(t *testing.T) {
	tests := []struct {
		name         string
		scheme       string
		days, maxGB  string
		want         service.VersionPolicy
		wantNotSaved string
	}{
		{"the defaults", "days", "30", "", service.VersionPolicy{Scheme: service.KeepDays, Days: 30}, ""},
		{"staggered with a cap", "staggered", "7", "1.5", service.VersionPolicy{Scheme: service.Staggered, Days: 7, MaxGB: 1.5}, ""},
		{"empty days keep forever", "days", "", "", service.VersionPolicy{Scheme: service.KeepDays}, ""},
		{"days that are no number", "days", "a week", "", service.VersionPolicy{}, "versions days"},
		{"a negative cap", "days", "30", "-1", service.VersionPolicy{}, "GB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "c1")
			p := f.ui.projects
			p.edit(0)
			if got := p.retention.scheme.Selected; got != "days" || p.retention.days.Text != "30" {
				t.Fatalf("the form shows %q for %q days, want the default: days for 30", got, p.retention.days.Text)
			}
			p.retention.scheme.SetSelected(tt.scheme)
			p.retention.days.SetText(tt.days)
			p.retention.maxGB.SetText(tt.maxGB)
			test.Tap(p.save)
			saved, err := f.store.Project("proj")
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantNotSaved != "" {
				if p.saveProblem.Hidden || !strings.Contains(p.saveProblem.Text, tt.wantNotSaved) {
					t.Errorf("save problem %q (hidden %v), want one naming %q", p.saveProblem.Text, p.saveProblem.Hidden, tt.wantNotSaved)
				}
				tt.want = service.VersionPolicy{Scheme: service.KeepDays, Days: service.DefaultDays}
			}
			if got := saved.VersionPolicy(); got != tt.want {
				t.Errorf("stored %+v, want %+v", got, tt.want)
			}
		})
	}
}
