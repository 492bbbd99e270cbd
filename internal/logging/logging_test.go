package logging

import (
	"bytes"
	"regexp"
	"testing"
	"time"
)

// TestLogsAreUTC checks what docs/configuration.md promises: log times are
// UTC, marked Z, whatever the machine's zone and BOT_TIMEZONE.
func TestLogsAreUTC(t *testing.T) {
	local := time.Local
	time.Local = time.FixedZone("UTC+4:30", 4*3600+1800)
	defer func() { time.Local = local }()
	for _, format := range []string{"text", "json"} {
		var b bytes.Buffer
		l, err := New(&b, "info", format)
		if err != nil {
			t.Fatal(err)
		}
		l.Info("hello")
		if !regexp.MustCompile(`time"?[=:]"?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`).MatchString(b.String()) {
			t.Errorf("%s log not in UTC: %s", format, b.String())
		}
	}
}
