package fleet

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateComputer_FieldsAndLengths(t *testing.T) {
	ok := Computer{Name: "gpu-1", Host: "gpu1.lab", Port: 22, User: "ml", Root: "~/mlcomp"}
	tests := []struct {
		name  string
		edit  func(*Computer)
		field string // "" when valid
	}{
		{"valid", func(*Computer) {}, ""},
		{"name of 64", func(c *Computer) { c.Name = strings.Repeat("n", 64) }, ""},
		{"name of 65", func(c *Computer) { c.Name = strings.Repeat("n", 65) }, "computer name"},
		{"name starting with a dot", func(c *Computer) { c.Name = ".x" }, "computer name"},
		{"empty name", func(c *Computer) { c.Name = "" }, "computer name"},
		{"host of 253", func(c *Computer) { c.Host = strings.Repeat("h", 253) }, ""},
		{"host of 254", func(c *Computer) { c.Host = strings.Repeat("h", 254) }, "host"},
		{"IPv6 loopback written out", func(c *Computer) { c.Host = "0:0:0:0:0:0:0:1" }, ""},
		{"host with a space", func(c *Computer) { c.Host = "a b" }, "host"},
		{"host starting with '-'", func(c *Computer) { c.Host = "-oProxyCommand=x" }, "host"},
		{"user of 32", func(c *Computer) { c.User = "_" + strings.Repeat("u", 31) }, ""},
		{"user of 33", func(c *Computer) { c.User = strings.Repeat("u", 33) }, "user"},
		{"user starting with a digit", func(c *Computer) { c.User = "1ml" }, "user"},
		{"port and user left to ssh's configuration", func(c *Computer) { c.Port, c.User = 0, "" }, ""},
		{"negative port", func(c *Computer) { c.Port = -1 }, "port"},
		{"port above 65535", func(c *Computer) { c.Port = 65536 }, "port"},
		{"local computer needs no host or user", func(c *Computer) { c.Local, c.Host, c.User = true, "", "" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := ValidateComputer(c)
			var fe *FieldError
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.field != "" && !errors.As(err, &fe):
				t.Errorf("error %v, want a %s error", err, tt.field)
			case tt.field != "" && fe.Field != tt.field:
				t.Errorf("error on %s (%v), want %s", fe.Field, err, tt.field)
			}
		})
	}
}
