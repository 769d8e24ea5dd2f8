package data

import (
	"slices"
	"testing"
	"time"
)

func agreedKeys(t *testing.T, store *Store) []string {
	t.Helper()
	rows, err := store.Agreed(nil)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range rows {
		keys = append(keys, r.Computer+"/"+r.Project+"="+string(r.Listing))
	}
	return keys
}

func TestAgreed_ReplacedPerComputerAndProjectAndForgottenWithThem(t *testing.T) {
	store := openTemp(t)
	for _, name := range []string{"a", "b"} {
		c := NewComputer(name)
		c.Local, c.Root = true, "/r/"+name
		if err := store.AddComputer(&c); err != nil {
			t.Fatal(err)
		}
	}
	p := NewProject("p")
	if err := store.AddProject(&p); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	save := func(rows ...AgreedListing) {
		t.Helper()
		for i := range rows {
			rows[i].TakenAt = now
		}
		if err := store.SaveAgreed(rows); err != nil {
			t.Fatal(err)
		}
	}
	save(AgreedListing{Computer: "a", Project: "p", Listing: []byte("1")}, AgreedListing{Computer: "b", Project: "p", Listing: []byte("1")})
	save(AgreedListing{Computer: "a", Project: "p", Listing: []byte("2")})
	if got, want := agreedKeys(t, store), []string{"a/p=2", "b/p=1"}; !slices.Equal(got, want) {
		t.Fatalf("after a second save of a/p: %q, want %q", got, want)
	}

	a, _ := store.Computer("a")
	if err := store.UpdateComputer("a", &Computer{ID: a.ID, Name: "a2", Local: true, Root: "/r/a", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if got, want := agreedKeys(t, store), []string{"a2/p=2", "b/p=1"}; !slices.Equal(got, want) {
		t.Errorf("after renaming computer a: %q, want %q (the same files, under the new name)", got, want)
	}
	if err := store.DeleteComputer("b"); err != nil {
		t.Fatal(err)
	}
	if got, want := agreedKeys(t, store), []string{"a2/p=2"}; !slices.Equal(got, want) {
		t.Errorf("after deleting computer b: %q, want %q", got, want)
	}
	p.Name = "q"
	if err := store.UpdateProject("p", &p); err != nil {
		t.Fatal(err)
	}
	if got := agreedKeys(t, store); len(got) != 0 {
		t.Errorf("after renaming project p: %q, want nothing (its folders are others)", got)
	}
}
