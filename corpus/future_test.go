package corpus

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestFutureDatesClampedToFileTime(t *testing.T) {
	mod := time.Date(2021, 7, 8, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, path, data string
		want             time.Time
		clamped          bool
	}{
		{"years ahead", "a.txt", " date 2031-07-08 Taliban enter Qala-i-Naw.", mod, true},
		{"two days ahead", "b.json", `{"title": "t", "body": "b", "published": "2021-07-10T10:00:01Z"}`, mod, true},
		{"within a day", "c.json", `{"title": "t", "body": "b", "published": "2021-07-09T10:00:00Z"}`, time.Date(2021, 7, 9, 10, 0, 0, 0, time.UTC), false},
		{"the past", "d.txt", " date 2021-07-07 Taliban enter Qala-i-Naw.", day(2021, 7, 7), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			p := Parser{Logger: slog.New(slog.NewTextHandler(&log, nil))}
			docs, err := p.Parse(tc.path, []byte(tc.data), mod)
			if err != nil || len(docs) != 1 {
				t.Fatalf("%d docs, %v", len(docs), err)
			}
			d := docs[0]
			if !d.Published.Equal(tc.want) || d.DateFromFile != tc.clamped {
				t.Errorf("Published %v DateFromFile %v, want %v %v", d.Published, d.DateFromFile, tc.want, tc.clamped)
			}
			if logged := strings.Contains(log.String(), "in the future"); logged != tc.clamped ||
				tc.clamped && !strings.Contains(log.String(), "path="+tc.path) {
				t.Errorf("log: %s", log.String())
			}
		})
	}
}

func TestFutureDatesClampedToFetchTime(t *testing.T) {
	const feed = `<rss version="2.0"><channel><title>Desk</title>
<item><title>From the future</title><description>one</description><pubDate>Thu, 08 Jul 2027 09:00:00 GMT</pubDate></item>
<item><title>Today</title><description>two</description><pubDate>Fri, 09 Jul 2021 05:00:00 GMT</pubDate></item>
</channel></rss>`
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(feed)) }))
	defer ts.Close()
	now := time.Date(2021, 7, 9, 6, 0, 0, 0, time.UTC)
	var log bytes.Buffer
	src := &FeedSource{AllowPrivate: true, URL: ts.URL, Name: "desk", Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(&log, nil))}
	docs, err := src.Fetch(context.Background())
	if err != nil || len(docs) != 2 {
		t.Fatalf("%d docs, %v", len(docs), err)
	}
	if !docs[0].Published.Equal(now) || !docs[0].DateFromFile {
		t.Errorf("future item: %v %v, want the fetch time", docs[0].Published, docs[0].DateFromFile)
	}
	if docs[1].Published.Equal(now) || docs[1].DateFromFile {
		t.Errorf("today's item changed: %v", docs[1].Published)
	}
	if !strings.Contains(log.String(), "From the future") || strings.Count(log.String(), "in the future") != 1 {
		t.Errorf("log: %s", log.String())
	}
}
