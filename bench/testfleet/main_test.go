package main

import (
	"bytes"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"filesync/sync/testfleet"
)

func TestStart_WritesFleetTSVAndAddLinesThenStopStops(t *testing.T) {
	dir := t.TempDir()
	t.Cleanup(func() { _ = testfleet.StopDetached(dir) })
	var out bytes.Buffer
	if err := start(2, dir, "127.0.252", &out); err != nil {
		t.Fatalf("start: %v", err)
	}
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	tsv, err := os.ReadFile(filepath.Join(dir, "fleet.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSuffix(string(tsv), "\n"), "\n")
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(rows) != 2 || len(lines) != 2 {
		t.Fatalf("fleet.tsv %q and output %q, want two computers each", tsv, out.String())
	}
	var addrs []string
	for i, row := range rows {
		name, host := "c"+strconv.Itoa(i+1), "127.0.252."+strconv.Itoa(11+i)
		root := filepath.Join(dir, "roots", name)
		f := strings.Split(row, "\t")
		if len(f) != 5 || f[0] != name || f[1] != host || f[3] != root || f[4] != "-" {
			t.Fatalf("fleet.tsv line %q, want %s, %s, a port, %s, -", row, name, host, root)
		}
		want := "filesync computer add " + name + " --host " + host + " --port " + f[2] + " --user " + me.Username +
			" --root " + root + " --identity " + filepath.Join(dir, "client_key") + " --trust"
		if lines[i] != want {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], want)
		}
		addrs = append(addrs, net.JoinHostPort(host, f[2]))
	}
	for _, addr := range addrs {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			t.Fatalf("%s after start: %v", addr, err)
		}
		conn.Close()
	}

	if err := testfleet.StopDetached(dir); err != nil {
		t.Fatalf("stop: %v", err)
	}
	for _, addr := range addrs {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			t.Errorf("%s still accepts after stop", addr)
		}
	}
}
