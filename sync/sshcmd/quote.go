package sshcmd

import "strings"

// Quote returns argv as one POSIX shell command line that the remote login shell splits back
// into exactly argv: every argument that is not made only of safe characters is put in single
// quotes, and each single quote inside becomes '\”. Nothing in argv is ever interpreted:
// not $, backticks, ;, newlines, globs nor non-ASCII bytes.
func Quote(argv []string) string {
	quoted := make([]string, len(argv))
	for i, arg := range argv {
		quoted[i] = quoteArg(arg)
	}
	return strings.Join(quoted, " ")
}

func quoteArg(arg string) string {
	if arg != "" && strings.IndexFunc(arg, isUnsafe) < 0 {
		return arg
	}
	return "'" + strings.ReplaceAll(arg, "'", `'\''`) + "'"
}

func isUnsafe(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	case strings.ContainsRune("@%+=:,./_-", r):
		return false
	}
	return true
}
