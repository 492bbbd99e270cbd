package corpus

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// feedServer serves body with an ETag and Last-Modified and answers
// conditional requests with 304; it records the requests it saw.
type feedServer struct {
	mu       sync.Mutex
	body     []byte
	etag     string
	modified string
	requests []*http.Request
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Clone(context.Background()))
	if r.Header.Get("If-None-Match") == s.etag || r.Header.Get("If-Modified-Since") == s.modified {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("ETag", s.etag)
	w.Header().Set("Last-Modified", s.modified)
	w.Write(s.body)
}

func (s *feedServer) set(body []byte, etag, modified string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body, s.etag, s.modified = body, etag, modified
}

func (s *feedServer) last() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[len(s.requests)-1]
}

// memFeedState is a FeedStateStore in memory, standing in for a store.
type memFeedState map[string]FeedState

func (m memFeedState) FeedState(_ context.Context, url string) (FeedState, error) { return m[url], nil }
func (m memFeedState) SetFeedState(_ context.Context, url string, s FeedState) error {
	m[url] = s
	return nil
}

func TestFeedSourceConditionalGet(t *testing.T) {
	rss, err := os.ReadFile("testdata/feeds/rss2.xml")
	if err != nil {
		t.Fatal(err)
	}
	srv := &feedServer{}
	srv.set(rss, `"v1"`, "Thu, 08 Jul 2021 10:12:44 GMT")
	ts := httptest.NewServer(srv)
	defer ts.Close()

	state := memFeedState{}
	now := time.Date(2021, 7, 9, 0, 0, 0, 0, time.UTC)
	src := &FeedSource{AllowPrivate: true, URL: ts.URL + "/news/rss.xml", State: state, Now: func() time.Time { return now }, UserAgent: "wirewatch-test"}
	ctx := context.Background()

	docs, err := src.Fetch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 4 {
		t.Fatalf("%d documents, want 4", len(docs))
	}
	for _, d := range docs {
		checkDoc(t, d)
		if d.Path != "" || d.Source == "" {
			t.Errorf("Path %q Source %q", d.Path, d.Source)
		}
	}
	if r := srv.last(); r.Header.Get("If-None-Match") != "" || r.Header.Get("User-Agent") != "wirewatch-test" {
		t.Errorf("first request headers: %v", r.Header)
	}
	if got := state[src.URL]; got.ETag != `"v1"` || got.LastModified != "Thu, 08 Jul 2021 10:12:44 GMT" {
		t.Errorf("state after fetch: %+v", got)
	}

	// Unchanged: a 304 gives nothing.
	docs, err = src.Fetch(ctx)
	if err != nil || docs != nil {
		t.Fatalf("unchanged feed: %d docs, %v", len(docs), err)
	}
	if r := srv.last(); r.Header.Get("If-None-Match") != `"v1"` || r.Header.Get("If-Modified-Since") != "Thu, 08 Jul 2021 10:12:44 GMT" {
		t.Errorf("conditional headers not sent: %v", r.Header)
	}

	// The state survives a restart: a new FeedSource on the same store.
	again := &FeedSource{AllowPrivate: true, URL: src.URL, State: state}
	if docs, err := again.Fetch(ctx); err != nil || docs != nil {
		t.Fatalf("after restart: %d docs, %v", len(docs), err)
	}

	// Changed: everything comes back, with the new state.
	atom, err := os.ReadFile("testdata/feeds/atom.xml")
	if err != nil {
		t.Fatal(err)
	}
	srv.set(atom, `"v2"`, "Thu, 08 Jul 2021 12:00:00 GMT")
	docs, err = src.Fetch(ctx)
	if err != nil || len(docs) != 3 {
		t.Fatalf("changed feed: %d docs, %v", len(docs), err)
	}
	if got := state[src.URL].ETag; got != `"v2"` {
		t.Errorf("ETag %q after change", got)
	}
}

