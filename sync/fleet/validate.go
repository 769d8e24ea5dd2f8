package fleet

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode"
)

// FieldError says which field of a computer or project is wrong and why, in one sentence.
type FieldError struct {
	Field  string
	Value  string
	Reason string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Reason)
}

// The patterns leave lengths to the checks: a counted repetition such as {0,252} compiles
// into hundreds of states, which cost every start of the program a millisecond.
var (
	namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	hostPattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._:-]*$`)
	userPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
)

// Longest accepted values: a DNS name's 253 characters, a login name's 32.
const (
	maxNameLen = 64
	maxHostLen = 253
	maxUserLen = 32
)

// ValidateComputer checks every field of c and returns the first problem as a *FieldError.
func ValidateComputer(c Computer) error {
	checks := []func(Computer) error{checkName, checkHost, checkPort, checkUser, checkRoot, checkIdentity, checkBWLimit}
	for _, check := range checks {
		if err := check(c); err != nil {
			return err
		}
	}
	return nil
}

func checkName(c Computer) error {
	if len(c.Name) > maxNameLen || !namePattern.MatchString(c.Name) {
		return &FieldError{"computer name", c.Name, "use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"}
	}
	return nil
}

func checkHost(c Computer) error {
	if c.Local {
		return nil
	}
	if c.Host == "" {
		return &FieldError{"host", c.Host, "a computer reached over ssh needs a host (an IP, a DNS name or an ~/.ssh/config alias); use --local for a folder on this machine"}
	}
	if len(c.Host) > maxHostLen || !hostPattern.MatchString(c.Host) {
		return &FieldError{"host", c.Host, "use at most 253 letters, digits, '.', '-', '_' or ':', starting with a letter, digit or '_'"}
	}
	return nil
}

func checkPort(c Computer) error {
	if c.Local {
		return nil
	}
	if c.Port < 0 || c.Port > 65535 {
		return &FieldError{"port", fmt.Sprint(c.Port), "must be between 1 and 65535, or 0 to take it from ~/.ssh/config"}
	}
	return nil
}

func checkUser(c Computer) error {
	if c.Local || c.User == "" {
		return nil
	}
	if len(c.User) > maxUserLen || !userPattern.MatchString(c.User) {
		return &FieldError{"user", c.User, "use a login name of letters, digits, '_', '.' or '-', starting with a letter or '_' (at most 32)"}
	}
	return nil
}

func checkRoot(c Computer) error {
	root := c.Root
	if root != "~" && !strings.HasPrefix(root, "~/") && !strings.HasPrefix(root, "/") {
		return &FieldError{"root folder", root, `must be absolute or start with "~/"`}
	}
	if hasControl(root) {
		return &FieldError{"root folder", root, "must not contain control characters such as newlines"}
	}
	for _, seg := range strings.Split(root, "/") {
		if seg == ".." {
			return &FieldError{"root folder", root, `must not contain ".." segments`}
		}
	}
	return nil
}

// checkIdentity keeps the identity path safe inside rsync's -e option, which rsync splits
// on spaces and quotes itself.
func checkIdentity(c Computer) error {
	if c.Identity == "" {
		return nil
	}
	if strings.ContainsAny(c.Identity, `'"\`) || hasControl(c.Identity) || strings.HasPrefix(c.Identity, "-") {
		return &FieldError{"identity file", c.Identity, "must not contain quotes, backslashes or control characters, nor start with '-'"}
	}
	return nil
}

func checkBWLimit(c Computer) error {
	if c.BWLimitKBps < 0 {
		return &FieldError{"bandwidth limit", fmt.Sprint(c.BWLimitKBps), "must be 0 (unlimited) or a positive number of KB/s"}
	}
	return nil
}

// RemoteRoot is the root folder as a remote rsync or shell sees it: ssh sessions start in
// the home folder, so "~/x" becomes the relative "x" and "~" becomes ".".
func RemoteRoot(root string) string {
	switch {
	case root == "~":
		return "."
	case strings.HasPrefix(root, "~/"):
		return path.Clean(strings.TrimPrefix(root, "~/"))
	default:
		return path.Clean(root)
	}
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}
