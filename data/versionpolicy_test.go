package data

import (
	"testing"

	"filesync/sync/versions"
)

func TestProjectVersionPolicy_IsStoredAndKeptByEdits(t *testing.T) {
	tests := []struct {
		name   string
		set    func(p *Project)
		edit   func(p *Project)
		want   versions.Policy
		wantOK bool
	}{
		{"a new project keeps 30 days", func(*Project) {}, func(*Project) {}, versions.DefaultPolicy(), true},
		{"0 days (forever) is stored as 0, not as the default", func(p *Project) {
			p.SetVersionPolicy(versions.Policy{Scheme: versions.KeepDays})
		}, func(*Project) {}, versions.Policy{Scheme: versions.KeepDays}, true},
		{"staggered with a cap", func(p *Project) {
			p.SetVersionPolicy(versions.Policy{Scheme: versions.Staggered, Days: 7, MaxGB: 1.5})
		}, func(*Project) {}, versions.Policy{Scheme: versions.Staggered, Days: 7, MaxGB: 1.5}, true},
		{"an edit without a policy keeps the stored one", func(p *Project) {
			p.SetVersionPolicy(versions.Policy{Scheme: versions.Staggered, Days: 7})
		}, func(p *Project) { p.VersionsKeep = "" }, versions.Policy{Scheme: versions.Staggered, Days: 7}, true},
		{"a bad scheme is refused", func(p *Project) { p.VersionsKeep = "weekly" }, func(*Project) {}, versions.Policy{}, false},
		{"a project from before policies reads as the default", func(p *Project) { p.VersionsKeep, p.VersionsDays = "", 0 },
			func(*Project) {}, versions.DefaultPolicy(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := openTemp(t)
			p := NewProject("p")
			tt.set(&p)
			err := store.AddProject(&p)
			if (err == nil) != tt.wantOK {
				t.Fatalf("AddProject: %v, want ok %v", err, tt.wantOK)
			}
			if err != nil {
				return
			}
			tt.edit(&p)
			if err := store.UpdateProject("p", &p); err != nil {
				t.Fatal(err)
			}
			got, err := store.Project("p")
			if err != nil {
				t.Fatal(err)
			}
			if got.VersionPolicy() != tt.want {
				t.Errorf("policy %+v, want %+v", got.VersionPolicy(), tt.want)
			}
		})
	}
}
