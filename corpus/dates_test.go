package corpus

import (
	"errors"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		// RFC 3339 and ISO 8601 forms.
		{"2021-07-08T09:41:13Z", utc(2021, 7, 8, 9, 41, 13)},
		{"2021-07-08T09:41:13.123Z", time.Date(2021, 7, 8, 9, 41, 13, 123e6, time.UTC)},
		{"2021-07-08T14:11:13+04:30", utc(2021, 7, 8, 9, 41, 13)},
		{"2021-07-08T14:11:13+0430", utc(2021, 7, 8, 9, 41, 13)},
		{"2021-07-08T09:41:13", utc(2021, 7, 8, 9, 41, 13)},
		{"2021-07-08 09:41:13", utc(2021, 7, 8, 9, 41, 13)},
		{"2021-07-08 09:41:13 -0400", utc(2021, 7, 8, 13, 41, 13)},
		{"2021-07-08T09:41", utc(2021, 7, 8, 9, 41, 0)},
		{"2021-07-08", utc(2021, 7, 8, 0, 0, 0)},
		{"  2021-07-08  ", utc(2021, 7, 8, 0, 0, 0)},
		// RFC 1123 and RFC 822 forms.
		{"Thu, 08 Jul 2021 09:41:13 GMT", utc(2021, 7, 8, 9, 41, 13)},
		{"Thu, 08 Jul 2021 09:41:13 +0000", utc(2021, 7, 8, 9, 41, 13)},
		{"Thu, 8 Jul 2021 09:41:13 +0430", utc(2021, 7, 8, 5, 11, 13)},
		{"Thu, 8 Jul 2021 05:41 EDT", utc(2021, 7, 8, 9, 41, 0)},
		{"Thu, 08 Jul 21 09:41:13 PST", utc(2021, 7, 8, 17, 41, 13)},
		{"08 Jul 2021 09:41:13 GMT", utc(2021, 7, 8, 9, 41, 13)},
		{"Thursday, 08 Jul 2021 09:41:13 UT", utc(2021, 7, 8, 9, 41, 13)},
		{"Thu, 08 Jul 2021 09:41:13 +0000 (UTC)", utc(2021, 7, 8, 9, 41, 13)},
		{"Thu, 08 Jul 2021 09:41:13 CEST", utc(2021, 7, 8, 7, 41, 13)},
		{"Thu, 08 Jul 2021 09:41:13 XYZ", utc(2021, 7, 8, 9, 41, 13)},
		{"thu, 08 jul 2021 09:41:13 gmt", utc(2021, 7, 8, 9, 41, 13)},
		{"Thu, 08 Jul 2021 09:41:13", utc(2021, 7, 8, 9, 41, 13)},
		{"8 July 2021", utc(2021, 7, 8, 0, 0, 0)},
		{"Jul 8, 2021 09:41:13 +0000", utc(2021, 7, 8, 9, 41, 13)},
		// Prose and numeric forms.
		{"31 July 2021", utc(2021, 7, 31, 0, 0, 0)},
		{"July 31, 2021", utc(2021, 7, 31, 0, 0, 0)},
		{"Saturday, July 31, 2021", utc(2021, 7, 31, 0, 0, 0)},
		{"07/31/2021", utc(2021, 7, 31, 0, 0, 0)},
		{"7/31/2021", utc(2021, 7, 31, 0, 0, 0)},
		{"07/08/2021", utc(2021, 7, 8, 0, 0, 0)},  // month first, as in the US
		{"31/07/2021", utc(2021, 7, 31, 0, 0, 0)}, // 31 cannot be a month
		{"2021/07/31", utc(2021, 7, 31, 0, 0, 0)},
		{"07/31/2021 09:41", utc(2021, 7, 31, 9, 41, 0)},
		{"07/31/2021 09:41:13 +0430", utc(2021, 7, 31, 5, 11, 13)},
	} {
		got, err := ParseTime(tc.in)
		if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "yesterday", "2021-13-45", "2021-07-08T25:00:00Z", "Thu, 32 Jul 2021", "12345", "Thu,",
		"13/13/2021", "07/31", "1/2/3/2021"} {
		if got, err := ParseTime(in); !errors.Is(err, ErrDate) {
			t.Errorf("ParseTime(%q) = %v, %v; want ErrDate", in, got, err)
		}
	}
}

func TestIsDateOnly(t *testing.T) {
	for in, want := range map[string]bool{
		"2021-07-07": true, "07/07/2021": true, "7 July 2021": true,
		"2021-07-07T00:00:00Z":            true, // midnight UTC reads as a date
		"2021-07-07T04:30:00+04:30":       true,
		"2021-07-07T09:30:00Z":            false,
		"2021-07-07T00:00:01Z":            false,
		"Wed, 07 Jul 2021 00:00:00 +0430": false,
	} {
		tm, err := ParseTime(in)
		if err != nil || IsDateOnly(tm) != want {
			t.Errorf("IsDateOnly(ParseTime(%q) = %v, %v) = %v, want %v", in, tm, err, !want, want)
		}
	}
	if IsDateOnly(time.Time{}) {
		t.Error("the zero time is a date")
	}
}
