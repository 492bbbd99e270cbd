package backend

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"./data/wirewatch.db":                               "./data/wirewatch.db",
		"postgres://u:s3cret@db:5432/x?sslmode=require":     "postgres://u:xxxxx@db:5432/x?sslmode=require",
		"postgres://u@db/x?password=s3cret&sslmode=disable": "postgres://u@db/x?password=xxxxx&sslmode=disable",
		"postgres://u:50%off#x@db/x":                        "postgres://[redacted]",
	} {
		if got := Redact(in); got != want || strings.Contains(got, "s3cret") || strings.Contains(got, "50%off") {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
