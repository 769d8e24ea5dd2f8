package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCLI_QuietUnderTheCLocale: LANG=C.UTF-8 (servers, containers) must not make the
// window toolkit print locale errors into every command's output.
func TestCLI_QuietUnderTheCLocale(t *testing.T) {
	for _, lang := range []string{"C.UTF-8", "C", "POSIX", "en_US.UTF-8"} {
		cmd := exec.Command(binary, "--version")
		cmd.Env = []string{"LANG=" + lang, "HOME=" + t.TempDir(), "PATH=/usr/bin:/bin"}
		out, err := cmd.CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "filesync version dev" && !strings.HasPrefix(string(out), "filesync version ") {
			t.Fatalf("LANG=%s: %v\n%s", lang, err, out)
		}
		if strings.Contains(string(out), "Fyne error") || strings.Count(string(out), "\n") != 1 {
			t.Errorf("LANG=%s: extra output:\n%s", lang, out)
		}
	}
}
