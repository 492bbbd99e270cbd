package rules

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a time.Duration written as "48h", "10m" or "2d" in YAML.
type Duration time.Duration

// ParseDuration reads a Go duration ("36h", "1h30m") that may also count
// days with "d" ("2d", "1d12h"). It rejects negative values.
func ParseDuration(s string) (Duration, error) {
	if s == "" {
		return 0, errors.New("empty duration")
	}
	var days float64
	rest := s
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || n < 0 || strings.ContainsAny(s[:i], "+-eEinfINFxX_") {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		days, rest = n, s[i+1:]
	}
	var d time.Duration
	if rest != "" {
		var err error
		if d, err = time.ParseDuration(rest); err != nil || strings.HasPrefix(rest, "+") || strings.HasPrefix(rest, "-") {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
	}
	total := days*float64(24*time.Hour) + float64(d)
	if d < 0 || total < 0 || total > float64(1<<63-1) {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	return Duration(total), nil
}

// String formats d the way ParseDuration reads it, in days, hours,
// minutes and seconds, leaving out zero parts: "2d", "1d12h", "90s" is
// "1m30s".
func (d Duration) String() string {
	if d <= 0 || d%Duration(time.Second) != 0 {
		return time.Duration(d).String()
	}
	var b strings.Builder
	rest := time.Duration(d)
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if n := rest / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			rest -= n * u.unit
		}
	}
	return b.String()
}
