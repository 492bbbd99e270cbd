package corpus

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// isoLayouts are tried, in order, on values that start with a year.
var isoLayouts = []string{
	time.RFC3339, // fractional seconds are accepted too
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// mailLayouts are the RFC 1123 and RFC 822 forms that feeds use, and the
// "31 July 2021" and "July 31, 2021" forms of prose, without the weekday
// (removed before parsing), without commas, and with any zone name already
// turned into a numeric offset: 1- or 2-digit days, 2- or 4-digit years,
// short or long month names, with or without seconds or zone.
var mailLayouts = withClocks("2 Jan 2006", "2 January 2006", "2 Jan 06", "Jan 2 2006", "January 2 2006")

// slashLayouts are numeric dates with slashes: month first as in the US
// (07/31/2021), year first (2021/07/31), and day first when the first
// number cannot be a month (31/07/2021).
var slashLayouts = withClocks("1/2/2006", "2006/1/2", "2/1/2006")

// withClocks returns each date layout alone and followed by a time, with
// and without seconds and a numeric zone.
func withClocks(dates ...string) []string {
	var ls []string
	for _, date := range dates {
		for _, clock := range []string{" 15:04:05", " 15:04"} {
			ls = append(ls, date+clock+" -0700", date+clock)
		}
		ls = append(ls, date)
	}
	return ls
}

// zones are the zone names RFC 822 defines, and a few more that feeds use,
// as numeric offsets.
var zones = map[string]string{
	"UT": "+0000", "UTC": "+0000", "GMT": "+0000", "Z": "+0000",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
	"BST": "+0100", "CET": "+0100", "CEST": "+0200", "EET": "+0200", "EEST": "+0300",
	"WET": "+0000", "WEST": "+0100", "MSK": "+0300", "JST": "+0900", "AEST": "+1000",
	"AEDT": "+1100",
}

// ErrDate is returned (wrapped) by ParseTime for a value it cannot read.
var ErrDate = errors.New("unrecognised date")

// ParseTime reads a publication time as feeds, JSON files and date lines
// write it: RFC 3339 / ISO 8601 (with or without fractional seconds, zone
// or seconds), the RFC 1123 / RFC 822 forms (with or without weekday,
// seconds or zone; a numeric offset or a zone name such as GMT, EST or
// CEST; 2- or 4-digit year), "31 July 2021" and "July 31, 2021", and
// numeric dates with slashes: 07/31/2021 (month first), 2021/07/31, and
// 31/07/2021 when the first number is above 12. A value without a zone, or
// with a zone name it does not know, is taken as UTC. A date without a
// time is midnight UTC, which IsDateOnly recognises. The result is in UTC.
// It returns an error wrapping ErrDate for anything else.
func ParseTime(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	// A trailing comment, as in "+0000 (UTC)".
	if i := strings.IndexByte(v, '('); i > 0 && strings.HasSuffix(v, ")") {
		v = strings.TrimSpace(v[:i])
	}
	if len(v) >= 10 && v[4] == '-' {
		for _, l := range isoLayouts {
			if t, err := time.Parse(l, v); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("%w: %q", ErrDate, s)
	}
	layouts := mailLayouts
	if slashDate.MatchString(v) {
		layouts = slashLayouts
	}
	f := strings.Fields(strings.ReplaceAll(v, ",", " "))
	if len(f) > 0 && isWeekday(f[0]) {
		f = f[1:]
	}
	if n := len(f); n > 0 {
		last := strings.ToUpper(f[n-1])
		if off, ok := zones[last]; ok {
			f[n-1] = off
		} else if n >= 4 && isLetters(last) {
			f[n-1] = "+0000"
		}
	}
	v = strings.Join(f, " ")
	for _, l := range layouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: %q", ErrDate, s)
}

// slashDate matches a value that starts with a numeric date with slashes.
var slashDate = regexp.MustCompile(`^\d{1,4}/\d{1,2}/\d{2,4}\b`)

// IsDateOnly reports whether t is a calendar date without a time of day,
// as ParseTime returns one: midnight UTC exactly. Such a date is shown as
// that date in every zone.
func IsDateOnly(t time.Time) bool {
	u := t.UTC()
	return !t.IsZero() && u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0
}

func isWeekday(w string) bool {
	w = strings.ToLower(strings.TrimSuffix(w, "."))
	if len(w) < 3 {
		return false
	}
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		if strings.HasPrefix(d, w) {
			return true
		}
	}
	return false
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}