func TestFeedSourceDocuments(t *testing.T) {
	const feed = `<rss version="2.0"><channel><title>Desk</title>
<item><title>Dated</title><link>/a/1</link><description>one</description><pubDate>Thu, 08 Jul 2021 09:00:00 GMT</pubDate></item>
<item><title>Undated</title><link>b/2</link><description>two</description></item>
</channel></rss>`
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(feed)) }))
	defer ts.Close()
	now := time.Date(2021, 7, 9, 6, 0, 0, 0, time.FixedZone("AFT", 16200))
	for _, tc := range []struct{ name, source string }{{"", "Desk"}, {"Configured", "Configured"}} {
		src := &FeedSource{AllowPrivate: true, URL: ts.URL + "/feeds/rss.xml", Name: tc.name, Now: func() time.Time { return now }}
		docs, err := src.Fetch(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		checkDocs(t, docs, []wantDoc{
			{title: "Dated", url: ts.URL + "/a/1", source: tc.source, published: time.Date(2021, 7, 8, 9, 0, 0, 0, time.UTC), body: "one"},
			{title: "Undated", url: ts.URL + "/feeds/b/2", source: tc.source, body: "two"},
		})
		if !docs[1].Published.Equal(now) {
			t.Errorf("undated item: Published %v, want the fetch time %v", docs[1].Published, now)
		}
	}
}

func TestFeedSourceErrors(t *testing.T) {
	big := "<rss><channel><item><title>t</title><description>" + strings.Repeat("x", 2000) + "</description></item></channel></rss>"
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		maxSize int64
		check   func(error) bool
	}{
		{"status 500", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, 0, func(err error) bool {
			var fe *FetchError
			return errors.As(err, &fe) && fe.StatusCode == 500
		}},
		{"status 404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, 0, func(err error) bool {
			var fe *FetchError
			return errors.As(err, &fe) && fe.StatusCode == 404 && strings.Contains(err.Error(), "404")
		}},
		{"html page", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<!DOCTYPE html><html><body>Sign in</body></html>"))
		}, 0, func(err error) bool { return errors.Is(err, ErrNotFeed) }},
		{"truncated", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`<rss><channel><item><title>cut`))
		}, 0, func(err error) bool { return err != nil && !errors.Is(err, ErrNotFeed) }},
		{"too large, with Content-Length", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(big))
		}, 1000, func(err error) bool { return errors.Is(err, ErrFeedTooLarge) }},
		{"too large, streamed", func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < 4; i++ {
				w.Write([]byte(big[i*500 : (i+1)*500]))
				w.(http.Flusher).Flush()
			}
		}, 1000, func(err error) bool { return errors.Is(err, ErrFeedTooLarge) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := httptest.NewServer(tc.handler)
			defer ts.Close()
			src := &FeedSource{AllowPrivate: true, URL: ts.URL, MaxSize: tc.maxSize}
			docs, err := src.Fetch(context.Background())
			if !tc.check(err) || docs != nil {
				t.Errorf("got %d docs, err %v", len(docs), err)
			}
		})
	}
}

func TestFeedSourceTimeout(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Hold the response until the client gives up or the test ends.
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer ts.Close()
	defer close(release)
	src := &FeedSource{AllowPrivate: true, URL: ts.URL, Timeout: time.Millisecond}
	if _, err := src.Fetch(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v, want a deadline error", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&FeedSource{AllowPrivate: true, URL: ts.URL}).Fetch(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

func TestFeedSourceScanRecordsStateAfterHandler(t *testing.T) {
	rss, err := os.ReadFile("testdata/feeds/rss2.xml")
	if err != nil {
		t.Fatal(err)
	}
	srv := &feedServer{}
	srv.set(rss, `"v1"`, "Thu, 08 Jul 2021 10:12:44 GMT")
	ts := httptest.NewServer(srv)
	defer ts.Close()
	state := memFeedState{}
	src := &FeedSource{AllowPrivate: true, URL: ts.URL, State: state}
	ctx := context.Background()

	boom := errors.New("store down")
	var titles []string
	err = src.Scan(ctx, func(_ context.Context, d Document) error {
		titles = append(titles, d.Title)
		if len(titles) == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || len(titles) != 2 {
		t.Fatalf("handled %d, err %v; want the handler's error at the second item", len(titles), err)
	}
	if _, ok := state[src.URL]; ok {
		t.Fatal("state recorded although the handler failed")
	}

	var docs []Document
	if err := src.Scan(ctx, collect(&docs)); err != nil || len(docs) != 4 {
		t.Fatalf("retry: %d docs, %v; want the whole feed again", len(docs), err)
	}
	if state[src.URL].ETag != `"v1"` {
		t.Errorf("state %+v after a good scan", state[src.URL])
	}
	docs = nil
	if err := src.Scan(ctx, collect(&docs)); err != nil || len(docs) != 0 {
		t.Errorf("unchanged: %d docs, %v", len(docs), err)
	}
	if r := srv.last(); r.Header.Get("If-None-Match") != `"v1"` {
		t.Errorf("no conditional GET after a good scan: %v", r.Header)
	}
}
