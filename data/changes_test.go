package data

import (
	"context"
	"testing"
)

func TestChangeWatch_SeesWritesOfAnotherProcessAndOfThisOne(t *testing.T) {
	ctx := context.Background()
	store := openTemp(t)
	w, err := store.WatchChanges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if changed, err := w.Changed(ctx); err != nil || changed {
		t.Fatalf("nothing written yet: Changed = %v, %v", changed, err)
	}
	other, err := Open(store.Path(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	c := NewComputer("from-cli")
	c.Local, c.Root = true, t.TempDir()
	if err := other.AddComputer(&c); err != nil {
		t.Fatal(err)
	}
	if changed, err := w.Changed(ctx); err != nil || !changed {
		t.Fatalf("after another process added a computer: Changed = %v, %v; want true", changed, err)
	}
	if changed, _ := w.Changed(ctx); changed {
		t.Fatal("Changed is true twice for one write")
	}
	if err := store.SetComputerStatus("from-cli", "ok", "", nil); err != nil {
		t.Fatal(err)
	}
	if changed, err := w.Changed(ctx); err != nil || !changed {
		t.Fatalf("after this process wrote: Changed = %v, %v; want true", changed, err)
	}
}
