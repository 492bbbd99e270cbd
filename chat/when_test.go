package chat

import (
	"testing"
	"time"
)

func TestWhen(t *testing.T) {
	date := time.Date(2021, 7, 7, 0, 0, 0, 0, time.UTC) // " date 2021-07-07 "
	timed := time.Date(2021, 7, 7, 16, 10, 0, 0, time.UTC)
	for _, tc := range []struct {
		a    Article
		zone string
		want string
	}{
		{Article{Published: date}, "America/New_York", "2021-07-07"},
		{Article{Published: date}, "Asia/Kabul", "2021-07-07"},
		{Article{Published: date}, "Pacific/Kiritimati", "2021-07-07"},
		{Article{Published: date, DateFromFile: true}, "America/New_York", "2021-07-07 (file date)"},
		{Article{Published: timed}, "", "2021-07-07 16:10 UTC"},
		{Article{Published: timed}, "Asia/Kabul", "2021-07-07 20:40 +0430"},
		{Article{Published: timed}, "America/New_York", "2021-07-07 12:10 EDT"},
		{Article{Published: time.Date(2021, 7, 8, 2, 0, 0, 0, time.UTC)}, "America/New_York", "2021-07-07 22:00 EDT"},
		{Article{Published: timed}, "Not/AZone", "2021-07-07 16:10 UTC"},
		{Article{}, "Asia/Kabul", ""},
	} {
		if got := tc.a.When(tc.zone); got != tc.want {
			t.Errorf("When(%v, %q) = %q, want %q", tc.a.Published, tc.zone, got, tc.want)
		}
	}
}
