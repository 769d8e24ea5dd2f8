package service

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"filesync/data"
)

// DefaultEnvFile is where mlcomp keeps this computer's IP and PORT.
func DefaultEnvFile() string {
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "mlcomp", "configs", ".env")
}

// ComputerFromEnv reads mlcomp's KEY=VALUE file into this computer, called name (the
// host name when empty) with the given root. IP and PORT are where other computers reach
// this one, kept for reference: this computer itself syncs locally.
func ComputerFromEnv(file, name, root string) (data.Computer, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return data.Computer{}, badInputf(Hint{}, "read %s: %v", file, err)
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(text), "\n") {
		key, value, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && !strings.HasPrefix(key, "#") {
			env[strings.TrimSpace(key)] = strings.Trim(strings.TrimSpace(value), `"'`)
		}
	}
	if env["IP"] == "" || env["PORT"] == "" {
		return data.Computer{}, badInputf(Hint{}, "%s has no IP or no PORT line; mlcomp's .env sets both", file)
	}
	if name == "" {
		name, _ = os.Hostname()
	}
	c := data.NewComputer(name)
	c.Local, c.Root, c.Host = true, root, env["IP"]
	if _, err := fmt.Sscan(env["PORT"], &c.Port); err != nil {
		return data.Computer{}, badInputf(Hint{}, "%s: PORT %q is not a number", file, env["PORT"])
	}
	return c, CheckComputer(c)
}
