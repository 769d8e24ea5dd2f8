package sshcmd

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"

	"filesync/sync/fleet"
)

// Resolve returns c with the host name, port and user that ssh itself will use: it asks
// ssh (ssh -G, which connects nowhere) to apply its configuration — ~/.ssh/config, or
// cfg.ConfigFile — to c's host, with c's own port and user winning when set. A local
// computer is returned as it is.
func Resolve(ctx context.Context, c fleet.Computer, cfg Config) (fleet.Computer, error) {
	if c.Local {
		return c, nil
	}
	argv := append([]string{"-G"}, configOptions(c, cfg)...)
	argv = append(argv, "--", Destination(c))
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "ssh", argv...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return c, fmt.Errorf("read ssh's configuration for %s (ssh -G): %s", c.Host, cmp.Or(strings.TrimSpace(stderr.String()), err.Error()))
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		key, value, _ := strings.Cut(sc.Text(), " ")
		switch key {
		case "hostname":
			c.HostName = value
		case "port":
			if p, err := strconv.Atoi(value); err == nil {
				c.Port = p
			}
		case "user":
			c.User = value
		}
	}
	return c, nil
}
