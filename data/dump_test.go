package data

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Dump returns every column of every computer and project except CreatedAt
// and UpdatedAt, in a stable order. Tests compare dumps to prove that a
// rejected change left the database as it was.
func (s *Store) Dump() (string, error) {
	computers, err := s.Computers()
	if err != nil {
		return "", fmt.Errorf("dump: %w", err)
	}
	projects, err := s.Projects()
	if err != nil {
		return "", fmt.Errorf("dump: %w", err)
	}
	var b strings.Builder
	for _, c := range computers {
		writeRecord(&b, computerKind, c)
	}
	for _, p := range projects {
		writeRecord(&b, projectKind, p)
	}
	return b.String(), nil
}

// writeRecord walks the struct's fields so that a new column shows up in the
// dump without anyone remembering to add it.
func writeRecord(b *strings.Builder, kind string, record any) {
	value := reflect.ValueOf(record)
	fmt.Fprintf(b, "%s\n", kind)
	for i := range value.NumField() {
		name := value.Type().Field(i).Name
		if name == "CreatedAt" || name == "UpdatedAt" {
			continue
		}
		fmt.Fprintf(b, "  %s: %s\n", name, formatField(value.Field(i).Interface()))
	}
}

func formatField(field any) string {
	switch v := field.(type) {
	case string:
		return strconv.Quote(v)
	case []string:
		encoded, _ := json.Marshal(v)
		return string(encoded)
	case *time.Time:
		if v == nil {
			return "nil"
		}
		return v.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Sprint(v)
	}
}
