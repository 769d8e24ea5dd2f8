package clocale

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// localeNames are the variables init may change, in the order Fyne's locale lookup reads them.
var localeNames = []string{"LC_ALL", "LC_MESSAGES", "LANG"}

// childEnv marks the test binary started by TestInit_ShowsFynePlainCAndRestoreGivesItBack.
const childEnv = "FILESYNC_CLOCALE_TEST_CHILD"

// TestMain lets the test binary stand in for a FileSync process: init has run by the time
// TestMain does, so the child prints what Fyne would have seen, then what Restore gives back.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		fmt.Println("init:", describe())
		Restore()
		fmt.Println("restored:", describe())
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func describe() string {
	var parts []string
	for _, name := range localeNames {
		if value, ok := os.LookupEnv(name); ok {
			parts = append(parts, name+"="+value)
		}
	}
	return strings.Join(parts, " ")
}

func TestInit_ShowsFynePlainCAndRestoreGivesItBack(t *testing.T) {
	cases := []struct {
		name             string
		env              map[string]string
		atInit, restored string
	}{
		{"LANG=C.UTF-8 becomes C", map[string]string{"LANG": "C.UTF-8"},
			"LANG=C", "LANG=C.UTF-8"},
		{"LANG=C.utf8 becomes C", map[string]string{"LANG": "C.utf8"},
			"LANG=C", "LANG=C.utf8"},
		{"LANG=POSIX.UTF-8 becomes C", map[string]string{"LANG": "POSIX.UTF-8"},
			"LANG=C", "LANG=POSIX.UTF-8"},
		{"LC_ALL decides before LANG", map[string]string{"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"},
			"LC_ALL=C LANG=en_US.UTF-8", "LC_ALL=C.UTF-8 LANG=en_US.UTF-8"},
		{"LC_MESSAGES decides before LANG", map[string]string{"LC_MESSAGES": "C.UTF-8", "LANG": "de_DE.UTF-8"},
			"LC_MESSAGES=C LANG=de_DE.UTF-8", "LC_MESSAGES=C.UTF-8 LANG=de_DE.UTF-8"},
		{"a real LC_ALL leaves a C LANG alone: Fyne never reads it", map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "C.UTF-8"},
			"LC_ALL=fr_FR.UTF-8 LANG=C.UTF-8", "LC_ALL=fr_FR.UTF-8 LANG=C.UTF-8"},
		{"an empty LC_ALL is not set", map[string]string{"LC_ALL": "", "LANG": "C.UTF-8"},
			"LC_ALL= LANG=C", "LC_ALL= LANG=C.UTF-8"},
		{"a real locale is left alone", map[string]string{"LANG": "en_GB.UTF-8"},
			"LANG=en_GB.UTF-8", "LANG=en_GB.UTF-8"},
		{"plain C is left alone", map[string]string{"LANG": "C"},
			"LANG=C", "LANG=C"},
		{"no locale stays unset", map[string]string{},
			"", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(withoutLocale(os.Environ()), childEnv+"=1")
			for name, value := range c.env {
				cmd.Env = append(cmd.Env, name+"="+value)
			}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			want := fmt.Sprintf("init: %s\nrestored: %s\n", c.atInit, c.restored)
			if string(out) != want {
				t.Errorf("with %v the child printed\n%s\nwant\n%s", c.env, out, want)
			}
		})
	}
}

// withoutLocale is env without the locale variables (and LANGUAGE), so that each case sets
// exactly what it names.
func withoutLocale(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if name == "LANGUAGE" || name == childEnv || strings.HasPrefix(name, "LC_") || name == "LANG" {
			continue
		}
		out = append(out, kv)
	}
	return out
}
