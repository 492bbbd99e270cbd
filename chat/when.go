package chat

import (
	"sync"
	"time"
)

// When says when an article was published, as every transport shows it:
//   - a calendar date (a source's date without a time, which is kept as
//     midnight UTC; see corpus.IsDateOnly) as that date, "2021-07-07", in
//     every zone;
//   - any other time in the zone named (an IANA name; UTC when empty or
//     unknown), with the zone: "2021-07-07 16:10 +0430", "2021-07-07 12:10 EDT";
//   - " (file date)" added when the date is the file's or the fetch time.
//
// The zero time gives "".
func (a Article) When(zone string) string {
	if a.Published.IsZero() {
		return ""
	}
	var s string
	if u := a.Published.UTC(); u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0 {
		s = a.Published.UTC().Format(time.DateOnly)
	} else {
		s = a.Published.In(Location(zone)).Format("2006-01-02 15:04 MST")
	}
	if a.DateFromFile {
		s += " (file date)"
	}
	return s
}

// At shows a moment (the end of a mute, say) in the zone named, with the
// zone: "2021-07-07 18:00 UTC", "2021-07-07 22:30 +0430".
func At(t time.Time, zone string) string { return t.In(Location(zone)).Format("2006-01-02 15:04 MST") }

var zones sync.Map // IANA name -> *time.Location

// Location returns the zone of an IANA name, UTC for "" or a name the
// system does not know. Zones are loaded once.
func Location(name string) *time.Location {
	if name == "" || name == "UTC" {
		return time.UTC
	}
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	zones.Store(name, l)
	return l
}
