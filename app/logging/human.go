package logging

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/sirupsen/logrus"
)

// humanFormatter writes one readable line per entry for a terminal:
// "[b → a] $ rsync …", "warning: [gpu-2] unreachable …". Other fields follow as key=value.
type humanFormatter struct{}

func (humanFormatter) Format(e *logrus.Entry) ([]byte, error) {
	var b bytes.Buffer
	if e.Level <= logrus.WarnLevel {
		b.WriteString(levelWord(e.Level) + ": ")
	}
	if prefix := subject(e.Data); prefix != "" {
		b.WriteString("[" + prefix + "] ")
	}
	b.WriteString(e.Message)
	for _, k := range extraKeys(e.Data) {
		fmt.Fprintf(&b, " %s=%v", k, e.Data[k])
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func levelWord(l logrus.Level) string {
	if l == logrus.WarnLevel {
		return "warning"
	}
	return l.String()
}

// subject is who a line is about: a transfer "from → to", or a computer.
func subject(data logrus.Fields) string {
	from, hasFrom := data["from"]
	to, hasTo := data["to"]
	if hasFrom && hasTo {
		return fmt.Sprintf("%v → %v", from, to)
	}
	if c, ok := data["computer"]; ok {
		return fmt.Sprint(c)
	}
	return ""
}

// extraKeys are the fields not already shown as the subject; run ids, projects and
// streams are for the log file and the window, not the terminal.
func extraKeys(data logrus.Fields) []string {
	var keys []string
	for k := range data {
		switch k {
		case "from", "to", "computer", "project", "run", "stream":
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
